//! The TypeScript export checked by the real compiler (the book's
//! `typed-events-and-the-frontend.md`, "Use `events.ts` in the front end").
//!
//! `tsc` (from `tests/interop/node_modules`) type-checks `tests/interop/ts/fixture-usage.ts`,
//! a program that uses the contracts fixture's `events.ts` (the snapshot
//! `tests/snapshots/contracts.events.ts`, kept current by the `contracts` test) with the real
//! `socket.io-client` types. Correct code must compile, and every `// @ts-expect-error` line
//! must not (tsc reports an unused directive), so the check bites in both directions.
//!
//! `tests/interop/ts/chat-client.ts` is a client of the chat example written against its
//! committed `examples/chat/contracts/events.ts`: tsc checks it and compiles it to
//! JavaScript (into `tests/interop/ts/out/`, ignored by git, where Node finds
//! `socket.io-client`), and Node runs it against the chat example started in-process.
//!
//! Needs Node.js (20 or later) on `PATH` and the packages installed once with
//! `npm ci --prefix tests/interop`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::Duration;

use gateway_tests::process::run_bounded;
use socketioxide_gateway::testing::TestServer;

/// A whole `tsc` run must finish within this.
const TSC_TIMEOUT: Duration = Duration::from_secs(120);

/// The chat client must finish within this (it gives up by itself after 12 s).
const NODE_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test]
async fn tsc_accepts_the_generated_types_and_rejects_their_misuse() {
    let project = interop().join("ts");
    let run = tsc(&["-p", &project.display().to_string()]).await;
    assert!(
        run.succeeded(),
        "`tsc -p {}` failed: the generated types do not compile, reject correct code, or \
         accept code a `// @ts-expect-error` line says is wrong\n{}",
        project.display(),
        run.output()
    );
}

/// The check above can fail: tsc's failures, a type error or an unused
/// `@ts-expect-error`, reach the test as a failed run.
#[tokio::test]
async fn a_type_error_or_an_unused_expect_error_fails_tsc() {
    let dir = TempDir::new("tsc-self-test");
    let cases = [
        (
            "type-error.ts",
            "export const n: number = \"one\";\n",
            "TS2322",
        ),
        (
            "unused-expect-error.ts",
            "// @ts-expect-error\nexport const n: number = 1;\n",
            "TS2578",
        ),
    ];
    for (file, source, code) in cases {
        let path = dir.path().join(file);
        std::fs::write(&path, source).expect("write the test source");
        let run = tsc(&[
            "--strict",
            "--noEmit",
            "--pretty",
            "false",
            &path.display().to_string(),
        ])
        .await;
        assert!(
            !run.succeeded() && run.stdout.contains(code),
            "tsc should fail on {file} with {code}\n{}",
            run.output()
        );
    }
}

// Needs the committed `examples/chat/contracts/events.ts`, which did not exist yet when
// this test was written: remove the `ignore` once it does (it passed against a fresh
// `--export-contracts` of the chat example).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typescript_client_drives_the_chat_example() {
    let ts = interop().join("ts");
    let out = TempDir::at(ts.join("out").join(format!("chat-{}", std::process::id())));
    let tsconfig = ts.join("tsconfig.chat.json");
    let compile = tsc(&[
        "-p",
        &tsconfig.display().to_string(),
        "--outDir",
        &out.path().display().to_string(),
        "--pretty",
        "false",
    ])
    .await;
    assert!(
        compile.succeeded(),
        "`tsc -p {}` failed: the chat client does not compile against \
         examples/chat/contracts/events.ts\n{}",
        tsconfig.display(),
        compile.output()
    );
    // `rootDir` is the workspace root, so the output mirrors it.
    let script = out.path().join("tests/interop/ts/chat-client.js");
    assert!(script.is_file(), "tsc wrote no {}", script.display());

    let server = TestServer::start(example_chat::app())
        .await
        .expect("the chat example starts");
    let url = server.url();
    let mut node = Command::new("node");
    node.arg(&script).current_dir(&ts).env("CHAT_URL", &url);
    let run = run(node, NODE_TIMEOUT).await;
    server.shutdown().await.expect("the server shuts down");

    assert!(
        run.succeeded() && run.stdout.contains("ok: message"),
        "the TypeScript chat client failed against {url}\n{}",
        run.output()
    );
    drop(out);
    // Gone once no other run is using it.
    let _ = std::fs::remove_dir(ts.join("out"));
}

/// `tests/interop`, checked for the installed packages.
fn interop() -> PathBuf {
    let interop = Path::new(env!("CARGO_MANIFEST_DIR")).join("interop");
    for package in ["typescript", "socket.io-client"] {
        assert!(
            interop.join("node_modules").join(package).is_dir(),
            "{} has no node_modules/{package}: run `npm ci --prefix tests/interop` (from the \
             workspace root) before this test",
            interop.display(),
        );
    }
    interop
}

/// Runs the installed `tsc` with `args` (the same as `npx tsc` in `tests/interop`, without
/// npx's fallback to downloading a package).
async fn tsc(args: &[&str]) -> Run {
    let tsc = interop()
        .join("node_modules")
        .join("typescript")
        .join("bin")
        .join("tsc");
    let mut command = Command::new("node");
    command.arg(tsc).args(args).current_dir(interop());
    run(command, TSC_TIMEOUT).await
}

/// What a process printed, and how it ended (`None`: killed after its timeout).
struct Run {
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    fn output(&self) -> String {
        let ending = match self.status {
            Some(status) => format!("exit: {status}"),
            None => "killed after its timeout".to_owned(),
        };
        format!(
            "{ending}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        )
    }
}

/// Runs `command` with [`run_bounded`]: polled from the runtime (an in-process server
/// keeps serving), killed with its process group (tsc runs a native binary) after `timeout`.
async fn run(command: Command, timeout: Duration) -> Run {
    let (status, stdout, stderr) = run_bounded(command, timeout).await.into_parts();
    Run {
        status,
        stdout,
        stderr,
    }
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    /// A fresh directory for this process in the system's temporary directory.
    fn new(name: &str) -> Self {
        Self::at(std::env::temp_dir().join(format!("gateway-{name}-{}", std::process::id())))
    }

    /// `path`, emptied and created.
    fn at(path: PathBuf) -> Self {
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        Self(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

//! Interop: a connection refused by a gateway's connection guard reaches the client's
//! `connect_error` within a second, on both transports, with the official Node client
//! (`socket.io-client` v4) and with python-socketio, measured to the event, over 20 tries
//! each.
//!
//! Starts the `/private` gateway below in-process, then runs
//! `tests/interop/connect_error.test.mjs` (`node --test`) and
//! `tests/interop/python/connect_error.py` against it, 90 s at most each, and prints
//! their output and a timing table to stderr, also when they pass.
//!
//! Needs Node.js (20 or later) with `npm ci --prefix tests/interop`, and Python 3 with
//! `python3 -m pip install -r tests/interop/python/requirements.txt`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

use gateway_tests::process::run_bounded;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::TestServer;

/// Each client's whole run must finish within this.
const RUN_TIMEOUT: Duration = Duration::from_secs(90);

/// The server's Engine.IO ping interval.
///
/// python-socketio over polling can take until the server's next ping to return from
/// `connect()` after a refusal (book/src/troubleshooting-clients.md; its `connect_error` event fires at
/// once, and that is what the clients measure). With the default 25 s interval, 20 tries
/// would then take minutes; at 500 ms they cost at most half a second each. This changes
/// only when `connect()` returns, not when `connect_error` fires, so the measurement is the
/// same as with the default. The client-side options do not fit: `wait_timeout` does not
/// shorten that wait (it comes after the namespace's answer, in the cleanup; checked with
/// python-socketio 5.18.1), and running `connect()` in a thread without waiting for it
/// would leave stranded clients piling up across tries.
const PING_INTERVAL: Duration = Duration::from_millis(500);

/// Lets in only clients whose auth payload is `{"token": "good"}`.
struct TokenGuard;

impl Guard for TokenGuard {
    async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        match cx.auth().and_then(|auth| auth["token"].as_str()) {
            Some("good") => Ok(()),
            _ => Err(WsError::unauthorized("invalid token")),
        }
    }
}

#[derive(Default)]
struct Private;

#[gateway(namespace = "/private")]
#[guard(TokenGuard)]
impl Private {
    #[subscribe("ping")]
    async fn ping(&self) -> &'static str {
        "pong"
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_error_reaches_node_and_python_clients_within_a_second() {
    let interop = Path::new(env!("CARGO_MANIFEST_DIR")).join("interop");
    assert!(
        interop
            .join("node_modules")
            .join("socket.io-client")
            .is_dir(),
        "{} has no node_modules/socket.io-client: run `npm ci --prefix tests/interop` \
         (from the workspace root) before this test",
        interop.display(),
    );
    let python_ok = Command::new("python3")
        .args(["-c", "import socketio, websocket, requests"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run `python3` (Python 3 must be on PATH): {e}"));
    assert!(
        python_ok.success(),
        "python3 cannot import socketio, websocket and requests: run \
         `python3 -m pip install -r tests/interop/python/requirements.txt` \
         (from the workspace root) before this test",
    );

    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<Private>()
            .ping_interval(PING_INTERVAL),
    )
    .await
    .expect("the /private gateway starts");
    let url = server.url();

    let mut node = Command::new("node");
    node.args(["--test", "connect_error.test.mjs"])
        .current_dir(&interop)
        .env("GATEWAY_URL", &url);
    let node = run(node, "node --test connect_error.test.mjs").await;
    let script = interop.join("python").join("connect_error.py");
    let mut python = Command::new("python3");
    python
        .arg(&script)
        .arg(&url)
        // Unbuffered, so a run killed at the timeout still shows what it printed.
        .env("PYTHONUNBUFFERED", "1");
    let python = run(python, "python3 tests/interop/python/connect_error.py").await;

    server.shutdown().await.expect("the server shuts down");

    // The clients' output and the timing table, shown on success too: the harness
    // captures `eprintln!` unless `--nocapture`, but not direct writes to stderr.
    let mut report = String::new();
    for run in [&node, &python] {
        let _ = writeln!(report, "{run}");
    }
    let _ = write!(report, "{}", timing_table(&[&node, &python]));
    print_uncaptured(&report);

    for run in [&node, &python] {
        let ended = match run.status {
            Some(status) => status.to_string(),
            None => format!("killed after {RUN_TIMEOUT:?}"),
        };
        assert!(
            run.passed(),
            "`{}` against {url} failed ({ended}): its output is printed above",
            run.what
        );
    }
}

/// Writes to the process's stderr directly (the test harness captures `eprintln!`).
fn print_uncaptured(text: &str) {
    use std::io::Write as _;
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

/// The `timing: <client> <transport> <n> <min> <median> <max>` lines of every run, as one
/// table, then python's `connect-return:` lines (when `connect()` returned, for the trap
/// described at [`PING_INTERVAL`]; not asserted).
fn timing_table(runs: &[&Run]) -> String {
    let header = "client   transport    n      min   median      max\n";
    let mut table = format!(
        "connect_error timing, ms from the connect call to the event \
         (bad token, refused by the guard):\n{header}"
    );
    let timing = rows(runs, "timing: ");
    if timing.is_empty() {
        table.push_str("(no timing lines: see the output above)\n");
    }
    table.push_str(&timing);
    let returns = rows(runs, "connect-return: ");
    if !returns.is_empty() {
        let _ = write!(
            table,
            "python-socketio connect() return, ms from the same call \
             (server ping interval {PING_INTERVAL:?}):\n{header}{returns}"
        );
    }
    table
}

/// The `<prefix><client> <transport> <n> <min> <median> <max>[ ...]` lines of every run,
/// as aligned rows.
fn rows(runs: &[&Run], prefix: &str) -> String {
    let mut rows = String::new();
    for run in runs {
        for line in run.stdout.lines().chain(run.stderr.lines()) {
            // node --test's TAP reporter prefixes the test file's output with `# `.
            let line = line.trim_start_matches(['#', ' ']);
            let Some(row) = line.strip_prefix(prefix) else {
                continue;
            };
            let cols: Vec<&str> = row.split_whitespace().collect();
            if let [client, transport, n, min, median, max, ref rest @ ..] = cols[..] {
                let rest = rest.join(" ");
                let row = format!(
                    "{client:<8} {transport:<10} {n:>3} {min:>8} {median:>8} {max:>8}  {rest}"
                );
                rows.push_str(row.trim_end());
                rows.push('\n');
            }
        }
    }
    rows
}

/// How a client run ended, and what it printed.
struct Run {
    what: &'static str,
    /// `None`: killed at [`RUN_TIMEOUT`].
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn passed(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            Some(status) => writeln!(f, "=== `{}`: {status}", self.what)?,
            None => writeln!(
                f,
                "=== `{}`: did not finish within {RUN_TIMEOUT:?} and was killed",
                self.what
            )?,
        }
        writeln!(f, "--- stdout ---\n{}", self.stdout.trim_end())?;
        write!(f, "--- stderr ---\n{}", self.stderr.trim_end())
    }
}

/// Runs `command` with [`run_bounded`]: polled from the runtime so the in-process server
/// keeps serving, killed with its process group (node --test runs the test file in a child
/// process) after [`RUN_TIMEOUT`].
async fn run(command: Command, what: &'static str) -> Run {
    let (status, stdout, stderr) = run_bounded(command, RUN_TIMEOUT).await.into_parts();
    Run {
        what,
        status,
        stdout,
        stderr,
    }
}

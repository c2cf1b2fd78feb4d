//! Interop with the official JavaScript client: starts the conformance example
//! (`examples/conformance`) in-process and runs `tests/interop/conformance.test.mjs`
//! (`node --test`, `socket.io-client` v4) against it, over long-polling upgraded to
//! WebSocket, WebSocket only and long-polling only.
//!
//! Needs Node.js (20 or later) on `PATH` and the client installed once with
//! `npm ci --prefix tests/interop`.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use gateway_core::testing::TestServer;

/// The whole `node --test` run must finish within this.
const NODE_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_io_client_v4_talks_to_the_conformance_example() {
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

    let server = TestServer::start(example_conformance::app())
        .await
        .expect("the conformance example starts");
    let url = server.url();

    let run = run_node(&interop, &url).await;

    server.shutdown().await.expect("the server shuts down");

    match run {
        NodeRun::Finished {
            status,
            stdout,
            stderr,
        } => assert!(
            status.success(),
            "`node --test conformance.test.mjs` against {url} failed ({status})\n\
             --- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        ),
        NodeRun::TimedOut { stdout, stderr } => panic!(
            "`node --test conformance.test.mjs` against {url} did not finish within {NODE_TIMEOUT:?} \
             and was killed\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        ),
    }
}

enum NodeRun {
    Finished {
        status: ExitStatus,
        stdout: String,
        stderr: String,
    },
    TimedOut {
        stdout: String,
        stderr: String,
    },
}

/// Runs `node --test conformance.test.mjs` in `dir` with `CONFORMANCE_URL=url`, polling it from the
/// runtime so the in-process server keeps serving, and killing it after [`NODE_TIMEOUT`].
async fn run_node(dir: &Path, url: &str) -> NodeRun {
    let mut command = Command::new("node");
    command
        .args(["--test", "conformance.test.mjs"])
        .current_dir(dir)
        .env("CONFORMANCE_URL", url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so a timeout also ends the test file's child process.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `node` (Node.js 20 or later must be on PATH): {e}"));

    let stdout = Output::capture(child.stdout.take().expect("piped stdout"));
    let stderr = Output::capture(child.stderr.take().expect("piped stderr"));

    let deadline = Instant::now() + NODE_TIMEOUT;
    let status = loop {
        match child.try_wait().expect("wait for node") {
            Some(status) => break Some(status),
            None if Instant::now() >= deadline => break None,
            None => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    if status.is_none() {
        kill(&mut child);
    }

    let (stdout, stderr) = (stdout.finish().await, stderr.finish().await);
    match status {
        Some(status) => NodeRun::Finished {
            status,
            stdout,
            stderr,
        },
        None => NodeRun::TimedOut { stdout, stderr },
    }
}

/// Kills node and, on Unix, the rest of its process group.
fn kill(child: &mut Child) {
    #[cfg(unix)]
    {
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A pipe drained by a thread into a shared buffer, so a full pipe never blocks node and
/// whatever was written is still there if the pipe is never closed.
struct Output {
    buffer: Arc<Mutex<Vec<u8>>>,
    reader: JoinHandle<()>,
}

impl Output {
    fn capture(mut pipe: impl Read + Send + 'static) -> Self {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buffer);
        let reader = std::thread::spawn(move || {
            let mut chunk = [0_u8; 8192];
            while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                sink.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .extend_from_slice(&chunk[..n]);
            }
        });
        Self { buffer, reader }
    }

    /// Waits up to 5 s for the pipe to close, then returns what was read.
    async fn finish(self) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.reader.is_finished() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let bytes = self
            .buffer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

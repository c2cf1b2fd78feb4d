//! The AsyncAPI export checked by the official parser: runs `tests/interop/asyncapi.test.mjs`
//! (`node --test`, `@asyncapi/parser` 3), which parses the contract fixture's snapshot
//! (`tests/snapshots/contracts.asyncapi.yaml`, kept current by the `contracts` test) and the
//! chat example's `contracts/asyncapi.yaml` once it exists, and fails on any error or
//! warning.
//!
//! Needs Node.js (20 or later) on `PATH` and the parser installed once with
//! `npm ci --prefix tests/interop`.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The whole `node --test` run must finish within this.
const NODE_TIMEOUT: Duration = Duration::from_secs(60);

#[test]
fn the_official_asyncapi_parser_accepts_the_export() {
    let interop = Path::new(env!("CARGO_MANIFEST_DIR")).join("interop");
    assert!(
        interop
            .join("node_modules")
            .join("@asyncapi")
            .join("parser")
            .is_dir(),
        "{} has no node_modules/@asyncapi/parser: run `npm ci --prefix tests/interop` \
         (from the workspace root) before this test",
        interop.display(),
    );

    let mut command = Command::new("node");
    command
        .args(["--test", "asyncapi.test.mjs"])
        .current_dir(&interop)
        // Check the default documents, whatever the caller's environment says.
        .env_remove("ASYNCAPI_DOCS")
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
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    if status.is_none() {
        kill(&mut child);
    }
    let (stdout, stderr) = (stdout.finish(), stderr.finish());

    match status {
        Some(status) => assert!(
            status.success(),
            "`node --test asyncapi.test.mjs` failed ({status})\n\
             --- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        ),
        None => panic!(
            "`node --test asyncapi.test.mjs` did not finish within {NODE_TIMEOUT:?} and was \
             killed\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        ),
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
    fn finish(self) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.reader.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let bytes = self
            .buffer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

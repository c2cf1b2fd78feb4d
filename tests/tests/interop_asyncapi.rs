//! The AsyncAPI export checked by the official parser: runs `tests/interop/asyncapi.test.mjs`
//! (`node --test`, `@asyncapi/parser` 3), which parses the contract fixture's snapshot
//! (`tests/snapshots/contracts.asyncapi.yaml`, kept current by the `contracts` test) and the
//! chat example's `contracts/asyncapi.yaml` once it exists, and fails on any error or
//! warning.
//!
//! Needs Node.js (20 or later) on `PATH` and the parser installed once with
//! `npm ci --prefix tests/interop`.

use gateway_tests::process::{Output, kill};
use std::path::Path;
use std::process::{Command, Stdio};
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
    let (stdout, stderr) = (stdout.finish_blocking(), stderr.finish_blocking());

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

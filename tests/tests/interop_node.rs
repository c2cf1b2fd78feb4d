//! Interop with the official JavaScript client: starts the chat example in-process and
//! runs `tests/interop/chat.test.mjs` (`node --test`, `socket.io-client` v4) against it.
//!
//! Needs Node.js (20 or later) on `PATH` and the client installed once with
//! `npm ci --prefix tests/interop`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use gateway_tests::process::{Run as NodeRun, run_bounded};
use socketioxide_gateway::testing::TestServer;

/// The whole `node --test` run must finish within this.
const NODE_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_io_client_v4_talks_to_the_chat_example() {
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

    let server = TestServer::start(example_chat::app())
        .await
        .expect("the chat example starts");
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
            "`node --test chat.test.mjs` against {url} failed ({status})\n\
             --- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        ),
        NodeRun::TimedOut { stdout, stderr } => panic!(
            "`node --test chat.test.mjs` against {url} did not finish within {NODE_TIMEOUT:?} \
             and was killed\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        ),
    }
}

/// Runs `node --test chat.test.mjs` in `dir` with `CHAT_URL=url`, polling it from the
/// runtime so the in-process server keeps serving, and killing it after [`NODE_TIMEOUT`].
async fn run_node(dir: &Path, url: &str) -> NodeRun {
    let mut command = Command::new("node");
    command
        .args(["--test", "chat.test.mjs"])
        .current_dir(dir)
        .env("CHAT_URL", url);
    run_bounded(command, NODE_TIMEOUT).await
}

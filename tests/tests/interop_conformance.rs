//! Interop with the official JavaScript client: starts the conformance example
//! (`examples/conformance`) in-process and runs `tests/interop/conformance.test.mjs`
//! (`node --test`, `socket.io-client` v4) against it, over long-polling upgraded to
//! WebSocket, WebSocket only and long-polling only.
//!
//! Needs Node.js (20 or later) on `PATH` and the client installed once with
//! `npm ci --prefix tests/interop`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use gateway_tests::process::{Run as NodeRun, run_bounded};
use socketioxide_gateway::Parser;
use socketioxide_gateway::testing::TestServer;

/// The whole `node --test` run must finish within this.
const NODE_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_io_client_v4_talks_to_the_conformance_example() {
    conformance(Parser::Json).await;
}

/// The same checks with the msgpack parser on both sides (`socket.io-msgpack-parser`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_io_client_v4_with_msgpack_talks_to_the_conformance_example() {
    conformance(Parser::MsgPack).await;
}

async fn conformance(parser: Parser) {
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

    let server = TestServer::start(example_conformance::app().parser(parser))
        .await
        .expect("the conformance example starts");
    let url = server.url();

    let run = run_node(&interop, &url, parser).await;

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

/// Runs `node --test conformance.test.mjs` in `dir` with `CONFORMANCE_URL=url`, polling it from the
/// runtime so the in-process server keeps serving, and killing it after [`NODE_TIMEOUT`].
async fn run_node(dir: &Path, url: &str, parser: Parser) -> NodeRun {
    let mut command = Command::new("node");
    command
        .args(["--test", "conformance.test.mjs"])
        .current_dir(dir)
        .env("CONFORMANCE_URL", url);
    if parser == Parser::MsgPack {
        command.env("PARSER", "msgpack");
    }
    run_bounded(command, NODE_TIMEOUT).await
}

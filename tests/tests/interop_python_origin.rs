//! Interop: python-socketio over WebSocket connects to an app whose `Origin` allowlist
//! does not list it. Its transport (websocket-client) sends the server's own origin,
//! `http://<host>:<port>`, which the allowlist always accepts.
//!
//! Needs Python 3 with `python3 -m pip install -r tests/interop/python/requirements.txt`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use gateway_tests::process::{Run, run_bounded};
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::TestServer;

#[derive(Default)]
struct Echo;

#[gateway(namespace = "/echo")]
impl Echo {
    #[subscribe("ping")]
    async fn ping(&self) -> &'static str {
        "pong"
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_socketio_over_websocket_passes_an_origin_allowlist() {
    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<Echo>()
            .allowed_origins(["https://app.example"]),
    )
    .await
    .expect("the /echo gateway starts");
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("interop")
        .join("python")
        .join("same_origin.py");
    let mut python = Command::new("python3");
    python.arg(&script).arg(server.url());
    let run = run_bounded(python, Duration::from_secs(60)).await;
    server.shutdown().await.expect("the server shuts down");
    match run {
        Run::Finished {
            status,
            stdout,
            stderr,
        } => assert!(
            status.success() && stdout.contains(r#"ack: {"ok": true, "data": "pong"}"#),
            "python-socketio over WebSocket failed ({status}):\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n\
             (needs `python3 -m pip install -r tests/interop/python/requirements.txt`)"
        ),
        Run::TimedOut { stdout, stderr } => {
            panic!("python-socketio timed out:\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}")
        }
    }
}

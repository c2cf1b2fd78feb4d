//! The msgpack parser (`GatewayApp::parser(Parser::MsgPack)`, feature `msgpack`) with the
//! official clients: python-socketio's msgpack serializer over both transports
//! (tests/interop/python/msgpack_client.py) and `socket.io-client` with
//! `socket.io-msgpack-parser` (tests/interop/msgpack.test.mjs). Handlers, validation and
//! acks are the JSON parser's, unchanged; `Bytes` stays binary.

use std::process::Command;
use std::time::Duration;

use bytes::Bytes;
use gateway_tests::process::{Run, run_bounded};
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::TestServer;
use socketioxide_gateway::{GatewayApp, Parser};

#[derive(Debug, Serialize, Deserialize, Validate)]
struct Note {
    #[validate(length(min = 1))]
    text: String,
    n: u32,
}

#[derive(Default)]
struct MsgPackGateway;

#[gateway(namespace = "/mp")]
impl MsgPackGateway {
    #[subscribe("echo")]
    async fn echo(&self, Valid(note): Valid<Note>) -> Note {
        note
    }

    #[subscribe("bytes")]
    async fn bytes(&self, blob: Bytes) -> Bytes {
        blob
    }
}

async fn server() -> TestServer {
    TestServer::start(
        GatewayApp::explicit()
            .link::<MsgPackGateway>()
            .parser(Parser::MsgPack),
    )
    .await
    .expect("the msgpack server starts")
}

/// `tests/interop/`, with the msgpack parser of socket.io-client installed.
fn interop() -> std::path::PathBuf {
    gateway_tests::interop::dir_with("socket.io-msgpack-parser")
}

fn assert_passed(run: Run, what: &str) {
    match run {
        Run::Finished {
            status,
            stdout,
            stderr,
        } => assert!(status.success(), "{what} failed\n{stdout}\n{stderr}"),
        Run::TimedOut { stdout, stderr } => panic!("{what} timed out\n{stdout}\n{stderr}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_socketio_with_its_msgpack_serializer() {
    let server = server().await;
    for transport in ["websocket", "polling"] {
        let mut python = Command::new("python3");
        python
            .arg(interop().join("python").join("msgpack_client.py"))
            .arg(server.url())
            .arg(transport)
            .env("PYTHONUNBUFFERED", "1");
        let what = format!("python3 msgpack_client.py over {transport}");
        assert_passed(run_bounded(python, Duration::from_secs(60)).await, &what);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_io_client_with_socket_io_msgpack_parser() {
    let server = server().await;
    let mut node = Command::new("node");
    node.args(["--test", "msgpack.test.mjs"])
        .current_dir(interop())
        .env("GATEWAY_URL", server.url());
    assert_passed(
        run_bounded(node, Duration::from_secs(60)).await,
        "node --test msgpack.test.mjs",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_that_is_not_msgpack_costs_its_sender_only() {
    let server = server().await;
    // A JSON client on a msgpack server: its text CONNECT, then a binary frame that is no
    // msgpack at all (0xc1 is a byte msgpack never uses).
    let client = socketioxide_gateway::testing::TestClient::connect_addr(server.addr())
        .await
        .expect("engine.io connects");
    let mut garbage = client
        .namespace_nowait("/mp", None)
        .await
        .expect("CONNECT sent");
    garbage
        .send_raw_binary(Bytes::from_static(&[0xc1, 0xc1, 0xc1]))
        .await
        .ok();
    garbage
        .closed_within(Duration::from_secs(5))
        .await
        .expect("the sender's connection is closed");
    // The server serves msgpack clients as before.
    let mut python = Command::new("python3");
    python
        .arg(interop().join("python").join("msgpack_client.py"))
        .arg(server.url())
        .arg("websocket");
    assert_passed(
        run_bounded(python, Duration::from_secs(60)).await,
        "python3 msgpack_client.py after the bad frame",
    );
}

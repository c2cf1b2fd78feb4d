//! The msgpack parser (`GatewayApp::parser(Parser::MsgPack)`, feature `msgpack`) with the
//! official clients: python-socketio's msgpack serializer over both transports
//! (tests/interop/python/msgpack_client.py) and `socket.io-client` with
//! `socket.io-msgpack-parser` (tests/interop/msgpack.test.mjs). Handlers, validation and
//! acks are the JSON parser's, unchanged; `Bytes` stays binary.

use std::process::Command;
use std::time::Duration;

use bytes::Bytes;
use gateway_tests::process::run_bounded;
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
        run_bounded(python, Duration::from_secs(60))
            .await
            .assert_passed(&what);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_io_client_with_socket_io_msgpack_parser() {
    let server = server().await;
    let mut node = Command::new("node");
    node.args(["--test", "msgpack.test.mjs"])
        .current_dir(interop())
        .env("GATEWAY_URL", server.url());
    run_bounded(node, Duration::from_secs(60))
        .await
        .assert_passed("node --test msgpack.test.mjs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_that_is_not_msgpack_costs_its_sender_only() {
    let server = server().await;
    // A msgpack client already connected beside the bad one.
    let bystander = socketioxide_gateway::testing::TestClient::builder(&server.url())
        .parser(Parser::MsgPack)
        .connect()
        .await
        .expect("engine.io connects");
    let bystander_mp = bystander.namespace("/mp", None).await.expect("joins /mp");
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
    // The client beside it is still served, and new msgpack clients are too.
    let note = serde_json::json!({"text": "still here", "n": 1});
    assert_eq!(
        bystander_mp
            .call("echo", (note.clone(),))
            .await
            .expect("acked"),
        serde_json::json!({"ok": true, "data": note})
    );
    let mut python = Command::new("python3");
    python
        .arg(interop().join("python").join("msgpack_client.py"))
        .arg(server.url())
        .arg("websocket");
    run_bounded(python, Duration::from_secs(60))
        .await
        .assert_passed("python3 msgpack_client.py after the bad frame");
}

/// The framework's own test client speaks msgpack too (`TestClientBuilder::parser`): a
/// user's tests of a msgpack app read the same `Arg`s as with JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_test_client_speaks_msgpack() {
    use socketioxide_gateway::testing::{Arg, TestClient, json};

    let server = server().await;
    // ANCHOR: test-client
    let client = TestClient::builder(&server.url())
        .parser(Parser::MsgPack)
        .connect()
        .await
        .expect("engine.io connects");
    let mp = client.namespace("/mp", None).await.expect("joins /mp");
    // ANCHOR_END: test-client
    assert!(
        mp.sid().is_some(),
        "the CONNECT reply's sid decodes from msgpack"
    );

    let note = json!({"text": "hi", "n": 3});
    assert_eq!(
        mp.call("echo", (note.clone(),)).await.expect("acked"),
        json!({"ok": true, "data": note})
    );
    let invalid = mp
        .call("echo", (json!({"text": "", "n": 3}),))
        .await
        .expect("acked");
    assert_eq!(invalid["error"]["code"], "validation_failed", "{invalid}");
    let bad = mp.call("echo", (42,)).await.expect("acked");
    assert_eq!(bad["error"]["code"], "bad_payload", "{bad}");

    // Binary is msgpack `bin`, inline in the packet; the envelope's `data` carries it, shown
    // to the test as a placeholder whose bytes are the reply's attachment, as with JSON.
    let blob = Bytes::from((0..=255u8).collect::<Vec<_>>());
    let reply = mp
        .emit_with_ack_reply("bytes", (Arg::Binary(blob.clone()),))
        .await
        .expect("acked");
    assert_eq!(
        reply.args,
        vec![Arg::from(
            json!({"ok": true, "data": {"_placeholder": true, "num": 0}})
        )]
    );
    assert_eq!(reply.attachments, vec![blob]);
    assert_eq!(mp.stray_acks(), 0);
    client.close().await;
}

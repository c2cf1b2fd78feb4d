//! Payload shapes (book/src/payloads-and-validation.md): positional arguments, tuples, binary, and the size cap.

use std::time::Duration;

use bytes::Bytes;
use serde_json::json;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{Arg, TestServer};

#[derive(Default)]
struct Files;

#[gateway(namespace = "/files")]
impl Files {
    #[subscribe("calc:add")]
    async fn add(&self, a: f64, b: f64) -> f64 {
        a + b
    }

    #[subscribe("describe")]
    async fn describe(&self, name: String, size: u32, tags: Vec<String>) -> String {
        format!("{name}:{size}:{}", tags.join("+"))
    }

    #[subscribe("pair")]
    async fn pair(&self, (a, b): (String, bool)) -> serde_json::Value {
        json!({ "a": a, "b": b })
    }

    /// Binary in, binary out.
    #[subscribe("upload")]
    async fn upload(&self, socket: SocketRef, name: String, data: Bytes) -> Bytes {
        let mut reversed = data.to_vec();
        reversed.reverse();
        socket.emit("uploaded", &(name, data.len())).ok();
        Bytes::from(reversed)
    }

    #[subscribe("echo")]
    async fn echo(&self, text: String) -> String {
        text
    }
}

async fn server() -> TestServer {
    TestServer::start(GatewayApp::explicit().link::<Files>())
        .await
        .expect("server starts")
}

#[tokio::test]
async fn positional_arguments_map_to_parameters() {
    let server = server().await;
    let socket = server.socket("/files").await.expect("connects");
    assert_eq!(
        socket.call("calc:add", (2, 3)).await.expect("ack"),
        json!({"ok": true, "data": 5.0})
    );
    assert_eq!(
        socket
            .call("describe", ("a.txt", 12, json!(["x", "y"])))
            .await
            .expect("ack"),
        json!({"ok": true, "data": "a.txt:12:x+y"})
    );
    assert_eq!(
        socket.call("pair", ("k", true)).await.expect("ack"),
        json!({"ok": true, "data": {"a": "k", "b": true}})
    );
    // Too few arguments is a decode error, not a silent drop.
    assert_eq!(
        socket.call("calc:add", 2).await.expect("ack"),
        json!({"ok": false, "error": {"code": "bad_payload", "message": "invalid length 1, expected a tuple of size 2"}})
    );
}

#[tokio::test]
async fn binary_payloads_round_trip() {
    let server = server().await;
    let mut socket = server.socket("/files").await.expect("connects");
    let data = Bytes::from_static(&[0, 1, 2, 255, 254]);
    let reply = socket
        .emit_with_ack_reply("upload", ("blob.bin", data.clone()))
        .await
        .expect("ack");
    // The envelope's `data` is sent as a binary attachment, not a list of numbers.
    assert_eq!(
        reply.args,
        [Arg::Json(
            json!({"ok": true, "data": {"_placeholder": true, "num": 0}})
        )]
    );
    assert_eq!(
        reply.attachments,
        [Bytes::from_static(&[254, 255, 2, 1, 0])]
    );
    let uploaded = socket.recv_event("uploaded").await.expect("event");
    assert_eq!(
        (uploaded.json(0), uploaded.json(1)),
        (Some(&json!("blob.bin")), Some(&json!(5)))
    );
}

#[tokio::test]
async fn an_oversized_message_costs_the_sender_its_connection_only() {
    let server = TestServer::start(GatewayApp::explicit().link::<Files>().max_payload(4 * 1024))
        .await
        .expect("server starts");
    let mut flooder = server.socket("/files").await.expect("connects");
    let bystander = server.socket("/files").await.expect("connects");
    assert_eq!(
        flooder.call("echo", "small").await.expect("ack")["data"],
        json!("small")
    );
    flooder.emit("echo", "x".repeat(64 * 1024)).await.ok();
    let reason = flooder
        .closed_within(Duration::from_secs(3))
        .await
        .expect("disconnected");
    assert!(reason.contains("transport"), "{reason}");
    assert_eq!(
        bystander.call("echo", "still here").await.expect("ack")["data"],
        json!("still here")
    );
}

/// Arguments taken and given back as they came (the conformance suite's `message-with-ack`).
#[derive(Default)]
struct Spread;

#[gateway(namespace = "/spread", ack = "nestjs")]
impl Spread {
    #[subscribe("all")]
    async fn all(&self, args: socketioxide_gateway::Args) -> socketioxide_gateway::Args {
        args
    }

    #[subscribe("back")]
    async fn back(&self, socket: SocketRef, args: socketioxide_gateway::Args) {
        socket.emit("back", &args).ok();
    }
}

#[tokio::test]
async fn args_take_every_argument_and_go_back_spread() {
    let server = TestServer::start(GatewayApp::explicit().link::<Spread>().link::<Files>())
        .await
        .expect("server starts");
    let mut socket = server.socket("/spread").await.expect("connects");
    let sent = vec![
        Arg::from(1),
        Arg::from("two"),
        Arg::Json(json!({"three": [3, null, true]})),
        Arg::Binary(Bytes::from_static(b"\x00four")),
        Arg::Json(json!(null)),
    ];
    assert_eq!(
        socket
            .emit_with_ack("all", sent.clone())
            .await
            .expect("ack"),
        sent
    );
    assert_eq!(
        socket.emit_with_ack("all", ()).await.expect("ack"),
        Vec::<Arg>::new()
    );
    socket.emit("back", sent.clone()).await.expect("sent");
    assert_eq!(socket.recv_event("back").await.expect("event").args, sent);
}

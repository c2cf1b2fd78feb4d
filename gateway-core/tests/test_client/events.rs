//! Reading the server's events and bounded waits: skipping, silence, timeouts that say what
//! they waited for, heartbeats, raw packets.

use std::time::Duration;

use serde_json::{Value, json};
use socketioxide::SocketIo;
use socketioxide::extract::{Data, SocketRef};
use socketioxide_gateway::testing::{TestClient, TestClientError};

use crate::server::{base, echo_server, serve, serve_with};

#[tokio::test]
async fn recv_event_skips_and_expect_silence() {
    let (addr, _io) = serve(echo_server).await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let mut ns = client.namespace("/", None).await.unwrap();
    ns.recv_event("auth").await.unwrap();
    ns.expect_silence(Duration::from_millis(100)).await.unwrap();

    ns.emit("spam", ()).await.unwrap();
    let signal = ns.recv_event("signal").await.unwrap();
    assert_eq!(signal.json(0), Some(&json!("done")));
    ns.expect_silence(Duration::from_millis(100)).await.unwrap();

    ns.emit("spam", ()).await.unwrap();
    let err = ns.expect_silence(Duration::from_secs(2)).await.unwrap_err();
    assert!(
        matches!(&err, TestClientError::Unexpected(m) if m.contains("noise")),
        "{err:?}"
    );
    // Events queue up: nothing is lost between calls.
    for i in 1..3 {
        assert_eq!(ns.recv().await.unwrap().json(0), Some(&json!(i)));
    }
    assert_eq!(ns.recv().await.unwrap().event, "signal");
}

#[tokio::test]
async fn timeouts_say_what_they_waited_for() {
    let (addr, _io) = serve(echo_server).await;
    let client = TestClient::builder(&base(addr))
        .timeout(Duration::from_millis(200))
        .connect()
        .await
        .unwrap();
    let mut ns = client.namespace("/", None).await.unwrap();
    ns.recv_event("auth").await.unwrap();

    let err = ns.emit_with_ack("never", ()).await.unwrap_err();
    let TestClientError::Timeout { waiting_for } = &err else {
        panic!("expected a timeout, got {err:?}")
    };
    assert!(
        waiting_for.contains("\"never\"") && waiting_for.contains("ack"),
        "{waiting_for}"
    );
    let msg = err.to_string();
    assert!(
        msg.starts_with("timed out waiting for the ack of event \"never\""),
        "{msg}"
    );
    assert!(msg.contains("200ms"), "{msg}");

    let err = ns.recv().await.unwrap_err();
    assert!(
        err.to_string().contains("an event on namespace \"/\""),
        "{err}"
    );

    // recv_event lists what it skipped.
    ns.emit("spam", ()).await.unwrap();
    let err = ns.recv_event("nothing-like-this").await.unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("\"nothing-like-this\"") && msg.contains("\"noise\""),
        "{msg}"
    );

    // The connection is still fine after timeouts.
    assert_eq!(ns.call("echo", 5).await.unwrap(), json!(5));
}

#[tokio::test]
async fn heartbeats_are_answered_in_the_background() {
    let builder = SocketIo::builder()
        .ping_interval(Duration::from_millis(50))
        .ping_timeout(Duration::from_millis(100));
    let (addr, _io) = serve_with(builder, echo_server).await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    assert_eq!(client.handshake()["pingInterval"], json!(50));
    let mut ns = client.namespace("/", None).await.unwrap();
    ns.recv_event("auth").await.unwrap();
    // Many ping intervals later, the connection is still alive and no ping leaked out.
    ns.expect_silence(Duration::from_millis(600)).await.unwrap();
    assert_eq!(ns.call("echo", "alive").await.unwrap(), json!("alive"));
    assert!(!client.is_closed());
}

#[tokio::test]
async fn send_raw_packets() {
    let (addr, _io) = serve(|io| {
        io.ns("/", async |s: SocketRef| {
            s.on("ping", async |s: SocketRef, Data(v): Data<Value>| {
                s.emit("pong", &v).ok();
            });
        });
        io.ns("/chat", async |s: SocketRef| {
            s.on("ping", async |s: SocketRef| {
                s.emit("pong", "chat").ok();
            });
        });
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let mut root = client.namespace("/", None).await.unwrap();
    let mut chat = client.namespace("/chat", None).await.unwrap();
    root.send_raw(r#"2["ping",{"raw":true}]"#).await.unwrap();
    assert_eq!(
        root.recv_event("pong").await.unwrap().json(0),
        Some(&json!({ "raw": true }))
    );
    chat.send_raw(r#"2/chat,["ping"]"#).await.unwrap();
    assert_eq!(
        chat.recv_event("pong").await.unwrap().json(0),
        Some(&json!("chat"))
    );

    // A malformed packet makes socketioxide close the connection, which the client observes.
    root.send_raw("2not json at all").await.unwrap();
    assert_eq!(root.closed().await, "transport close");
    assert_eq!(chat.closed().await, "transport close");
}

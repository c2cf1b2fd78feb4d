//! Opening a connection and joining namespaces: handshake, auth payload, URLs, builder
//! options, refusals, several namespaces on one connection.

use std::time::Duration;

use serde_json::{Value, json};
use socketioxide::SocketIo;
use socketioxide::extract::{AckSender, SocketRef, TryData};
use socketioxide::handler::ConnectHandler;
use socketioxide_gateway::testing::{TestClient, TestClientError};

use crate::server::{base, echo_server, serve, serve_with};

#[tokio::test]
async fn connect_and_namespace_with_auth() {
    let (addr, _io) = serve(echo_server).await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    assert!(!client.sid().is_empty());
    assert!(client.handshake()["pingInterval"].is_u64());

    let mut ns = client
        .namespace("/", Some(json!({ "token": "abc", "n": 1 })))
        .await
        .unwrap();
    assert_eq!(ns.namespace(), "/");
    let sid = ns.sid().expect("socket.io sid once connected");
    assert!(!sid.is_empty());

    let event = ns.recv().await.unwrap();
    assert_eq!(event.event, "auth");
    assert_eq!(event.json(0), Some(&json!({ "token": "abc", "n": 1 })));
    assert!(!event.wants_ack());
    client.close().await;
}

#[tokio::test]
async fn connect_accepts_ws_scheme_and_socket_addr() {
    let (addr, _io) = serve(echo_server).await;
    let a = TestClient::connect(&format!("ws://{addr}/")).await.unwrap();
    let b = TestClient::connect_addr(addr).await.unwrap();
    assert_ne!(a.sid(), b.sid());
    // Wrong path: the HTTP upgrade fails with a WebSocket (HTTP) error, not a hang.
    let err = TestClient::builder(&base(addr))
        .path("/nope")
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(err, TestClientError::WebSocket(_)), "{err:?}");
}

#[tokio::test]
async fn connect_to_closed_port_is_an_io_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = TestClient::connect_addr(addr).await.unwrap_err();
    assert!(matches!(err, TestClientError::Io(_)), "{err:?}");
}

#[tokio::test]
async fn builder_path_headers_and_query() {
    let builder = SocketIo::builder().req_path("/custom/io");
    let (addr, _io) = serve_with(builder, |io| {
        io.ns("/", async |s: SocketRef| {
            let parts = s.req_parts();
            let header = parts.headers.get("x-test").and_then(|v| v.to_str().ok());
            s.emit("request", &(parts.uri.query(), header)).ok();
        });
    })
    .await;
    let client = TestClient::builder(&format!("{addr}"))
        .path("custom/io/")
        .header("x-test", "yes")
        .query("user", "a b&c")
        .connect()
        .await
        .unwrap();
    let mut ns = client.namespace("/", None).await.unwrap();
    let request = ns.recv_event("request").await.unwrap();
    let query = request.json(0).and_then(Value::as_str).unwrap();
    assert!(
        query.contains("EIO=4") && query.ends_with("&user=a%20b%26c"),
        "{query}"
    );
    assert_eq!(request.json(1), Some(&json!("yes")));

    let err = TestClient::builder(&base(addr))
        .header("bad header", "x")
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(err, TestClientError::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn refused_namespaces() {
    let (addr, _io) = serve(|io| {
        io.ns("/", async || {});
        let deny = async |TryData(auth): TryData<Value>| -> Result<(), String> {
            match auth {
                Ok(v) if v["token"] == "secret" => Ok(()),
                _ => Err("not allowed".to_owned()),
            }
        };
        io.ns("/private", (async || {}).with(deny));
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();

    let err = client
        .namespace("/private", Some(json!({ "token": "nope" })))
        .await
        .unwrap_err();
    match &err {
        TestClientError::ConnectRefused { message } => assert_eq!(message, "not allowed"),
        other => panic!("expected ConnectRefused, got {other:?}"),
    }
    assert!(err.to_string().contains("not allowed"));

    let err = client.namespace("/unknown", None).await.unwrap_err();
    match err {
        TestClientError::ConnectRefused { message } => assert_eq!(message, "Invalid namespace"),
        other => panic!("expected ConnectRefused, got {other:?}"),
    }

    // The connection is still usable after refusals, and the namespace can be retried.
    let ns = client
        .namespace("private", Some(json!({ "token": "secret" })))
        .await
        .unwrap();
    assert_eq!(ns.namespace(), "/private");
    assert!(ns.sid().is_some());

    // namespace_nowait reports the refusal through recv().
    let mut late = client.namespace_nowait("/unknown", None).await.unwrap();
    match late.recv().await.unwrap_err() {
        TestClientError::ConnectRefused { message } => assert_eq!(message, "Invalid namespace"),
        other => panic!("expected ConnectRefused, got {other:?}"),
    }
    assert_eq!(late.closed().await, "connect refused: Invalid namespace");
}

#[tokio::test]
async fn namespace_nowait_returns_before_the_answer() {
    let (addr, _io) = serve(echo_server).await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let auth = json!({ "early": true });
    let mut ns = client
        .namespace_nowait("/", Some(auth.clone()))
        .await
        .unwrap();
    // Nothing was awaited (single-threaded test runtime): the answer is not processed yet.
    assert_eq!(ns.sid(), None);
    // Plain socketioxide joins namespaces asynchronously and closes the connection when an
    // event races ahead of the join, so this test waits for a server event before emitting.
    assert_eq!(ns.recv_event("auth").await.unwrap().json(0), Some(&auth));
    assert!(ns.sid().is_some());
    assert_eq!(ns.call("echo", "then").await.unwrap(), json!("then"));
}

#[tokio::test]
async fn two_namespaces_on_one_client() {
    let (addr, _io) = serve(|io| {
        for path in ["/", "/chat"] {
            io.ns(path, async |s: SocketRef| {
                s.on("whoami", async |s: SocketRef, ack: AckSender| {
                    ack.send(&(s.ns(), s.id.to_string())).ok();
                });
                s.emit("welcome", &s.ns()).ok();
            });
        }
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let mut root = client.namespace("/", None).await.unwrap();
    let mut chat = client.namespace("/chat", None).await.unwrap();
    assert!(root.sid().is_some() && chat.sid().is_some());

    assert_eq!(chat.recv().await.unwrap().json(0), Some(&json!("/chat")));
    assert_eq!(root.recv().await.unwrap().json(0), Some(&json!("/")));

    let ack = chat.emit_with_ack("whoami", ()).await.unwrap();
    assert_eq!(ack[0].as_json(), Some(&json!("/chat")));
    assert_eq!(
        ack[1].as_json().and_then(Value::as_str),
        chat.sid().as_deref()
    );
    let ack = root.emit_with_ack("whoami", ()).await.unwrap();
    assert_eq!(ack[0].as_json(), Some(&json!("/")));

    // Joining the same namespace twice on one connection is refused locally.
    let err = client.namespace("/chat", None).await.unwrap_err();
    assert!(matches!(err, TestClientError::Unexpected(_)), "{err:?}");

    // Disconnecting one namespace leaves the other one working.
    chat.disconnect().await.unwrap();
    assert_eq!(
        root.emit_with_ack("whoami", ()).await.unwrap()[0].as_json(),
        Some(&json!("/"))
    );
    root.expect_silence(Duration::from_millis(100))
        .await
        .unwrap();
}

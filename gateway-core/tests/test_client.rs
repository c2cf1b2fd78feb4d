//! Tests of the protocol-level `TestClient` against a plain, hand-written socketioxide server.
#![cfg(feature = "testing")]
#![allow(missing_docs, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use gateway_core::testing::{Arg, IntoArgs, TestClient, TestClientError};
use serde_json::{Value, json};
use socketioxide::extract::{AckSender, Data, SocketRef, TryData};
use socketioxide::handler::ConnectHandler;
use socketioxide::socket::DisconnectReason;
use socketioxide::{SocketIo, SocketIoBuilder};
use tokio::sync::mpsc;

/// Starts an axum app with a socketioxide layer on 127.0.0.1:0.
async fn serve_with(
    builder: SocketIoBuilder,
    setup: impl FnOnce(&SocketIo),
) -> (SocketAddr, SocketIo) {
    let (layer, io) = builder.build_layer();
    setup(&io);
    let app = axum::Router::new().layer(layer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, io)
}

async fn serve(setup: impl FnOnce(&SocketIo)) -> (SocketAddr, SocketIo) {
    serve_with(SocketIo::builder(), setup).await
}

fn base(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// A server whose "/" namespace answers a few events and echoes the auth in an "auth" event.
///
/// Handlers are registered before the first emit (socketioxide runs the connect handler in a
/// task spawned after it answered CONNECT).
fn echo_server(io: &SocketIo) {
    io.ns("/", async |s: SocketRef, TryData(auth): TryData<Value>| {
        s.on("echo", async |Data(v): Data<Value>, ack: AckSender| {
            ack.send(&v).ok();
        });
        s.on(
            "sum",
            async |Data((a, b, label)): Data<(i64, i64, String)>, ack: AckSender| {
                ack.send(&(a + b, label, true)).ok();
            },
        );
        s.on("never", async || {});
        s.on("spam", async |s: SocketRef| {
            for i in 0..3 {
                s.emit("noise", &i).ok();
            }
            s.emit("signal", &"done").ok();
        });
        s.emit("auth", &auth.unwrap_or(Value::Null)).ok();
    });
}

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
async fn emit_with_ack_several_positional_args() {
    let (addr, _io) = serve(echo_server).await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let ns = client.namespace("/", None).await.unwrap();

    let ack = ns.emit_with_ack("sum", (2, 40, "total")).await.unwrap();
    assert_eq!(
        ack,
        vec![
            Arg::Json(json!(42)),
            Arg::Json(json!("total")),
            Arg::Json(json!(true))
        ]
    );
    assert_eq!(
        ns.call("sum", (1_i64, 2.0_f64 as i64, String::from("x")))
            .await
            .unwrap(),
        json!(3)
    );

    // A JSON value is ONE argument, even an array.
    assert_eq!(
        ns.call("echo", json!([1, 2, 3])).await.unwrap(),
        json!([1, 2, 3])
    );
    assert_eq!(ns.call("echo", "plain").await.unwrap(), json!("plain"));
    let args = vec![Arg::from(json!({ "k": "v" }))];
    assert_eq!(ns.call("echo", args).await.unwrap(), json!({ "k": "v" }));
    assert_eq!((true, 1.5, "s", 7_u64).into_args().len(), 4);
}

#[tokio::test]
async fn binary_round_trip_both_directions() {
    let (addr, _io) = serve(|io| {
        io.ns("/", async |s: SocketRef| {
            s.on(
                "reverse",
                async |Data((name, data)): Data<(String, Bytes)>, ack: AckSender| {
                    let reversed: Vec<u8> = data.iter().rev().copied().collect();
                    ack.send(&(name, Bytes::from(reversed))).ok();
                },
            );
            s.on("binary-first", async |ack: AckSender| {
                ack.send(&Bytes::from_static(b"ab")).ok();
            });
            s.on("push", async |s: SocketRef| {
                let file = Bytes::from_static(&[0, 1, 2, 255]);
                s.emit(
                    "file",
                    &(json!({ "name": "f.bin" }), file, Bytes::from_static(b"xy")),
                )
                .ok();
            });
        });
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let mut ns = client.namespace("/", None).await.unwrap();

    let ack = ns
        .emit_with_ack("reverse", ("blob", Bytes::from_static(b"hello")))
        .await
        .unwrap();
    assert_eq!(ack.len(), 2);
    assert_eq!(ack[0].as_json(), Some(&json!("blob")));
    assert_eq!(ack[1].as_binary().map(|b| b.as_ref()), Some(&b"olleh"[..]));

    // `call` refuses a binary first argument with a clear error.
    let err = ns.call("binary-first", ()).await.unwrap_err();
    assert!(
        matches!(&err, TestClientError::Unexpected(m) if m.contains("binary")),
        "{err:?}"
    );

    ns.emit("push", ()).await.unwrap();
    let event = ns.recv_event("file").await.unwrap();
    assert_eq!(event.json(0), Some(&json!({ "name": "f.bin" })));
    assert_eq!(
        event.binary(1).map(|b| b.as_ref()),
        Some(&[0u8, 1, 2, 255][..])
    );
    assert_eq!(event.binary(2).map(|b| b.as_ref()), Some(&b"xy"[..]));
    assert_eq!(event.attachments().len(), 2);
}

#[tokio::test]
async fn answering_a_server_emit_with_ack() {
    let (addr, _io) = serve(|io| {
        io.ns("/", async |s: SocketRef| {
            s.on("ask", async |s: SocketRef, Data(q): Data<Value>| {
                let answer = match s.emit_with_ack::<_, Value>("question", &q).unwrap().await {
                    Ok(v) => v,
                    Err(e) => json!({ "error": e.to_string() }),
                };
                s.emit("answer", &answer).ok();
            });
            s.on("ask-binary", async |s: SocketRef| {
                let answer = s
                    .emit_with_ack::<_, Bytes>("give-bytes", &())
                    .unwrap()
                    .await;
                s.emit("bytes-len", &answer.map(|b| b.len()).unwrap_or(0))
                    .ok();
            });
        });
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let mut ns = client.namespace("/", None).await.unwrap();

    ns.emit("ask", json!({ "q": "meaning" })).await.unwrap();
    let question = ns.recv().await.unwrap();
    assert_eq!(question.event, "question");
    assert!(question.wants_ack());
    assert_eq!(question.json(0), Some(&json!({ "q": "meaning" })));
    question.ack(json!(42)).await.unwrap();
    let answer = ns.recv_event("answer").await.unwrap();
    assert_eq!(answer.json(0), Some(&json!(42)));

    ns.emit("ask-binary", ()).await.unwrap();
    let give = ns.recv_event("give-bytes").await.unwrap();
    give.ack(Bytes::from_static(b"12345")).await.unwrap();
    assert_eq!(
        ns.recv_event("bytes-len").await.unwrap().json(0),
        Some(&json!(5))
    );

    // Acking an event that did not ask for one is an error.
    ns.emit("ask", json!(1)).await.unwrap();
    ns.recv_event("question")
        .await
        .unwrap()
        .ack(json!(2))
        .await
        .unwrap();
    let answer = ns.recv_event("answer").await.unwrap();
    let err = answer.ack(()).await.unwrap_err();
    assert!(matches!(err, TestClientError::Unexpected(_)), "{err:?}");
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

#[tokio::test]
async fn concurrent_acks_from_several_tasks() {
    let (addr, _io) = serve(|io| {
        io.ns("/", async |s: SocketRef| {
            s.on(
                "slow-echo",
                async |Data((i, delay)): Data<(u64, u64)>, ack: AckSender| {
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                    ack.send(&i).ok();
                },
            );
        });
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let ns = Arc::new(client.namespace("/", None).await.unwrap());

    // Later emits are answered first, so acks come back out of order.
    let tasks: Vec<_> = (0..10_u64)
        .map(|i| {
            let ns = Arc::clone(&ns);
            tokio::spawn(async move {
                let v = ns.call("slow-echo", (i, (10 - i) * 20)).await.unwrap();
                assert_eq!(v, json!(i));
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
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
async fn server_side_namespace_disconnect() {
    let (addr, _io) = serve(|io| {
        for path in ["/", "/admin"] {
            io.ns(path, async |s: SocketRef| {
                s.on("kick", async |s: SocketRef| {
                    s.disconnect().ok();
                });
                s.on("never", async || {});
            });
        }
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let mut root = client.namespace("/", None).await.unwrap();
    let admin = Arc::new(client.namespace("/admin", None).await.unwrap());

    // An ack pending on the namespace is woken with `Closed` by the server's DISCONNECT.
    let pending = {
        let admin = Arc::clone(&admin);
        tokio::spawn(async move { admin.emit_with_ack("never", ()).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    admin.emit("kick", ()).await.unwrap();
    let err = pending.await.unwrap().unwrap_err();
    assert!(matches!(err, TestClientError::Closed), "{err:?}");
    let mut admin = Arc::into_inner(admin).unwrap();
    assert_eq!(admin.closed().await, "io server disconnect");
    assert!(matches!(admin.recv().await, Err(TestClientError::Closed)));
    assert!(matches!(
        admin.emit("x", ()).await,
        Err(TestClientError::Closed)
    ));

    // The other namespace is unaffected; then it is kicked as well.
    assert_eq!(root.closed_reason(), None);
    root.emit("kick", ()).await.unwrap();
    assert_eq!(root.closed().await, "io server disconnect");
}

#[tokio::test]
async fn closing_the_server_wakes_every_waiter() {
    let (addr, io) = serve(|io| {
        for path in ["/", "/b"] {
            io.ns(path, async |s: SocketRef| s.on("never", async || {}));
        }
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let root = Arc::new(client.namespace("/", None).await.unwrap());
    let mut b = client.namespace("/b", None).await.unwrap();
    let waiting_ack = {
        let root = Arc::clone(&root);
        tokio::spawn(async move { root.emit_with_ack("never", ()).await })
    };
    let waiting_event = tokio::spawn(async move {
        let recv = b.recv().await;
        (recv, b.closed().await)
    });
    tokio::time::sleep(Duration::from_millis(50)).await;

    io.close().await;
    let err = waiting_ack.await.unwrap().unwrap_err();
    assert!(matches!(err, TestClientError::Closed), "{err:?}");
    let (recv, reason) = waiting_event.await.unwrap();
    assert!(matches!(recv, Err(TestClientError::Closed)), "{recv:?}");
    assert_eq!(reason, "transport close");

    let mut root = Arc::into_inner(root).unwrap();
    assert_eq!(root.closed().await, "transport close");
    assert!(matches!(root.recv().await, Err(TestClientError::Closed)));
    assert!(matches!(
        root.emit("x", ()).await,
        Err(TestClientError::Closed)
    ));
    assert!(client.is_closed());
    let err = client.namespace("/b", None).await.unwrap_err();
    assert!(matches!(err, TestClientError::Closed), "{err:?}");
}

#[tokio::test]
async fn closing_the_client_wakes_local_waiters() {
    let (addr, _io) = serve(|io| {
        io.ns("/", async |s: SocketRef| s.on("never", async || {}));
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let mut ns = client.namespace("/", None).await.unwrap();
    let pending = tokio::spawn(async move {
        let recv = ns.recv().await;
        (recv, ns.closed().await)
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    client.close().await;
    let (recv, reason) = pending.await.unwrap();
    assert!(matches!(recv, Err(TestClientError::Closed)), "{recv:?}");
    assert_eq!(reason, "io client disconnect");
}

#[tokio::test]
async fn the_server_sees_client_disconnects() {
    let (tx, mut rx) = mpsc::unbounded_channel::<(String, DisconnectReason)>();
    let (addr, _io) = serve(move |io| {
        for path in ["/", "/chat"] {
            let tx = tx.clone();
            io.ns(path, async move |s: SocketRef| {
                s.on_disconnect(async move |s: SocketRef, reason: DisconnectReason| {
                    tx.send((s.ns().to_owned(), reason)).ok();
                });
            });
        }
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let _root = client.namespace("/", None).await.unwrap();
    let chat = client.namespace("/chat", None).await.unwrap();

    chat.disconnect().await.unwrap();
    let (ns, reason) = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (ns.as_str(), reason),
        ("/chat", DisconnectReason::ClientNSDisconnect)
    );

    client.close().await;
    let (ns, reason) = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (ns.as_str(), reason),
        ("/", DisconnectReason::TransportClose)
    );
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
async fn dropping_every_handle_closes_the_connection() {
    let (tx, mut rx) = mpsc::unbounded_channel::<DisconnectReason>();
    let (addr, _io) = serve(move |io| {
        io.ns("/", async move |s: SocketRef| {
            s.emit("hello", &1).ok();
            s.emit("hello", &2).ok();
            s.on_disconnect(async move |reason: DisconnectReason| {
                tx.send(reason).ok();
            });
        });
    })
    .await;
    let client = TestClient::connect(&base(addr)).await.unwrap();
    let mut ns = client.namespace("/", None).await.unwrap();
    drop(client); // the namespace handle keeps the connection open
    assert_eq!(
        ns.recv_event("hello").await.unwrap().json(0),
        Some(&json!(1))
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(ns); // with an unread event in its queue
    let reason = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .unwrap();
    assert_eq!(reason, Some(DisconnectReason::TransportClose));
}

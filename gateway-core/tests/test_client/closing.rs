//! Closing: by the server (one namespace or the whole connection), by the client, by
//! dropping every handle; every waiter is woken.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use socketioxide::extract::SocketRef;
use socketioxide::socket::DisconnectReason;
use socketioxide_gateway::testing::{TestClient, TestClientError};
use tokio::sync::mpsc;

use crate::server::{base, serve};

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
    let (ns, reason) = next_disconnect(&mut rx).await;
    assert_eq!(
        (ns.as_str(), reason),
        ("/chat", DisconnectReason::ClientNSDisconnect)
    );

    client.close().await;
    let (ns, reason) = next_disconnect(&mut rx).await;
    assert_eq!(
        (ns.as_str(), reason),
        ("/", DisconnectReason::TransportClose)
    );
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

/// The next (namespace, reason) the server's disconnect hook reported, within 5 s.
async fn next_disconnect(
    rx: &mut mpsc::UnboundedReceiver<(String, DisconnectReason)>,
) -> (String, DisconnectReason) {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("a disconnect within 5 s")
        .expect("the hook's channel is open")
}

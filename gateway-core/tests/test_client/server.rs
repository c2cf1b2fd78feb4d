//! The plain, hand-written socketioxide servers the tests talk to.

use std::net::SocketAddr;

use serde_json::Value;
use socketioxide::extract::{AckSender, Data, SocketRef, TryData};
use socketioxide::{SocketIo, SocketIoBuilder};

/// Starts an axum app with a socketioxide layer on 127.0.0.1:0.
pub(crate) async fn serve_with(
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

/// [`serve_with`] the default builder.
pub(crate) async fn serve(setup: impl FnOnce(&SocketIo)) -> (SocketAddr, SocketIo) {
    serve_with(SocketIo::builder(), setup).await
}

/// The base URL of the server at `addr`.
pub(crate) fn base(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// A server whose "/" namespace answers a few events and echoes the auth in an "auth" event.
///
/// Handlers are registered before the first emit (socketioxide runs the connect handler in a
/// task spawned after it answered CONNECT).
pub(crate) fn echo_server(io: &SocketIo) {
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

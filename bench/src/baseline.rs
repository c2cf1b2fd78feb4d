//! The baseline: the benchmark contract written by hand on socketioxide, the way its
//! documentation does it (`socket.on` handlers with `Data`/`AckSender` extractors, a
//! connect middleware for the token, the layer on an axum `Router`). Two departures from
//! the docs' examples, both for correctness or fairness:
//! - handlers are registered in a connect middleware, not in the connect handler: the
//!   connect handler runs on its own task *after* the client is told it is connected, and
//!   an event sent at once can arrive first and be dropped (observed here with the load
//!   generator); the gateway registers before connecting too;
//! - `TCP_NODELAY` on accepted connections, which the gateway's server sets too: without
//!   it acks wait on Nagle's algorithm and the comparison would flatter the gateway.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use serde::Deserialize;
use serde_json::Value;
use socketioxide::SocketIo;
use socketioxide::extract::{AckSender, Data, SocketRef};
use socketioxide::handler::ConnectHandler;
use tokio::net::TcpListener;

use crate::Events;

// ANCHOR: handlers
async fn echo(ack: AckSender, Data(payload): Data<Value>) {
    ack.send(&payload).ok();
}

async fn join(socket: SocketRef, ack: AckSender, Data(room): Data<String>) {
    socket.join(room);
    ack.send(&true).ok();
}

async fn broadcast(socket: SocketRef, ack: AckSender, Data(msg): Data<Value>) {
    let Some(room) = msg.get("room").and_then(Value::as_str) else {
        let error = serde_json::json!({"status": "error", "message": "`room` must be a string"});
        ack.send(&error).ok();
        return;
    };
    let sent = socket
        .within(room.to_owned())
        .emit("msg", &msg)
        .await
        .is_ok();
    ack.send(&sent).ok();
}

fn contract_handlers(socket: &SocketRef) {
    socket.on("echo", echo);
    socket.on("join", join);
    socket.on("broadcast", broadcast);
}
// ANCHOR_END: handlers

fn one_event_handlers(socket: &SocketRef) {
    socket.on("echo", echo);
}

/// The 29 events of the 30-event variant besides `echo`.
pub const MORE_EVENTS: [&str; 29] = [
    "event_01", "event_02", "event_03", "event_04", "event_05", "event_06", "event_07", "event_08",
    "event_09", "event_10", "event_11", "event_12", "event_13", "event_14", "event_15", "event_16",
    "event_17", "event_18", "event_19", "event_20", "event_21", "event_22", "event_23", "event_24",
    "event_25", "event_26", "event_27", "event_28", "event_29",
];

fn thirty_event_handlers(socket: &SocketRef) {
    socket.on("echo", echo);
    for event in MORE_EVENTS {
        socket.on(event, echo);
    }
}

// ANCHOR: auth
#[derive(Deserialize)]
struct Auth {
    token: String,
}

/// Nothing to do once connected: the handlers are in place already.
async fn connected() {}

/// Registers `/bench`: the handlers go in before the client is told it is connected,
/// after the token check when there is a token.
fn register(io: &SocketIo, events: Events, token: Option<Arc<str>>) {
    let handlers: fn(&SocketRef) = match events {
        Events::Contract => contract_handlers,
        Events::One => one_event_handlers,
        Events::Thirty => thirty_event_handlers,
    };
    let install = move |socket: SocketRef| async move {
        handlers(&socket);
        Ok::<(), Infallible>(())
    };
    match token {
        None => io.ns("/bench", connected.with(install)),
        Some(token) => io.ns(
            "/bench",
            // `with` runs the last middleware first: the check, then the handlers.
            connected.with(install).with(move |Data(auth): Data<Auth>| {
                let ok = *auth.token == *token;
                async move { if ok { Ok(()) } else { Err("invalid token") } }
            }),
        ),
    }
}
// ANCHOR_END: auth

/// Serves the baseline on `listener` until the process ends (`ping_interval`: Engine.IO's,
/// socketioxide's default of 25 s when `None`).
pub async fn serve(
    listener: TcpListener,
    events: Events,
    token: Option<String>,
    msgpack: bool,
    ping_interval: Option<Duration>,
) -> std::io::Result<()> {
    let builder = SocketIo::builder();
    let builder = match ping_interval {
        Some(interval) => builder.ping_interval(interval),
        None => builder,
    };
    let builder = if msgpack {
        builder.with_parser(socketioxide::ParserConfig::msgpack())
    } else {
        builder
    };
    let (layer, io) = builder.build_layer();
    register(&io, events, token.map(Arc::from));
    let app = axum::Router::new().layer(layer);
    let listener = listener.tap_io(|tcp| {
        tcp.set_nodelay(true).ok();
    });
    axum::serve(listener, app).await
}

/// Binds `addr` and serves the baseline.
pub async fn bind_and_serve(
    addr: SocketAddr,
    events: Events,
    token: Option<String>,
    msgpack: bool,
    ping_interval: Option<Duration>,
) -> std::io::Result<()> {
    serve(
        TcpListener::bind(addr).await?,
        events,
        token,
        msgpack,
        ping_interval,
    )
    .await
}

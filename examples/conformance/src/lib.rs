//! The server side of the official Socket.IO v5 protocol test suite
//! (<https://github.com/socketio/socket.io-protocol>), written as two gateways.
//!
//! What a client sees:
//! - Engine.IO v4 on `/socket.io/`, HTTP long-polling and WebSocket and the upgrade between
//!   them; ping interval 300 ms, ping timeout 200 ms, max payload 1 000 000 bytes, connect
//!   timeout 1000 ms (see [`Settings`] for the environment variables that change them).
//! - Namespaces `/` and `/custom` accept everyone. Right after the CONNECT reply
//!   (`40{"sid":"..."}`) the server emits `auth` with the client's auth payload, or `{}`
//!   when there was none. Any other namespace gets socketioxide's own
//!   `44/random,{"message":"Invalid namespace"}`.
//! - On both namespaces, with any number of arguments of any JSON type and binary
//!   attachments, given back in order, unchanged and spread (never wrapped in one array):
//!   - `message` → emits `message-back` with the same arguments;
//!   - `message-with-ack` → acks with the same arguments;
//!   - `emit-with-ack` → emits `emit-with-ack` with the same arguments asking the client for
//!     an ack, then emits `emit-with-ack` (without ack) with the arguments of that ack.
//! - `41` (DISCONNECT from one namespace) leaves that namespace only; malformed packets
//!   close the connection, as socketioxide does.
//!
//! Known deviation from the JavaScript reference server: JSON arguments go through
//! `serde_json::Value`, whose objects keep their keys sorted, so `{"b":1,"a":2}` comes
//! back as `{"a":2,"b":1}` (same value, other key order). The test suite only sends
//! one-key objects.

use std::time::Duration;

use serde_json::Value;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::{Args, GatewayApp};

/// The event emitted to every socket right after it joins a namespace.
pub const AUTH: &str = "auth";
/// Emitted back, with the same arguments, for every `message`.
pub const MESSAGE: &str = "message";
/// The reply event of `message`.
pub const MESSAGE_BACK: &str = "message-back";
/// Acked with the same arguments.
pub const MESSAGE_WITH_ACK: &str = "message-with-ack";
/// The server asks the client for an ack, then sends the ack's arguments back.
pub const EMIT_WITH_ACK: &str = "emit-with-ack";

/// Server settings; [`Settings::default`] is what the test suite expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// TCP port on 127.0.0.1 (default 3000; the binary reads `PORT`).
    pub port: u16,
    /// Engine.IO ping interval (default 300 ms; `GATEWAY_PING_INTERVAL` overrides it).
    pub ping_interval: Duration,
    /// Engine.IO ping timeout (default 200 ms; `GATEWAY_PING_TIMEOUT`).
    pub ping_timeout: Duration,
    /// Largest accepted message, in bytes (default 1 000 000; `GATEWAY_MAX_PAYLOAD`).
    pub max_payload: u64,
    /// How long a client may stay without joining a namespace (default 1000 ms;
    /// `GATEWAY_CONNECT_TIMEOUT`).
    pub connect_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            port: 3000,
            ping_interval: Duration::from_millis(300),
            ping_timeout: Duration::from_millis(200),
            max_payload: 1_000_000,
            connect_timeout: Duration::from_millis(1000),
        }
    }
}

/// The app with the test suite's settings ([`Settings::default`]); serve it on
/// `127.0.0.1:3000`, or on port 0 in tests.
pub fn app() -> GatewayApp {
    app_with(&Settings::default())
}

/// The app with these settings (the port is the caller's business: pass it to `serve` or
/// `bind`).
pub fn app_with(settings: &Settings) -> GatewayApp {
    GatewayApp::explicit()
        .link::<MainGateway>()
        .link::<CustomGateway>()
        .path("/socket.io")
        .ping_interval(settings.ping_interval)
        .ping_timeout(settings.ping_timeout)
        .max_payload(settings.max_payload)
        .connect_timeout(settings.connect_timeout)
}

/// The main namespace `/`.
#[derive(Debug, Default)]
pub struct MainGateway;

#[gateway(namespace = "/", ack = "nestjs")]
impl MainGateway {
    /// `auth` with the auth payload as sent, or `{}`.
    #[on_connect]
    async fn connected(&self, socket: SocketRef, Auth(auth): Auth<Value>) {
        emit_auth(&socket, &auth);
    }

    /// `message-back` with the same arguments.
    #[subscribe("message")]
    async fn message(&self, socket: SocketRef, args: Args) {
        message_back(&socket, &args);
    }

    /// Acks with the same arguments, spread.
    #[subscribe("message-with-ack")]
    async fn message_with_ack(&self, args: Args) -> Args {
        args
    }

    /// Asks the client for an ack, then sends the ack's arguments back.
    #[subscribe("emit-with-ack")]
    async fn emit_with_ack(&self, socket: SocketRef, args: Args) {
        ack_round_trip(socket, args).await;
    }
}

/// The namespace `/custom`: the same events as `/`.
#[derive(Debug, Default)]
pub struct CustomGateway;

#[gateway(namespace = "/custom", ack = "nestjs")]
impl CustomGateway {
    /// `auth` with the auth payload as sent, or `{}`.
    #[on_connect]
    async fn connected(&self, socket: SocketRef, Auth(auth): Auth<Value>) {
        emit_auth(&socket, &auth);
    }

    /// `message-back` with the same arguments.
    #[subscribe("message")]
    async fn message(&self, socket: SocketRef, args: Args) {
        message_back(&socket, &args);
    }

    /// Acks with the same arguments, spread.
    #[subscribe("message-with-ack")]
    async fn message_with_ack(&self, args: Args) -> Args {
        args
    }

    /// Asks the client for an ack, then sends the ack's arguments back.
    #[subscribe("emit-with-ack")]
    async fn emit_with_ack(&self, socket: SocketRef, args: Args) {
        ack_round_trip(socket, args).await;
    }
}

// A failed emit means the socket is gone (or its buffer is full): there is nobody left to
// tell, so the errors below are dropped on purpose.

fn emit_auth(socket: &SocketRef, auth: &Value) {
    let _ = socket.emit(AUTH, auth);
}

fn message_back(socket: &SocketRef, args: &Args) {
    // `Args` serialises as a tuple: one argument each, binary as attachments.
    let _ = socket.emit(MESSAGE_BACK, args);
}

async fn ack_round_trip(socket: SocketRef, args: Args) {
    let Ok(ack) = socket.emit_with_ack::<_, Args>(EMIT_WITH_ACK, &args) else {
        return;
    };
    // Waits up to the app's ack timeout (5 s); no ack, no second emit.
    if let Ok(reply) = ack.await {
        let _ = socket.emit(EMIT_WITH_ACK, &reply);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_test_suite_settings() {
        let s = Settings::default();
        assert_eq!(s.port, 3000);
        assert_eq!(s.ping_interval, Duration::from_millis(300));
        assert_eq!(s.ping_timeout, Duration::from_millis(200));
        assert_eq!(s.max_payload, 1_000_000);
        assert_eq!(s.connect_timeout, Duration::from_millis(1000));
    }
}

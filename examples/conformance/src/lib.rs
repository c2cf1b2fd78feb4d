//! The server side of the official Socket.IO v5 protocol test suite
//! (<https://github.com/socketio/socket.io-protocol>), written as two gateways.
//!
//! What a client sees:
//! - Engine.IO v4 on `/socket.io/`, HTTP long-polling and WebSocket and the upgrade between
//!   them; ping interval 300 ms, ping timeout 200 ms, max payload 1 000 000 bytes, connect
//!   timeout 1000 ms (see [`Settings`] for the environment variables that change them).
//! - Namespaces `/` and `/custom` accept everyone. Right after the CONNECT reply
//!   (`40{"sid":"..."}`) the server emits `auth` with the client's auth payload, or `{}`
//!   when there was none (`nil` with the msgpack parser, whose clients send a `nil`: what
//!   socketioxide's msgpack suite expects). Any other namespace gets socketioxide's own
//!   `44/random,{"message":"Invalid namespace"}`.
//! - The dynamic namespace `/tenant/{tenant}`: `whoami` acks the tenant
//!   (`{"ok": true, "data": {"tenant": "acme"}}` on `/tenant/acme`), and a connection guard
//!   refuses the tenant `forbidden` (`connect_error`, "tenant `forbidden` is closed");
//!   `shout` is emitted back to the tenant's other sockets, never to another tenant's.
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
use socketioxide_gateway::{Args, GatewayApp, Parser};

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
        .link::<TenantGateway>()
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
    /// `auth` with the auth payload as sent, or `{}` (`nil` in msgpack).
    #[on_connect]
    async fn connected(
        &self,
        socket: SocketRef,
        Auth(auth): Auth<Value>,
        Inject(parser): Inject<Parser>,
    ) {
        emit_auth(&socket, auth, parser);
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
    /// `auth` with the auth payload as sent, or `{}` (`nil` in msgpack).
    #[on_connect]
    async fn connected(
        &self,
        socket: SocketRef,
        Auth(auth): Auth<Value>,
        Inject(parser): Inject<Parser>,
    ) {
        emit_auth(&socket, auth, parser);
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

/// The tenant a `/tenant/{tenant}` socket joined.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Tenant {
    /// The path's parameter: `acme` for `/tenant/acme`.
    pub tenant: String,
}

/// The tenant the connection guard refuses.
pub const FORBIDDEN_TENANT: &str = "forbidden";

/// Refuses the tenant [`FORBIDDEN_TENANT`]: the client gets `connect_error` with
/// "tenant `forbidden` is closed".
#[derive(Debug, Clone, Copy)]
pub struct OpenTenants;

impl Guard for OpenTenants {
    async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        let Tenant { tenant } = cx.ns_params()?;
        if tenant == FORBIDDEN_TENANT {
            return Err(WsError::forbidden(format!("tenant `{tenant}` is closed")));
        }
        Ok(())
    }
}

/// The dynamic namespace `/tenant/{tenant}`: each tenant (`/tenant/acme`) is a namespace of
/// its own, with its own sockets and rooms.
#[derive(Debug, Default)]
pub struct TenantGateway;

#[gateway(namespace = "/tenant/{tenant}")]
#[guard(OpenTenants)]
impl TenantGateway {
    /// Acks `{"ok": true, "data": {"tenant": "acme"}}` on `/tenant/acme`.
    #[subscribe("whoami")]
    async fn whoami(&self, NsParams(tenant): NsParams<Tenant>) -> Tenant {
        tenant
    }

    /// Emits `shout` with the same arguments to the tenant's other sockets (never to
    /// another tenant's).
    #[subscribe("shout")]
    async fn shout(&self, socket: SocketRef, args: Args) {
        let _ = socket.broadcast().emit("shout", &args).await;
    }
}

// A failed emit means the socket is gone (or its buffer is full): there is nobody left to
// tell, so the errors below are dropped on purpose.

/// The auth payload back. A client without auth sends none in JSON (read as `{}`, and
/// the JSON suites expect `{}` back) and `nil` in msgpack (also read as `{}`, but the
/// msgpack suite expects the `nil` back): so with msgpack an empty payload goes back as
/// `nil`.
fn emit_auth(socket: &SocketRef, auth: Value, parser: Parser) {
    let empty = auth.as_object().is_some_and(serde_json::Map::is_empty);
    let auth = match parser {
        Parser::MsgPack if empty => Value::Null,
        _ => auth,
    };
    let _ = socket.emit(AUTH, &auth);
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

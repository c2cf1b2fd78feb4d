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
    /// TCP port on 127.0.0.1 (`PORT`, default 3000).
    pub port: u16,
    /// Engine.IO ping interval (`PING_INTERVAL_MS`, default 300).
    pub ping_interval: Duration,
    /// Engine.IO ping timeout (`PING_TIMEOUT_MS`, default 200).
    pub ping_timeout: Duration,
    /// Largest accepted message, in bytes (`MAX_PAYLOAD_BYTES`, default 1 000 000).
    pub max_payload: u64,
    /// How long a client may stay without joining a namespace (`CONNECT_TIMEOUT_MS`,
    /// default 1000).
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

impl Settings {
    /// The defaults, overridden by the environment variables that are set: `PORT`,
    /// `PING_INTERVAL_MS`, `PING_TIMEOUT_MS`, `MAX_PAYLOAD_BYTES`, `CONNECT_TIMEOUT_MS`.
    /// A variable that is set but not a whole number (or not valid Unicode) is an error.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| match std::env::var(name) {
            Ok(value) => Ok(Some(value)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(raw)) => {
                Err(format!("{name} is not valid Unicode: {raw:?}"))
            }
        })
    }

    /// Like [`from_env`](Self::from_env), reading the variables through `lookup`.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Result<Option<String>, String>,
    ) -> Result<Self, String> {
        fn number<T: std::str::FromStr>(
            lookup: &impl Fn(&str) -> Result<Option<String>, String>,
            name: &str,
            what: &str,
        ) -> Result<Option<T>, String> {
            match lookup(name)? {
                None => Ok(None),
                Some(raw) => raw
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("{name} must be {what}, got {raw:?}")),
            }
        }
        let millis = |name: &str| {
            number::<u64>(&lookup, name, "a whole number of milliseconds")
                .map(|ms| ms.map(Duration::from_millis))
        };

        let defaults = Self::default();
        Ok(Self {
            port: number(&lookup, "PORT", "a TCP port (0-65535)")?.unwrap_or(defaults.port),
            ping_interval: millis("PING_INTERVAL_MS")?.unwrap_or(defaults.ping_interval),
            ping_timeout: millis("PING_TIMEOUT_MS")?.unwrap_or(defaults.ping_timeout),
            max_payload: number(&lookup, "MAX_PAYLOAD_BYTES", "a whole number of bytes")?
                .unwrap_or(defaults.max_payload),
            connect_timeout: millis("CONNECT_TIMEOUT_MS")?.unwrap_or(defaults.connect_timeout),
        })
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

    fn lookup<'a>(
        vars: &'a [(&'a str, &'a str)],
    ) -> impl Fn(&str) -> Result<Option<String>, String> + 'a {
        move |name| {
            Ok(vars
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned()))
        }
    }

    #[test]
    fn defaults_are_the_test_suite_settings() {
        assert_eq!(Settings::from_lookup(lookup(&[])), Ok(Settings::default()));
        let s = Settings::default();
        assert_eq!(s.port, 3000);
        assert_eq!(s.ping_interval, Duration::from_millis(300));
        assert_eq!(s.ping_timeout, Duration::from_millis(200));
        assert_eq!(s.max_payload, 1_000_000);
        assert_eq!(s.connect_timeout, Duration::from_millis(1000));
    }

    #[test]
    fn the_environment_overrides_each_setting() {
        let vars = [
            ("PORT", "4000"),
            ("PING_INTERVAL_MS", "25000"),
            ("PING_TIMEOUT_MS", " 20000 "),
            ("MAX_PAYLOAD_BYTES", "100000"),
            ("CONNECT_TIMEOUT_MS", "45000"),
        ];
        assert_eq!(
            Settings::from_lookup(lookup(&vars)),
            Ok(Settings {
                port: 4000,
                ping_interval: Duration::from_secs(25),
                ping_timeout: Duration::from_secs(20),
                max_payload: 100_000,
                connect_timeout: Duration::from_secs(45),
            })
        );
    }

    #[test]
    fn a_bad_value_is_an_error_naming_the_variable() {
        let err =
            Settings::from_lookup(lookup(&[("PING_INTERVAL_MS", "3s")])).expect_err("not a number");
        assert_eq!(
            err,
            "PING_INTERVAL_MS must be a whole number of milliseconds, got \"3s\""
        );
        let err = Settings::from_lookup(lookup(&[("PORT", "70000")])).expect_err("too big");
        assert!(err.starts_with("PORT must be a TCP port"), "{err}");
    }
}

//! The benchmark gateway: the contract `bench/run.sh` measures against the same contract
//! written by hand on socketioxide (`bench/src/baseline.rs`).
//!
//! On namespace `/bench`, with NestJS acks (the bare value, no envelope):
//! - `echo` acks its payload unchanged;
//! - `join` with a room name joins the room and acks `true`;
//! - `broadcast` with `{"room": ..., ...}` emits `msg` with the same object to every socket
//!   in the room, the sender included when it is a member, and acks `true` when asked;
//! - when a token is configured, a client whose CONNECT auth `token` differs is refused
//!   before it is connected.
//!
//! Two more gateways serve the memory comparison: [`OneEventGateway`] (`echo` only) and
//! [`ThirtyEventsGateway`] (`echo` and 29 more events).

use std::str::FromStr;
use std::sync::Arc;

use serde_json::Value;
use socketioxide_gateway::prelude::*;

/// The token a client must present (`io(url, { auth: { token } })`), when set.
#[derive(Debug, Clone, Default)]
pub struct AuthToken(pub Option<Arc<str>>);

// ANCHOR: guard
/// Refuses a connection whose auth `token` is not the configured [`AuthToken`].
pub struct TokenGuard;

impl Guard for TokenGuard {
    async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        let AuthToken(expected) = cx.providers().get::<AuthToken>().unwrap_or_default();
        let Some(expected) = expected else {
            return Ok(());
        };
        let sent = cx.auth().and_then(|auth| auth.get("token")?.as_str());
        if sent == Some(&*expected) {
            Ok(())
        } else {
            Err(WsError::unauthorized("invalid token"))
        }
    }
}
// ANCHOR_END: guard

// ANCHOR: gateway
/// The benchmark contract on `/bench`.
#[derive(Default)]
pub struct BenchGateway;

#[gateway(namespace = "/bench", ack = "nestjs")]
#[guard(TokenGuard)]
impl BenchGateway {
    /// Acks the payload unchanged.
    #[subscribe("echo")]
    async fn echo(&self, payload: Value) -> Value {
        payload
    }

    /// Joins the room; acks `true`.
    #[subscribe("join")]
    async fn join(&self, socket: SocketRef, room: String) -> bool {
        socket.join(room);
        true
    }

    /// Emits `msg` with the same object to the room (the sender too, when a member).
    #[subscribe("broadcast")]
    async fn broadcast(&self, socket: SocketRef, msg: Value) -> Result<bool, WsError> {
        let room = msg
            .get("room")
            .and_then(Value::as_str)
            .ok_or_else(|| WsError::bad_payload("`room` must be a string"))?;
        socket
            .within(room.to_owned())
            .emit("msg", &msg)
            .await
            .map_err(|_| WsError::internal())?;
        Ok(true)
    }
}
// ANCHOR_END: gateway

/// `/bench` with one event, `echo`: the idle-memory comparison's small gateway.
#[derive(Default)]
pub struct OneEventGateway;

#[gateway(namespace = "/bench", ack = "nestjs")]
#[guard(TokenGuard)]
impl OneEventGateway {
    /// Acks the payload unchanged.
    #[subscribe("echo")]
    async fn echo(&self, payload: Value) -> Value {
        payload
    }
}

/// `/bench` with 30 events, `echo` and `event_01` to `event_29`, each acking its payload:
/// the idle-memory comparison's large gateway.
#[derive(Default)]
pub struct ThirtyEventsGateway;

#[gateway(namespace = "/bench", ack = "nestjs")]
#[guard(TokenGuard)]
impl ThirtyEventsGateway {
    /// Acks the payload unchanged.
    #[subscribe("echo")]
    async fn echo(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_01")]
    async fn event_01(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_02")]
    async fn event_02(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_03")]
    async fn event_03(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_04")]
    async fn event_04(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_05")]
    async fn event_05(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_06")]
    async fn event_06(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_07")]
    async fn event_07(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_08")]
    async fn event_08(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_09")]
    async fn event_09(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_10")]
    async fn event_10(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_11")]
    async fn event_11(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_12")]
    async fn event_12(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_13")]
    async fn event_13(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_14")]
    async fn event_14(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_15")]
    async fn event_15(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_16")]
    async fn event_16(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_17")]
    async fn event_17(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_18")]
    async fn event_18(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_19")]
    async fn event_19(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_20")]
    async fn event_20(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_21")]
    async fn event_21(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_22")]
    async fn event_22(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_23")]
    async fn event_23(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_24")]
    async fn event_24(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_25")]
    async fn event_25(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_26")]
    async fn event_26(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_27")]
    async fn event_27(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_28")]
    async fn event_28(&self, payload: Value) -> Value {
        payload
    }

    #[subscribe("event_29")]
    async fn event_29(&self, payload: Value) -> Value {
        payload
    }
}

/// Which gateway serves `/bench`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Variant {
    /// [`BenchGateway`]: `echo`, `join`, `broadcast`.
    #[default]
    Contract,
    /// [`OneEventGateway`].
    OneEvent,
    /// [`ThirtyEventsGateway`].
    ThirtyEvents,
}

impl FromStr for Variant {
    type Err = String;

    /// `""` or `contract`, `1`, `30` (the `BENCH_EVENTS` values).
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "" | "contract" => Ok(Self::Contract),
            "1" => Ok(Self::OneEvent),
            "30" => Ok(Self::ThirtyEvents),
            other => Err(format!(
                "BENCH_EVENTS must be `contract`, `1` or `30`, not `{other}`"
            )),
        }
    }
}

// ANCHOR: app
/// The app: one gateway on `/bench`, in memory, with the token (if any) as a provider.
pub fn app(variant: Variant, token: Option<String>) -> GatewayApp {
    let app = GatewayApp::explicit()
        .in_memory()
        .provide(AuthToken(token.map(Arc::from)));
    match variant {
        Variant::Contract => app.link::<BenchGateway>(),
        Variant::OneEvent => app.link::<OneEventGateway>(),
        Variant::ThirtyEvents => app.link::<ThirtyEventsGateway>(),
    }
}
// ANCHOR_END: app

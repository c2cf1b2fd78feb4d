//! Handler parameters: extractors (the socket, the io handle, injected providers, the
//! disconnect reason) and payloads (any `Deserialize` type, [`Valid<T>`], binary `Bytes`).
//!
//! The `#[gateway]` macro sorts each parameter of a handler into one of two kinds:
//! - **extractors**: `SocketRef`, `SocketIo`, [`Inject<T>`], `DisconnectReason`, and any
//!   parameter marked `#[extract]` (your own [`FromParts`] type);
//! - **payloads**: every other parameter. The `n`-th payload parameter receives the
//!   event's `n`-th argument (`socket.emit("add", 2, 3)` → `a: f64, b: f64`); a tuple type
//!   takes all the arguments.

use std::any::type_name;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, TryData};
use socketioxide::handler::{FromConnectParts, FromMessageParts};
use socketioxide::socket::{DisconnectReason, Socket};
use socketioxide_core::Value;

use crate::error::{WsError, sanitize_decode_error};
use crate::providers::Providers;

/// What a handler is being called for, with the socket and the app's context.
pub struct Parts<'a, A: Adapter> {
    pub(crate) socket: &'a Arc<Socket<A>>,
    pub(crate) providers: &'a Providers,
    pub(crate) event: &'a str,
    pub(crate) kind: PartsKind<'a>,
}

pub(crate) enum PartsKind<'a> {
    Event { value: &'a mut Value },
    Connect { auth: &'a Option<Value> },
    Disconnect { reason: DisconnectReason },
}

impl<'a, A: Adapter> Parts<'a, A> {
    /// The socket the event came from.
    pub fn socket(&self) -> &Arc<Socket<A>> {
        self.socket
    }

    /// The event name (`"connect"` / `"disconnect"` in lifecycle hooks).
    pub fn event(&self) -> &str {
        self.event
    }

    /// The providers registered on the app.
    pub fn providers(&self) -> &Providers {
        self.providers
    }

    /// Decodes the event's arguments as `T` (a tuple type takes all the arguments, any
    /// other type the first one). Used by generated code for payload parameters.
    pub fn payload<T: DeserializeOwned>(&mut self) -> Result<T, WsError> {
        let PartsKind::Event { value } = &mut self.kind else {
            return Err(WsError::internal());
        };
        match TryData::<T>::from_message_parts(self.socket, value, &None) {
            Ok(TryData(Ok(data))) => Ok(data),
            Ok(TryData(Err(err))) => Err(WsError::bad_payload(sanitize_decode_error(
                &err.to_string(),
            ))),
            Err(never) => match never {},
        }
    }
}

impl<A: Adapter> Parts<'_, A> {
    /// Decodes the first argument as payload parameter `T`. Used by generated code.
    #[doc(hidden)]
    pub fn payload_arg<T: Payload>(&mut self) -> Result<T, WsError> {
        T::from_raw(self.payload::<T::Raw>()?)
    }

    /// Decodes all arguments as the tuple of payload parameters `T`. Used by generated code.
    #[doc(hidden)]
    pub fn payload_args<T: PayloadArgs>(&mut self) -> Result<T, WsError> {
        T::from_raw(self.payload::<T::Raw>()?)
    }
}

/// Several positional payload parameters, decoded from the event's arguments in one pass.
#[doc(hidden)]
pub trait PayloadArgs: Sized {
    /// The tuple of raw types.
    type Raw: DeserializeOwned;
    /// Converts each element.
    fn from_raw(raw: Self::Raw) -> Result<Self, WsError>;
}

macro_rules! payload_args {
    ($($name:ident . $index:tt),+) => {
        impl<$($name: Payload),+> PayloadArgs for ($($name,)+) {
            type Raw = ($($name::Raw,)+);
            fn from_raw(raw: Self::Raw) -> Result<Self, WsError> {
                Ok(($($name::from_raw(raw.$index)?,)+))
            }
        }
    };
}

payload_args!(T0.0, T1.1);
payload_args!(T0.0, T1.1, T2.2);
payload_args!(T0.0, T1.1, T2.2, T3.3);
payload_args!(T0.0, T1.1, T2.2, T3.3, T4.4);
payload_args!(T0.0, T1.1, T2.2, T3.3, T4.4, T5.5);
payload_args!(T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6);
payload_args!(T0.0, T1.1, T2.2, T3.3, T4.4, T5.5, T6.6, T7.7);

/// A handler parameter built from the event's context rather than its payload.
///
/// Implement it for your own types (a current-user extractor reading the socket's
/// extensions, say) and mark the parameter `#[extract]`. Implement it for every adapter
/// (`impl<A: Adapter> FromParts<A> for MyType`), so the gateway keeps working when the app
/// moves to another adapter.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an extractor",
    label = "not an extractor",
    note = "extractors are `SocketRef`, `SocketIo`, `Inject<T>`, `Claims<C>`, `Auth<T>` (in `#[on_connect]`), `DisconnectReason` (in `#[on_disconnect]`), or your own type implementing `gateway_core::extract::FromParts`",
    note = "see the guide, chapter \"Handlers and extractors\""
)]
pub trait FromParts<A: Adapter>: Sized {
    /// Builds the value; an `Err` becomes the event's error ack (the handler does not run).
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError>;
}

impl<A: Adapter> FromParts<A> for SocketRef<A> {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        Ok(SocketRef::from(parts.socket.clone()))
    }
}

impl<A: Adapter> FromParts<A> for SocketIo<A> {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        let mut unit = Value::Str(socketioxide_core::Str::from(""), None);
        match SocketIo::<A>::from_message_parts(parts.socket, &mut unit, &None) {
            Ok(io) => Ok(io),
            Err(never) => match never {},
        }
    }
}

impl<A: Adapter> FromParts<A> for DisconnectReason {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        match parts.kind {
            PartsKind::Disconnect { reason } => Ok(reason),
            _ => Err(WsError::internal()),
        }
    }
}

/// The auth payload a client sent with its namespace CONNECT
/// (`io(url, { auth: { token } })`), decoded as `T`; in `#[on_connect]` hooks only. A
/// client that sent none yields `T` decoded from `{}`.
#[derive(Debug, Clone)]
pub struct Auth<T>(pub T);

impl<A: Adapter, T: DeserializeOwned> FromParts<A> for Auth<T> {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        let PartsKind::Connect { auth } = parts.kind else {
            return Err(WsError::internal());
        };
        match TryData::<T>::from_connect_parts(parts.socket, auth) {
            Ok(TryData(Ok(auth))) => Ok(Auth(auth)),
            Ok(TryData(Err(err))) => Err(WsError::bad_payload(sanitize_decode_error(
                &err.to_string(),
            ))),
            Err(never) => match never {},
        }
    }
}

/// A dependency registered with [`GatewayApp::provide`](crate::GatewayApp::provide),
/// looked up by type.
///
/// Prefer a field on the gateway struct (resolved once at startup); `Inject<T>` suits a
/// dependency only one handler needs.
#[derive(Debug, Clone)]
pub struct Inject<T>(pub T);

impl<T> Deref for Inject<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<A: Adapter, T: Clone + Send + Sync + 'static> FromParts<A> for Inject<T> {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        parts.providers.get::<T>().map(Inject).map_err(|missing| {
            tracing::error!(%missing, "handler parameter `Inject<{}>` has no provider", type_name::<T>());
            WsError::internal()
        })
    }
}

/// A payload parameter: how its raw, decoded form becomes the parameter.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a payload parameter",
    label = "not a payload type",
    note = "a payload parameter is any `serde::Deserialize` type, `Valid<T>` (T: Deserialize + validator::Validate), or `bytes::Bytes`; if this is an extractor of your own, mark the parameter `#[extract]`",
    note = "see the guide, chapter \"Payloads and validation\""
)]
pub trait Payload: Sized {
    /// The type decoded from the event's arguments.
    type Raw: DeserializeOwned;
    /// Checks and converts the decoded value; an `Err` becomes the error ack.
    fn from_raw(raw: Self::Raw) -> Result<Self, WsError>;
}

impl<T: DeserializeOwned> Payload for T {
    type Raw = T;
    #[inline]
    fn from_raw(raw: T) -> Result<T, WsError> {
        Ok(raw)
    }
}

/// A payload validated with [`validator::Validate`] before the handler runs. On failure the
/// client gets a `validation_failed` ack listing the failing fields, and the handler never
/// sees the value.
///
/// ```
/// use gateway_core::prelude::*;
///
/// #[derive(Deserialize, Validate)]
/// struct SendMessage {
///     #[validate(length(min = 1, max = 2000))]
///     text: String,
/// }
///
/// struct Chat;
///
/// #[gateway(namespace = "/chat")]
/// impl Chat {
///     #[subscribe("send")]
///     async fn send(&self, Valid(msg): Valid<SendMessage>) -> usize {
///         msg.text.len()
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Valid<T>(pub T);

impl<T> Valid<T> {
    /// The validated value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Valid<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Valid<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: DeserializeOwned + validator::Validate> Payload for Valid<T> {
    type Raw = T;
    fn from_raw(raw: T) -> Result<Self, WsError> {
        match raw.validate() {
            Ok(()) => Ok(Valid(raw)),
            // Only on failure: name the fields as the client sent them (`projectId`, not
            // `project_id`).
            Err(errors) => Err(WsError::validation_with_names(
                &errors,
                wire_names::wire_field_names::<T>(),
            )),
        }
    }
}

/// The serde field names of a struct, as they appear on the wire.
///
/// serde exposes them only to a `Deserializer`: `deserialize_struct` receives the field
/// list (after `rename`/`rename_all`). This deserializer records it and stops; no crate
/// offers that, hence these few lines.
mod wire_names {
    use serde::de::{self, DeserializeOwned, Visitor};

    #[derive(Debug)]
    struct Stop;

    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("field names recorded")
        }
    }

    impl std::error::Error for Stop {}

    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }

    struct Recorder<'a>(&'a mut &'static [&'static str]);

    impl<'de> de::Deserializer<'de> for Recorder<'_> {
        type Error = Stop;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = fields;
            Err(Stop)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    pub(super) fn wire_field_names<T: DeserializeOwned>() -> &'static [&'static str] {
        let mut fields: &'static [&'static str] = &[];
        let _ = T::deserialize(Recorder(&mut fields));
        fields
    }
}

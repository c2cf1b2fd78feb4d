//! The parameters of the lifecycle hooks: any extractor, and the ones only a hook has,
//! [`Auth<T>`] in `#[on_connect]` and `DisconnectReason` in `#[on_disconnect]`. Those two
//! are not [`FromParts`] extractors, so a handler that names one fails to compile instead
//! of failing at runtime. As in `param.rs`, the compiler infers a marker per parameter:
//! [`ViaParts`] for an extractor, [`ViaAuth`] or [`ViaReason`] for the hook's own.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use socketioxide::adapter::Adapter;
use socketioxide::extract::TryData;
use socketioxide::handler::FromConnectParts;
use socketioxide::socket::{DisconnectReason, Socket};
use socketioxide_core::Value;

use super::param::ViaParts;
use super::{FromParts, Parts, PartsKind};
use crate::error::{WsError, sanitize_decode_error};

/// A hook's parameter trait, with its message, and its impl for every extractor.
macro_rules! hook_param {
    ($(#[$doc:meta])* $name:ident, $method:ident, $message:literal, $note:literal, $other:literal) => {
        $(#[$doc])*
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(
            message = $message,
            label = "not an extractor",
            note = $note,
            note = $other,
            note = "see the guide, chapter \"Lifecycle hooks\""
        )]
        pub trait $name<A: Adapter, M>: Sized {
            /// Builds the parameter; an `Err` skips the hook.
            fn $method(parts: &mut Parts<'_, A>) -> Result<Self, WsError>;
        }

        impl<A: Adapter, T: FromParts<A>> $name<A, ViaParts> for T {
            #[inline(always)]
            fn $method(parts: &mut Parts<'_, A>) -> Result<T, WsError> {
                T::from_parts(parts)
            }
        }
    };
}

hook_param!(
    /// A parameter of an `#[on_connect]` hook: an extractor, or [`Auth<T>`].
    ConnectParam,
    from_connect,
    "`{Self}` cannot be a parameter of an `#[on_connect]` hook",
    "`#[on_connect]` methods take extractors only (`SocketRef`, `SocketIo`, `Inject<T>`, `Claims<C>`, `Auth<T>`, or your own type implementing `socketioxide_gateway::extract::FromParts`): a hook has no event arguments to decode",
    "`DisconnectReason` is only available in `#[on_disconnect]` methods"
);

hook_param!(
    /// A parameter of an `#[on_disconnect]` hook: an extractor, or `DisconnectReason`.
    DisconnectParam,
    from_disconnect,
    "`{Self}` cannot be a parameter of an `#[on_disconnect]` hook",
    "`#[on_disconnect]` methods take extractors only (`SocketRef`, `SocketIo`, `Inject<T>`, `Claims<C>`, `DisconnectReason`, or your own type implementing `socketioxide_gateway::extract::FromParts`): a hook has no event arguments to decode",
    "`Auth<T>` is only available in `#[on_connect]` methods"
);

/// Marker: the parameter is the CONNECT auth payload.
#[doc(hidden)]
#[derive(Debug)]
pub struct ViaAuth;

/// Marker: the parameter is the disconnect reason.
#[doc(hidden)]
#[derive(Debug)]
pub struct ViaReason;

/// The auth payload a client sent with its namespace CONNECT
/// (`io(url, { auth: { token } })`), decoded as `T`; in `#[on_connect]` hooks only. A
/// client that sent none yields `T` decoded from `{}`.
#[derive(Debug, Clone)]
pub struct Auth<T>(pub T);

impl<A: Adapter, T: DeserializeOwned> ConnectParam<A, ViaAuth> for Auth<T> {
    fn from_connect(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        parts.auth().map(Auth)
    }
}

impl<A: Adapter> Parts<'_, A> {
    /// The CONNECT's auth payload decoded as `T`, at connect (in a
    /// [`provide_per_socket`](crate::GatewayApp::provide_per_socket) build, say): what the
    /// [`Auth<T>`] parameter of an `#[on_connect]` hook gets. `bad_payload` when it does not
    /// decode; `internal` outside a connect.
    pub fn auth<T: DeserializeOwned>(&self) -> Result<T, WsError> {
        let PartsKind::Connect { auth } = self.kind else {
            return Err(WsError::internal());
        };
        decode_auth(self.socket, auth)
    }
}

/// A CONNECT's auth payload decoded as `T`. No payload, or `null`, is `{}`, whatever the
/// parser: the JSON client sends none when it has no `auth`, the msgpack one a `nil`.
pub(crate) fn decode_auth<A: Adapter, T: DeserializeOwned>(
    socket: &Arc<Socket<A>>,
    auth: &Option<Value>,
) -> Result<T, WsError> {
    let absent = auth.is_none()
        || matches!(
            TryData::<Option<serde::de::IgnoredAny>>::from_connect_parts(socket, auth),
            Ok(TryData(Ok(None)))
        );
    let decoded = if absent {
        T::deserialize(serde_json::Value::Object(serde_json::Map::new()))
            .map_err(|err| err.to_string())
    } else {
        match TryData::<T>::from_connect_parts(socket, auth) {
            Ok(TryData(decoded)) => decoded.map_err(|err| err.to_string()),
            Err(never) => match never {},
        }
    };
    decoded.map_err(|err| WsError::bad_payload(sanitize_decode_error(&err)))
}

impl<A: Adapter> DisconnectParam<A, ViaReason> for DisconnectReason {
    fn from_disconnect(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        match parts.kind {
            PartsKind::Disconnect { reason } => Ok(reason),
            _ => Err(WsError::internal()),
        }
    }
}

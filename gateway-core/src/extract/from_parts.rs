//! [`FromParts`], the extractor trait, and the socket and server extractors.

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;
use socketioxide::handler::FromMessageParts;
use socketioxide_core::Value;

use super::Parts;
use crate::error::WsError;
use crate::ns_params::{self, NsParams};

/// A handler parameter built from the event's context rather than its payload.
///
/// Implement it for your own types (a current-user extractor reading the socket's
/// extensions, say): a parameter of that type is then an extractor, in handlers and in
/// `#[on_connect]`/`#[on_disconnect]` hooks. Implement it for every adapter
/// (`impl<A: Adapter> FromParts<A> for MyType`), so the gateway keeps working when the app
/// moves to another adapter.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an extractor",
    label = "not an extractor",
    note = "extractors are `SocketRef`, `SocketIo`, `Inject<T>`, `Claims<C>`, `NsParams<T>`, or your own type implementing `socketioxide_gateway::extract::FromParts`; `Auth<T>` is an `#[on_connect]` parameter and `DisconnectReason` an `#[on_disconnect]` one",
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

/// The parameters of the socket's dynamic namespace (matched when it connected).
impl<A: Adapter, T: serde::de::DeserializeOwned> FromParts<A> for NsParams<T> {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        ns_params::from_extensions(&parts.socket.extensions).map(NsParams)
    }
}

//! [`Payload`]: a parameter decoded from the event's arguments, and the decoding itself.

use serde::de::DeserializeOwned;
use socketioxide::adapter::Adapter;
use socketioxide::extract::TryData;
use socketioxide::handler::FromMessageParts;

use super::{Parts, PartsKind};
use crate::error::{WsError, sanitize_decode_error};

/// A payload parameter: how its raw, decoded form becomes the parameter.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a payload parameter",
    label = "not a payload type",
    note = "a payload parameter is any `serde::Deserialize` type, `Valid<T>` (T: Deserialize + validator::Validate), or `bytes::Bytes`; an extractor of your own implements `socketioxide_gateway::extract::FromParts`",
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
    #[inline(always)]
    fn from_raw(raw: T) -> Result<T, WsError> {
        Ok(raw)
    }
}

impl<A: Adapter> Parts<'_, A> {
    /// Decodes the event's arguments as `T` (a tuple type takes all the arguments, any
    /// other type the first one). Payload parameters are decoded with it.
    #[inline(always)]
    pub fn payload<T: DeserializeOwned>(&mut self) -> Result<T, WsError> {
        let PartsKind::Event { value } = &mut self.kind else {
            return Err(WsError::internal());
        };
        match TryData::<T>::from_message_parts(self.socket, value, &None) {
            Ok(TryData(Ok(data))) => Ok(data),
            Ok(TryData(Err(err))) => Err(decode_error(&err)),
            Err(never) => match never {},
        }
    }
}

/// A payload that did not decode, as the client sees it; compiled once.
fn decode_error(err: &socketioxide::ParserError) -> WsError {
    WsError::bad_payload(sanitize_decode_error(&err.to_string()))
}

//! [`EventName`]: the name of the event being handled, for a `#[fallback]` handler that
//! receives events of any name; and the one reading of an event's name from its packet,
//! which the dispatcher uses too.

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::handler::FromMessageParts;
use socketioxide::socket::Socket;
use socketioxide_core::Value;

use super::{FromParts, Parts, PartsKind};
use crate::error::WsError;

/// The name the client emitted the event under: `socket.emit("anything", ...)` gives
/// `EventName("anything")`. Meant for `#[fallback]` handlers (a `#[subscribe]` handler knows
/// its name); read from the packet, as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventName(pub String);

impl<A: Adapter> FromParts<A> for EventName {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        let PartsKind::Event { value } = &parts.kind else {
            return Err(WsError::internal());
        };
        with_event_name(parts.socket, value, |name| name.map(str::to_owned))
            .map(EventName)
            .ok_or_else(|| WsError::bad_payload("the event name could not be read"))
    }
}

/// Reads the event name. The common parser's packets start with `["name"`, which is read
/// in place; anything else (escapes, msgpack) goes through socketioxide's parser.
pub(crate) fn with_event_name<A: Adapter, R>(
    socket: &Arc<Socket<A>>,
    value: &Value,
    f: impl FnOnce(Option<&str>) -> R,
) -> R {
    if let Value::Str(text, _) = value {
        let text: &str = text.as_str();
        if let Some(rest) = text.strip_prefix("[\"")
            && let Some(end) = rest.find(['"', '\\'])
            && rest.as_bytes()[end] == b'"'
        {
            return f(Some(&rest[..end]));
        }
    }
    let mut value = value.clone();
    let event = socketioxide::extract::Event::from_message_parts(socket, &mut value, &None).ok();
    f(event.as_ref().map(|e| e.0.as_str()))
}

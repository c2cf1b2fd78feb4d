//! Rules across the handlers of one gateway. Rules about a single item run while the model
//! is built (`model.rs`).

use std::collections::HashMap;

use crate::errors::Errors;
use crate::model::{Gateway, Kind};

/// Event names socket.io reserves for itself; a client cannot emit them.
const RESERVED: [&str; 6] = [
    "connect",
    "connect_error",
    "disconnect",
    "disconnecting",
    "newListener",
    "removeListener",
];

pub(crate) fn check(errors: &Errors, gateway: &Gateway<'_>) {
    check_event_names(errors, gateway);
    check_duplicate_events(errors, gateway);
    check_one_fallback(errors, gateway);
}

/// A second `#[fallback]` in one gateway: which one would get an unknown event?
fn check_one_fallback(errors: &Errors, gateway: &Gateway<'_>) {
    let fallbacks = gateway
        .handlers
        .iter()
        .filter_map(|handler| match handler.kind {
            Kind::Fallback(span) => Some(span),
            _ => None,
        });
    for span in fallbacks.skip(1) {
        errors.push(syn::Error::new(
            span,
            "a gateway has one `#[fallback]`: it receives every event no handler claims",
        ));
    }
}

/// `#[subscribe("")]` and `#[subscribe("connect")]`: clients can't emit those.
fn check_event_names(errors: &Errors, gateway: &Gateway<'_>) {
    for handler in &gateway.handlers {
        if let Kind::Subscribe(event) = &handler.kind {
            check_event_name(errors, event, Direction::FromClient);
        }
    }
}

/// Who sends the event.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// `#[subscribe("...")]`.
    FromClient,
    /// `#[derive(ServerEvent)] #[event("...")]`.
    FromServer,
}

/// An event name socket.io and socketioxide can carry.
pub(crate) fn check_event_name(errors: &Errors, event: &syn::LitStr, direction: Direction) {
    let name = event.value();
    if name.is_empty() {
        errors.error_spanned_by(event, "the event name cannot be empty");
    } else if RESERVED.contains(&name.as_str()) {
        let (who, hint) = match (direction, name.as_str()) {
            (Direction::FromServer, _) => ("servers cannot emit it", ""),
            (Direction::FromClient, "connect") => (
                "clients cannot emit it",
                "; use `#[on_connect]` to run code when a socket connects",
            ),
            (Direction::FromClient, "disconnect" | "disconnecting") => (
                "clients cannot emit it",
                "; use `#[on_disconnect]` to run code when a socket leaves",
            ),
            (Direction::FromClient, _) => ("clients cannot emit it", ""),
        };
        errors.error_spanned_by(
            event,
            format!("`{name}` is reserved by socket.io and {who}{hint}"),
        );
    } else if let Some(c) = name.chars().find(|c| needs_json_escape(*c)) {
        let consequence = match direction {
            Direction::FromClient => {
                "a client sends it JSON-escaped and socketioxide closes the connection instead of routing it"
            }
            Direction::FromServer => {
                "it goes out JSON-escaped, and a client that echoes it back is disconnected by socketioxide"
            }
        };
        errors.error_spanned_by(
            event,
            format!("event names cannot contain {c:?}: {consequence}"),
        );
    }
}

/// Characters JSON must escape. socketioxide 0.18 reads the event name as a borrowed
/// `&str` out of the packet, which fails on an escaped name, and drops the connection.
fn needs_json_escape(c: char) -> bool {
    c == '"' || c == '\\' || c < ' '
}

/// Two `#[subscribe("x")]` in one impl block: the second would never run.
fn check_duplicate_events(errors: &Errors, gateway: &Gateway<'_>) {
    let mut seen = HashMap::new();
    for handler in &gateway.handlers {
        let Kind::Subscribe(event) = &handler.kind else {
            continue;
        };
        let name = event.value();
        match seen.get(&name) {
            None => {
                seen.insert(name, &handler.method.sig.ident);
            }
            Some(first) => errors.error_spanned_by(
                event,
                format!("duplicate handler for event `{name}`: `{first}` already handles it"),
            ),
        }
    }
}

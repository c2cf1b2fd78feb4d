//! Rules across the handlers of one gateway. Rules about a single item run while the model
//! is built (`model.rs`).

use std::collections::HashMap;

use crate::ctxt::Ctxt;
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

pub(crate) fn check(cx: &Ctxt, gateway: &Gateway<'_>) {
    check_event_names(cx, gateway);
    check_duplicate_events(cx, gateway);
}

/// `#[subscribe("")]` and `#[subscribe("connect")]`: clients can't emit those.
fn check_event_names(cx: &Ctxt, gateway: &Gateway<'_>) {
    for handler in &gateway.handlers {
        let Kind::Subscribe(event) = &handler.kind else {
            continue;
        };
        let name = event.value();
        if name.is_empty() {
            cx.error_spanned_by(event, "the event name cannot be empty");
        } else if RESERVED.contains(&name.as_str()) {
            let hint = match name.as_str() {
                "connect" => "; use `#[on_connect]` to run code when a socket connects",
                "disconnect" | "disconnecting" => {
                    "; use `#[on_disconnect]` to run code when a socket leaves"
                }
                _ => "",
            };
            cx.error_spanned_by(
                event,
                format!("`{name}` is reserved by socket.io and clients cannot emit it{hint}"),
            );
        }
    }
}

/// Two `#[subscribe("x")]` in one impl block: the second would never run.
fn check_duplicate_events(cx: &Ctxt, gateway: &Gateway<'_>) {
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
            Some(first) => cx.error_spanned_by(
                event,
                format!("duplicate handler for event `{name}`: `{first}` already handles it"),
            ),
        }
    }
}

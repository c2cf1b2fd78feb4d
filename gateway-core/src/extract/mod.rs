//! Handler parameters: extractors (the socket, the io handle, injected providers, the
//! claims, and in hooks the CONNECT auth payload or the disconnect reason) and payloads
//! (any `Deserialize` type, [`Valid<T>`], binary `Bytes`, [`Args`]).
//!
//! A parameter's *type* says how it gets its value; its name does not matter (a
//! `use socketioxide_gateway::prelude::SocketRef as Sock;` changes nothing):
//! - **extractors** implement [`FromParts`]: `SocketRef`, `SocketIo`, [`Inject<T>`],
//!   `Claims<C>`, and your own types. [`Auth<T>`] (in `#[on_connect]`) and
//!   `DisconnectReason` (in `#[on_disconnect]`) are hook parameters only;
//! - **payloads** implement [`Payload`]. The `n`-th payload parameter receives the event's
//!   `n`-th argument (`socket.emit("add", 2, 3)` → `a: f64, b: f64`); a single payload
//!   parameter of a tuple type takes all the arguments.
//!
//! The macro leaves the sorting to the compiler (see `param.rs` and `event_args.rs`): a type that is both is
//! ambiguous, and a parameter marked `#[extract]` is always an extractor.

mod args;
pub(crate) mod event_args;
pub(crate) mod event_name;
mod from_parts;
pub(crate) mod hooks;
pub(crate) mod init;
mod inject;
pub(crate) mod param;
mod payload;
mod valid;

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::socket::{DisconnectReason, Socket};
use socketioxide_core::Value;

use crate::providers::Providers;

pub use args::{Arg, Args};
pub use event_name::EventName;
pub use from_parts::FromParts;
pub use hooks::Auth;
pub use inject::Inject;
pub use payload::Payload;
pub use valid::Valid;

/// What a handler is being called for, with the socket and the app's context.
pub struct Parts<'a, A: Adapter> {
    pub(crate) socket: &'a Arc<Socket<A>>,
    pub(crate) providers: &'a Providers,
    pub(crate) event: &'a str,
    pub(crate) kind: PartsKind<'a>,
}

/// What the parts were built for: an event (with its arguments) or a lifecycle hook.
pub(crate) enum PartsKind<'a> {
    Event { value: &'a mut Value },
    Connect { auth: &'a Option<Value> },
    Disconnect { reason: DisconnectReason },
}

impl<A: Adapter> Parts<'_, A> {
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
}

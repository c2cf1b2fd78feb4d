//! Emitting [`ServerEvent`]s: the event name comes from the payload's type, so it is
//! written once, on the type, and the exported contracts know it.

use std::future::Future;

use socketioxide::adapter::Adapter;
use socketioxide::operators::BroadcastOperators;
use socketioxide::socket::Socket;
use socketioxide::{BroadcastError, SendError, SocketIo};

/// The event the server reports failures with: every NestJS-mode failure, and failures of
/// envelope-mode emits without an ack when the app enables `report_exceptions` (see
/// `book/src/acks-and-errors.md`).
pub(crate) const EXCEPTION_EVENT: &str = "exception";

/// A server-to-client event: its name, declared once next to its payload type.
///
/// Derive it: `#[derive(Serialize, JsonSchema, ServerEvent)] #[event("new-message")]`; emit
/// it with [`EmitEvent`] (`socket.emit_event(&msg)`, `io.to(room).emit_event(&msg).await`);
/// list it in `#[gateway(emits(NewMessage))]` so the exported contracts include it
/// (`JsonSchema` gives its payload a shape there; emitting needs only `Serialize`, and this
/// compiles without the `contracts` feature too).
///
/// ```no_run
/// use socketioxide_gateway::prelude::*;
///
/// #[derive(Serialize, ServerEvent)]
/// #[event("new-message")]
/// struct NewMessage {
///     text: String,
/// }
///
/// #[derive(Default)]
/// struct ChatGateway;
///
/// #[gateway(namespace = "/chat", emits(NewMessage))]
/// impl ChatGateway {
///     #[subscribe("send")]
///     async fn send(&self, socket: SocketRef, text: String) {
///         socket.within("lobby").emit_event(&NewMessage { text }).await.ok();
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a server event",
    label = "not a `ServerEvent`",
    note = "derive it on the payload type: `#[derive(Serialize, JsonSchema, ServerEvent)]` with `#[event(\"name\")]`"
)]
pub trait ServerEvent: serde::Serialize {
    /// The event name clients listen to.
    const NAME: &'static str;
}

/// `socket.emit_event(&msg)`: emits a [`ServerEvent`] to one socket.
pub trait EmitEvent {
    /// Emits `event` under its [`ServerEvent::NAME`].
    fn emit_event<E: ServerEvent>(&self, event: &E) -> Result<(), SendError>;
}

impl<A: Adapter> EmitEvent for Socket<A> {
    fn emit_event<E: ServerEvent>(&self, event: &E) -> Result<(), SendError> {
        self.emit(E::NAME, event)
    }
}

/// `io.emit_event(&msg).await`, `socket.to(room).emit_event(&msg).await`: broadcasts a
/// [`ServerEvent`].
pub trait BroadcastEvent {
    /// Broadcasts `event` under its [`ServerEvent::NAME`].
    fn emit_event<E: ServerEvent>(
        self,
        event: &E,
    ) -> impl Future<Output = Result<(), BroadcastError>> + Send;
}

impl<A: Adapter> BroadcastEvent for BroadcastOperators<A> {
    fn emit_event<E: ServerEvent>(
        self,
        event: &E,
    ) -> impl Future<Output = Result<(), BroadcastError>> + Send {
        self.emit(E::NAME, event)
    }
}

impl<A: Adapter> BroadcastEvent for &SocketIo<A> {
    fn emit_event<E: ServerEvent>(
        self,
        event: &E,
    ) -> impl Future<Output = Result<(), BroadcastError>> + Send {
        self.broadcast().emit(E::NAME, event)
    }
}

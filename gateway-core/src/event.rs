//! Emitting [`ServerEvent`]s: the event name comes from the payload's type, so it is
//! written once, on the type, and the exported contracts know it.

use std::future::Future;
use std::sync::Arc;

use serde::Serialize;
use socketioxide::adapter::Adapter;
use socketioxide::operators::BroadcastOperators;
use socketioxide::socket::{Sid, Socket};
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
        emit_watched(self, E::NAME, event)
    }
}

/// Told what the app sends (the Admin UI's `event_sent` and `packetsOut`, feature
/// `admin-ui`). A watched app puts a [`Watched`] in every Socket.IO request's extensions
/// (`BuiltApp::mount`), so each socket's handshake carries it: an emit to one socket finds
/// it there, and a broadcast in the namespace's adapter (`watched_adapter.rs`). Without the
/// feature nothing is looked up; with it and the Admin UI off, an emit or an ack pays one
/// lookup in the request's (small) extension map.
#[cfg_attr(not(feature = "admin-ui"), allow(dead_code))]
pub(crate) trait SentWatch: Send + Sync + 'static {
    /// Whether each event's name and arguments are wanted (encoding them costs).
    fn wants_details(&self) -> bool;
    /// The sockets `sids` of namespace `ns` were each sent an event: its name first, then
    /// its arguments, if details are wanted.
    fn event_sent(&self, ns: &str, sids: Vec<Sid>, args: Option<serde_json::Value>);
    /// `n` packets that are not events (acknowledgements) went out.
    fn packets_sent(&self, n: u64);
}

/// The [`SentWatch`] of a watched app, as a request extension.
#[derive(Clone)]
#[cfg_attr(not(feature = "admin-ui"), allow(dead_code))]
pub(crate) struct Watched(pub(crate) Arc<dyn SentWatch>);

/// The watch of the app `socket` belongs to, if it is watched.
#[cfg(feature = "admin-ui")]
pub(crate) fn watch_of<A: Adapter>(socket: &Socket<A>) -> Option<&Watched> {
    socket.req_parts().extensions.get::<Watched>()
}

/// Without the Admin UI nothing watches.
#[cfg(not(feature = "admin-ui"))]
#[inline(always)]
pub(crate) fn watch_of<A: Adapter>(_: &Socket<A>) -> Option<&Watched> {
    None
}

/// `socket.emit(event, data)`, told to the app's watch: the one way the framework emits to
/// one socket (`emit_event`, the `exception` event).
pub(crate) fn emit_watched<A: Adapter, T: Serialize + ?Sized>(
    socket: &Socket<A>,
    event: &str,
    data: &T,
) -> Result<(), SendError> {
    socket.emit(event, &one_argument(data))?;
    if let Some(Watched(watch)) = watch_of(socket) {
        let args = watch.wants_details().then(|| {
            let data = serde_json::to_value(data).unwrap_or(serde_json::Value::Null);
            serde_json::Value::Array(vec![event.into(), data])
        });
        watch.event_sent(socket.ns(), vec![socket.id], args);
    }
    Ok(())
}

/// `io.emit_event(&msg).await`, `socket.to(room).emit_event(&msg).await`: broadcasts a
/// [`ServerEvent`].
pub trait BroadcastEvent {
    /// Broadcasts `event` under its [`ServerEvent::NAME`] (the future holds `&E`, hence
    /// `Sync`).
    fn emit_event<E: ServerEvent + Sync>(
        self,
        event: &E,
    ) -> impl Future<Output = Result<(), BroadcastError>> + Send;
}

impl<A: Adapter> BroadcastEvent for BroadcastOperators<A> {
    async fn emit_event<E: ServerEvent + Sync>(self, event: &E) -> Result<(), BroadcastError> {
        self.emit(E::NAME, &one_argument(event)).await
    }
}

impl<A: Adapter> BroadcastEvent for &SocketIo<A> {
    fn emit_event<E: ServerEvent + Sync>(
        self,
        event: &E,
    ) -> impl Future<Output = Result<(), BroadcastError>> + Send {
        let to_all = self.broadcast();
        async move { to_all.emit(E::NAME, &one_argument(event)).await }
    }
}

/// `data` as exactly one argument of the event, whatever its shape. socketioxide spreads a
/// tuple into several arguments, and takes a newtype struct (`struct Joined(String)`) for
/// one and writes it without the event name, a packet clients refuse; inside a 1-tuple, a
/// payload is always the event's one argument, the shape the contracts declare.
fn one_argument<T: ?Sized>(data: &T) -> (&T,) {
    (data,)
}

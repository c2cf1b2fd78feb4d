//! The path of one event: the socket's dispatcher finds the event's handler in its
//! namespace's table, counts the event in flight, makes its [`Reply`], and hands it to the
//! policies ([`policy::admit`]), which [`start`] the handler.

use std::future::Future;
use std::sync::Arc;

use futures_util::FutureExt;
use socketioxide::adapter::Adapter;
use socketioxide::handler::FromMessageParts;
use socketioxide::socket::Socket;
use socketioxide_core::Value;
use tracing::Instrument;

use crate::error::WsError;
use crate::extract::{Parts, PartsKind};
use crate::intercept::Interception;
use crate::panic::{self, Site};
use crate::runtime::drain::InFlight;
use crate::runtime::policy;
use crate::runtime::reply::{Reply, respond_err};
use crate::runtime::span::EventSpan;
use crate::runtime::table::{BoxFuture, Namespace, StartFn};

impl<A: Adapter> Namespace<A> {
    /// Routes one event of `socket` to its handler, or answers it (`not_found`,
    /// `bad_payload`, `unavailable` while shutting down).
    pub(crate) fn dispatch(&self, socket: Arc<Socket<A>>, value: Value, ack_id: Option<i64>) {
        let found = with_event_name(&socket, &value, |name| match name {
            Some(name) => match self.events.get_key_value(name) {
                Some((&event, handler)) => Ok((event, handler)),
                None => Err((
                    name.to_owned(),
                    WsError::not_found(format!("no handler for event `{name}`")),
                )),
            },
            None => Err((
                String::new(),
                WsError::bad_payload("the event name could not be read"),
            )),
        });
        let (event, handler) = match found {
            Ok(found) => found,
            Err((event, err)) => {
                tracing::debug!(ns = self.path, %event, %err, "event not dispatched");
                return respond_err(&socket, ack_id, &self.app, &event, self.mode, &err);
            }
        };
        let Some(in_flight) = InFlight::enter(&self.app) else {
            tracing::debug!(ns = self.path, %event, "event refused: shutting down");
            let err = WsError::unavailable();
            return respond_err(&socket, ack_id, &self.app, event, handler.mode, &err);
        };
        let span = EventSpan::start(self.path, event, socket.id);
        let interception = Interception::start(
            &handler.interceptors,
            self.path,
            event,
            socket.id,
            ack_id.is_some(),
        );
        let reply = Reply::new(
            socket,
            ack_id,
            in_flight,
            event,
            handler.mode,
            interception,
            span,
        );
        policy::admit(handler, value, reply);
    }
}

/// Builds the handler's parameters from the event and returns its task: the handler, then
/// its ack. On an extraction error (or panic) the event is answered and there is no task.
pub(crate) fn start<A: Adapter>(
    start: &StartFn<A>,
    mut value: Value,
    reply: Reply<A>,
) -> Option<impl Future<Output = ()> + Send + 'static> {
    let event = reply.event();
    let span = EventSpan::of(reply.span());
    let socket = reply.socket().clone();
    let app = reply.app().clone();
    let mut parts = Parts {
        socket: &socket,
        providers: &app.providers,
        event,
        kind: PartsKind::Event { value: &mut value },
    };
    // A panic while extracting drops the reply, which answers `internal`.
    let job = panic::catch(Site::Event(event), || start(&mut parts, reply)).flatten()?;
    Some(handler_task(event, job).instrument(span))
}

/// The task of one handler: one type for every handler (the future is boxed), so the task
/// machinery is compiled once. A panic is reported here; the handler's reply, dropped with
/// its future, answers `internal`.
fn handler_task(event: &'static str, job: BoxFuture) -> impl Future<Output = ()> + Send {
    panic::catch_future(Site::Event(event), job).map(drop)
}

/// Reads the event name. The common parser's packets start with `["name"`, which is read
/// in place; anything else (escapes, msgpack) goes through socketioxide's parser.
fn with_event_name<A: Adapter, R>(
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

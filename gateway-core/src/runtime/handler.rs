//! Starting a handler: its parameters built from the event (through its erased
//! [`StartFn`]), and its task, one type for every handler.

use std::future::Future;

use futures_util::FutureExt;
use socketioxide::adapter::Adapter;
use socketioxide_core::Value;
use tracing::Instrument;

use crate::extract::{Parts, PartsKind};
use crate::panic::{self, Site};
use crate::runtime::reply::Reply;
use crate::runtime::span::EventSpan;
use crate::runtime::table::{BoxFuture, StartFn};

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

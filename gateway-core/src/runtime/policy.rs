//! The policies an event passes before its handler runs, in order: the rate limits, the
//! ordering (`#[ordered]` events wait for the socket's earlier ones), the guards. And the
//! one guard loop, used for connections and for events alike.

use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use socketioxide::adapter::Adapter;
use socketioxide::socket::Socket;
use socketioxide_core::Value;
use tracing::Instrument;

use crate::error::WsError;
use crate::guard::{GuardContext, GuardFuture, GuardRef, Stage};
use crate::panic::{self, Site};
use crate::runtime::context::AppContext;
use crate::runtime::handler::start;
use crate::runtime::queue::SocketQueue;
use crate::runtime::reply::Reply;
use crate::runtime::span::EventSpan;
use crate::runtime::table::EventHandler;
use crate::throttle::Verdict;

/// The `retry_after_ms` hint of an event refused because its socket's ordered backlog is full.
const ORDERED_BACKLOG_RETRY: Duration = Duration::from_millis(100);

/// Runs an accepted event through its handler's rate limits, ordering and guards, then
/// starts the handler.
pub(crate) fn admit<A: Adapter>(handler: &EventHandler<A>, value: Value, reply: Reply<A>) {
    for throttle in &handler.throttles {
        match throttle.check(&reply.socket().extensions) {
            Verdict::Allowed => {}
            Verdict::Refused(err) => return reply.fail(err),
            Verdict::Disconnect(err) => {
                let socket = reply.socket().clone();
                reply.fail(err);
                tracing::warn!(sid = %socket.id, ns = socket.ns(), "rate limit exceeded repeatedly; disconnecting");
                let _ = socket.disconnect();
                return;
            }
        }
    }
    if handler.ordered {
        return enqueue(handler, value, reply);
    }
    if handler.guards.is_empty() {
        if let Some(job) = start(&*handler.start, value, reply) {
            tokio::spawn(job);
        }
        return;
    }
    // Most checks (a claim in the socket's extensions, a connection-only guard's default
    // `Ok`) finish at once: polled here, in the dispatcher, the event needs no task of its
    // own before its handler's. The checks' logs belong to the event, as the handler's do.
    let check = check_guards(handler.guards.clone(), GuardScope::event(&reply));
    let polled = {
        let _entered = EventSpan::enter(reply.span());
        poll_now(check)
    };
    match polled {
        Ok(Ok(())) => {
            if let Some(job) = start(&*handler.start, value, reply) {
                tokio::spawn(job);
            }
        }
        Ok(Err(err)) => reply.fail(err),
        Err(check) => {
            // A guard that really awaits: the same check (not a second run) goes on in a
            // task, which then runs the handler.
            let start_fn = handler.start.clone();
            let span = EventSpan::of(reply.span());
            tokio::spawn(
                async move {
                    match check.await {
                        Ok(()) => {
                            if let Some(job) = start(&*start_fn, value, reply) {
                                job.await;
                            }
                        }
                        Err(err) => reply.fail(err),
                    }
                }
                .instrument(span),
            );
        }
    }
}

/// An `#[ordered]` event: decoded now, in arrival order; run after the socket's earlier
/// events. Its guards run in the queue too, so they see what the socket's earlier events
/// did (a `login` that stored the user, say).
fn enqueue<A: Adapter>(handler: &EventHandler<A>, value: Value, reply: Reply<A>) {
    let queue = SocketQueue::of(reply.socket(), reply.app().max_ordered_backlog);
    if !queue.has_room() {
        // The retry delay is a hint: the backlog drains as fast as the handler.
        return reply.fail(WsError::rate_limited(ORDERED_BACKLOG_RETRY));
    }
    if handler.guards.is_empty() {
        if let Some(job) = start(&*handler.start, value, reply) {
            queue.push(Box::pin(job));
        }
        return;
    }
    let start_fn = handler.start.clone();
    // Only the checks are instrumented here: the handler's job carries the span itself.
    let span = EventSpan::of(reply.span());
    let check = check_guards(handler.guards.clone(), GuardScope::event(&reply)).instrument(span);
    queue.push(Box::pin(async move {
        if let Err(err) = check.await {
            return reply.fail(err);
        }
        if let Some(job) = start(&*start_fn, value, reply) {
            job.await;
        }
    }));
}

/// Polls a check once with a no-op waker: its result, or the check itself when it is not
/// done. The task that takes it over polls it again with its own waker, as every future
/// expects to be.
fn poll_now(mut check: GuardFuture<'static>) -> Result<Result<(), WsError>, GuardFuture<'static>> {
    let mut task_cx = Context::from_waker(Waker::noop());
    match check.as_mut().poll(&mut task_cx) {
        Poll::Ready(result) => Ok(result),
        Poll::Pending => Err(check),
    }
}

/// What a set of guards checks, owning everything their [`GuardContext`] borrows so that
/// the check is `'static`: it can be polled in place, then handed to a task.
pub(crate) struct GuardScope<A: Adapter> {
    socket: Arc<Socket<A>>,
    app: Arc<AppContext>,
    checking: Checking,
}

enum Checking {
    /// A namespace CONNECT, with its auth payload (`None`: absent or `{}`).
    Connect { auth: Option<serde_json::Value> },
    /// An event.
    Event(&'static str),
}

impl<A: Adapter> GuardScope<A> {
    /// The connection check of `socket`.
    pub(crate) fn connect(
        socket: Arc<Socket<A>>,
        app: Arc<AppContext>,
        auth: Option<serde_json::Value>,
    ) -> Self {
        let auth = auth.filter(|a| !a.as_object().is_some_and(|o| o.is_empty()));
        Self {
            socket,
            app,
            checking: Checking::Connect { auth },
        }
    }

    /// The check of the event `reply` answers.
    fn event(reply: &Reply<A>) -> Self {
        Self {
            socket: reply.socket().clone(),
            app: reply.app().clone(),
            checking: Checking::Event(reply.event()),
        }
    }

    /// What the guards see: built here and nowhere else.
    fn context(&self) -> GuardContext<'_> {
        let (auth, event) = match &self.checking {
            Checking::Connect { auth } => (auth.as_ref(), None),
            Checking::Event(event) => (None, Some(*event)),
        };
        GuardContext {
            sid: self.socket.id,
            namespace: self.socket.ns(),
            request: self.socket.req_parts(),
            auth,
            event,
            extensions: &self.socket.extensions,
            providers: &self.app.providers,
        }
    }
}

/// The guard loop: each guard's check in order; the first refusal wins, and a panicking
/// guard refuses with `internal`.
pub(crate) fn check_guards<A: Adapter>(
    guards: Arc<[GuardRef]>,
    scope: GuardScope<A>,
) -> GuardFuture<'static> {
    Box::pin(async move {
        let (stage, name) = match &scope.checking {
            Checking::Connect { .. } => (Stage::Connect, "connect"),
            Checking::Event(event) => (Stage::Event, *event),
        };
        let cx = scope.context();
        for guard in guards.iter() {
            match panic::catch_future(Site::Guard(name), guard.0.check(stage, &cx)).await {
                Some(Ok(())) => {}
                Some(Err(err)) => return Err(err),
                None => return Err(WsError::internal()),
            }
        }
        Ok(())
    })
}

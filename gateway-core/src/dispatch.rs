//! The runtime path of an event: one dispatcher per socket routes every event through a
//! per-namespace table built once at startup, runs the handler, and sends exactly one ack.
//!
//! socketioxide stores one boxed handler per `socket.on(event)` call, per socket. Instead,
//! each socket gets a single fallback handler (an `Arc` to the namespace's table), so a
//! gateway with 30 events costs a socket no more than one with 1.

use std::collections::HashMap;
use std::fmt::Display;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use serde::Serialize;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, TryData};
use socketioxide::handler::{
    ConnectHandler, DisconnectHandler, FromConnectParts, FromMessageParts, MessageHandler,
};
use socketioxide::socket::{DisconnectReason, Socket};
use socketioxide_core::Value;
use tracing::Instrument;

use crate::ack::{AckMode, ErrEnvelope, ExceptionEvent, IntoAck, NestError, OkAck};
use crate::drain::{Drain, InFlight};
use crate::error::WsError;
use crate::extract::{Parts, PartsKind};
use crate::gateway::Location;
use crate::guard::{EventScope, GuardContext, GuardFuture, GuardRef};
use crate::intercept::{InterceptorRef, Watch};
use crate::providers::Providers;
use crate::throttle::{Throttle, Verdict};

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;
/// A handler with its types erased at the boundary: decodes the call's arguments, then
/// spawns the task that runs the handler and sends its ack ([`Sched::Spawn`]) or returns it
/// ([`Sched::Boxed`]). Everything around it (rate limits, guards, ordering) is code shared
/// by all handlers, compiled once rather than once per handler.
type StartFn<A> = dyn Fn(Call<A>, Sched) -> Option<BoxFuture> + Send + Sync + 'static;

/// What [`StartFn`] does with the handler's task.
#[derive(Clone, Copy)]
enum Sched {
    Spawn,
    Boxed,
}
type HookFn<A> = Box<dyn for<'p> Fn(&mut Parts<'p, A>) -> Result<BoxFuture, WsError> + Send + Sync>;
type InitFn<A> =
    Box<dyn FnOnce(&SocketIo<A>, &Providers) -> Result<BoxFuture, WsError> + Send + Sync>;

/// Settings shared by every namespace of an app.
pub(crate) struct AppContext {
    pub(crate) providers: Providers,
    pub(crate) report_exceptions: bool,
    pub(crate) interceptors: Arc<[InterceptorRef]>,
    pub(crate) max_ordered_backlog: usize,
    /// Events in flight, for graceful shutdown.
    pub(crate) drain: Drain,
}

impl AppContext {
    #[cfg(test)]
    pub(crate) fn for_tests() -> Self {
        Self {
            providers: Providers::default(),
            report_exceptions: false,
            interceptors: Arc::new([]),
            max_ordered_backlog: 1,
            drain: Drain::default(),
        }
    }
}

/// The event's `tracing` span and its dispatch time, for its latency. Only built when the
/// span is enabled (`gateway_core::event` at DEBUG); events carry `None` otherwise, which
/// keeps the spawned future small.
struct Trace {
    span: tracing::Span,
    started: Instant,
}

impl Trace {
    fn start(
        namespace: &'static str,
        event: &'static str,
        sid: socketioxide::socket::Sid,
    ) -> Option<Box<Self>> {
        let span = tracing::debug_span!(
            target: "gateway_core::event",
            "event",
            namespace,
            event,
            sid = %sid,
            outcome = tracing::field::Empty,
            latency_us = tracing::field::Empty,
        );
        if span.is_disabled() {
            return None;
        }
        Some(Box::new(Self {
            span,
            started: Instant::now(),
        }))
    }

    /// The event's span, or a disabled one when events are not traced.
    fn span_of(trace: Option<&Self>) -> tracing::Span {
        trace.map_or_else(tracing::Span::none, |t| t.span.clone())
    }

    fn finish(&self, result: Result<(), &WsError>) {
        let started = self.started;
        let outcome = match result {
            Ok(()) => "ok",
            Err(err) => err.code(),
        };
        let latency = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.span.record("outcome", outcome);
        self.span.record("latency_us", latency);
        tracing::debug!(target: "gateway_core::event", parent: &self.span, outcome, latency_us = latency, "event handled");
    }
}

/// One incoming event, handed to a handler's erased entry point.
pub(crate) struct Call<A: Adapter> {
    socket: Arc<Socket<A>>,
    value: Value,
    ack_id: Option<i64>,
    /// The app context; counts the event as in flight until the reply is sent.
    cx: InFlight,
    event: &'static str,
    mode: AckMode,
    watch: Option<Box<Watch>>,
    trace: Option<Box<Trace>>,
}

impl<A: Adapter> Call<A> {
    fn span(&self) -> tracing::Span {
        Trace::span_of(self.trace.as_deref())
    }

    /// Answers the event with an error (the handler does not run).
    fn fail(self, err: WsError) {
        let reply = Reply {
            socket: self.socket,
            ack_id: self.ack_id,
            cx: self.cx,
            event: self.event,
            mode: self.mode,
            watch: self.watch,
            trace: self.trace,
        };
        reply.send::<()>(Err(err));
    }
}

/// Where a handler's result goes.
struct Reply<A: Adapter> {
    socket: Arc<Socket<A>>,
    ack_id: Option<i64>,
    cx: InFlight,
    event: &'static str,
    mode: AckMode,
    watch: Option<Box<Watch>>,
    trace: Option<Box<Trace>>,
}

impl<A: Adapter> Reply<A> {
    fn span(&self) -> tracing::Span {
        Trace::span_of(self.trace.as_deref())
    }

    /// Tells the interceptors, then sends the ack (or reports the failure). The event stops
    /// counting as in flight once the ack is on its socket's queue.
    fn send<T: Serialize>(self, result: Result<T, WsError>) {
        if let Some(watch) = &self.watch {
            // Before the ack goes out, so that whoever sees the ack also sees the record.
            watch.finish(self.socket.ns(), self.event, result.as_ref().map(|_| ()));
        }
        if let Some(trace) = &self.trace {
            trace.finish(result.as_ref().map(|_| ()));
        }
        respond(
            &self.socket,
            self.ack_id,
            &self.cx,
            self.event,
            self.mode,
            result,
        );
    }
}

/// Runs the generated extraction; on failure answers the event and returns `None`.
fn extract_call<A, F, Fut>(extract: &F, call: Call<A>) -> Option<(Fut, Reply<A>)>
where
    A: Adapter,
    F: for<'p> Fn(&mut Parts<'p, A>) -> Result<Fut, WsError>,
{
    let Call {
        socket,
        mut value,
        ack_id,
        cx,
        event,
        mode,
        watch,
        trace,
    } = call;
    let extracted = {
        let mut parts = Parts {
            socket: &socket,
            providers: &cx.providers,
            event,
            kind: PartsKind::Event { value: &mut value },
        };
        catch_unwind(AssertUnwindSafe(|| extract(&mut parts)))
    };
    let reply = Reply {
        socket,
        ack_id,
        cx,
        event,
        mode,
        watch,
        trace,
    };
    let err = match extracted {
        Ok(Ok(fut)) => return Some((fut, reply)),
        Ok(Err(err)) => err,
        Err(panic) => {
            log_panic(event, &*panic);
            WsError::internal()
        }
    };
    reply.send::<()>(Err(err));
    None
}

/// Runs an event through its handler's rate limits, guards and ordering, then starts it.
fn handle<A: Adapter>(handler: &EventHandler<A>, call: Call<A>) {
    for throttle in &handler.throttles {
        match throttle.check(&call.socket.extensions) {
            Verdict::Allowed => {}
            Verdict::Refused(err) => return call.fail(err),
            Verdict::Disconnect(err) => {
                let socket = call.socket.clone();
                call.fail(err);
                tracing::warn!(sid = %socket.id, ns = socket.ns(), "rate limit exceeded repeatedly; disconnecting");
                let _ = socket.disconnect();
                return;
            }
        }
    }
    if handler.ordered {
        // Decoded now, in arrival order; run after the socket's earlier events.
        let queue = SocketQueue::of(&call.socket, call.cx.max_ordered_backlog);
        if !queue.has_room() {
            // The retry delay is a hint: the backlog drains as fast as the handler.
            return call.fail(WsError::rate_limited(ORDERED_BACKLOG_RETRY));
        }
        if handler.guards.is_empty() {
            if let Some(job) = (handler.start)(call, Sched::Boxed) {
                queue.push(job);
            }
            return;
        }
        // The guards run in the queue too: they see what the socket's earlier events did
        // (a `login` that stored the user, say).
        // Only the checks are instrumented here: the handler's job carries the span itself.
        let (guards, start) = (handler.guards.clone(), handler.start.clone());
        let span = call.span();
        queue.push(Box::pin(async move {
            let checked = check_event_guards(&guards, &call).instrument(span).await;
            if let Err(err) = checked {
                return call.fail(err);
            }
            if let Some(job) = start(call, Sched::Boxed) {
                job.await;
            }
        }));
        return;
    }
    let checked = {
        // The checks' logs belong to the event, as the handler's do.
        let _entered = call.trace.as_ref().map(|t| t.span.enter());
        check_guards_now(&handler.guards, &call)
    };
    match checked {
        Checked::Passed => {
            (handler.start)(call, Sched::Spawn);
        }
        Checked::Refused(err) => call.fail(err),
        Checked::Pending { check, next } => {
            // A guard that really awaits: its check (the same future, not a second run)
            // and the guards after it go on in a task of their own.
            let (guards, start) = (handler.guards.clone(), handler.start.clone());
            let span = call.span();
            tokio::spawn(
                async move {
                    let checked = match AssertUnwindSafe(check).catch_unwind().await {
                        Ok(checked) => checked,
                        Err(panic) => {
                            log_panic(call.event, &*panic);
                            Err(WsError::internal())
                        }
                    };
                    let checked = match checked {
                        Ok(()) => check_event_guards(&guards[next..], &call).await,
                        Err(err) => Err(err),
                    };
                    match checked {
                        Ok(()) => {
                            start(call, Sched::Spawn);
                        }
                        Err(err) => call.fail(err),
                    }
                }
                .instrument(span),
            );
        }
    }
}

/// The outcome of running an event's guards without waiting.
enum Checked {
    Passed,
    Refused(WsError),
    /// The guard before `next` is not done yet.
    Pending {
        check: GuardFuture<'static>,
        next: usize,
    },
}

/// Polls each guard's check once, in order, in the dispatcher: most checks (a claim in the
/// socket's extensions, a connection-only guard's default `Ok`) finish at once, and then the
/// event needs no task of its own before its handler's.
fn check_guards_now<A: Adapter>(guards: &[GuardRef], call: &Call<A>) -> Checked {
    let mut poll_cx = std::task::Context::from_waker(std::task::Waker::noop());
    for (i, guard) in guards.iter().enumerate() {
        let mut check = guard.0.clone().event_owned(EventScope {
            socket: call.socket.clone(),
            app: call.cx.app().clone(),
            event: call.event,
        });
        match catch_unwind(AssertUnwindSafe(|| check.as_mut().poll(&mut poll_cx))) {
            Ok(Poll::Ready(Ok(()))) => {}
            Ok(Poll::Ready(Err(err))) => return Checked::Refused(err),
            // Polled with a no-op waker: the task that takes it over polls it again with
            // its own, as every future expects to be.
            Ok(Poll::Pending) => {
                return Checked::Pending { check, next: i + 1 };
            }
            Err(panic) => {
                log_panic(call.event, &*panic);
                return Checked::Refused(WsError::internal());
            }
        }
    }
    Checked::Passed
}

/// Runs the event guards in order; the first rejection (or panic) wins.
async fn check_event_guards<A: Adapter>(
    guards: &[GuardRef],
    call: &Call<A>,
) -> Result<(), WsError> {
    let socket = &call.socket;
    let cx = GuardContext {
        sid: socket.id,
        namespace: socket.ns(),
        request: socket.req_parts(),
        auth: None,
        event: Some(call.event),
        extensions: &socket.extensions,
        providers: &call.cx.providers,
    };
    for guard in guards {
        match AssertUnwindSafe(guard.0.event(&cx)).catch_unwind().await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => return Err(err),
            Err(panic) => {
                log_panic(call.event, &*panic);
                return Err(WsError::internal());
            }
        }
    }
    Ok(())
}

/// The `retry_after_ms` hint of an event refused because its socket's ordered backlog is full.
const ORDERED_BACKLOG_RETRY: Duration = Duration::from_millis(100);

/// A socket's FIFO of `#[ordered]` events: one worker task per socket, started at its first
/// ordered event and ended when the socket (holding the sender in its extensions) is gone.
#[derive(Clone)]
struct SocketQueue {
    jobs: tokio::sync::mpsc::Sender<BoxFuture>,
}

impl SocketQueue {
    fn of<A: Adapter>(socket: &Arc<Socket<A>>, backlog: usize) -> Self {
        if let Some(queue) = socket.extensions.get::<SocketQueue>() {
            return queue;
        }
        // socketioxide dispatches one socket's packets one after the other, so two events
        // of the same socket never race to create the queue.
        let (jobs, mut rx) = tokio::sync::mpsc::channel::<BoxFuture>(backlog.max(1));
        tokio::spawn(async move {
            while let Some(job) = rx.recv().await {
                // Jobs catch their handler's panics; this keeps the queue alive even if a
                // panic escapes elsewhere (an interceptor, a serializer), so the socket's
                // later events still run.
                if AssertUnwindSafe(job).catch_unwind().await.is_err() {
                    tracing::error!("an ordered event panicked outside its handler");
                }
            }
        });
        let queue = SocketQueue { jobs };
        socket.extensions.insert(queue.clone());
        queue
    }

    /// Whether one more event fits in the backlog. Only this socket's dispatch (one packet
    /// at a time) pushes, and the worker only frees room, so a `true` holds until `push`.
    fn has_room(&self) -> bool {
        self.jobs.capacity() > 0
    }

    /// Queues `job`. Should the queue be unusable, the job runs on its own task instead:
    /// out of order, but its client still gets its one ack.
    fn push(&self, job: BoxFuture) {
        use tokio::sync::mpsc::error::TrySendError;
        if let Err(TrySendError::Full(job) | TrySendError::Closed(job)) = self.jobs.try_send(job) {
            tracing::error!("ordered queue unavailable; running the event out of order");
            tokio::spawn(job);
        }
    }
}

/// Per-handler settings from the method's attributes.
#[doc(hidden)]
#[derive(Default)]
pub struct HandlerOptions {
    guards: Vec<GuardRef>,
    throttle: Option<Throttle>,
    ordered: bool,
}

impl HandlerOptions {
    /// Adds a `#[guard(...)]`.
    #[must_use]
    pub fn guard(mut self, guard: GuardRef) -> Self {
        self.guards.push(guard);
        self
    }

    /// Sets the `#[throttle(...)]`.
    #[must_use]
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// `#[ordered]`: one at a time per socket, in arrival order.
    #[must_use]
    pub fn ordered(mut self) -> Self {
        self.ordered = true;
        self
    }
}

struct EventHandler<A: Adapter> {
    mode: AckMode,
    interceptors: Arc<[InterceptorRef]>,
    /// The gateway's guards, then the handler's.
    guards: Arc<[GuardRef]>,
    /// The gateway's rate limit, then the handler's.
    throttles: Box<[Throttle]>,
    ordered: bool,
    start: Arc<StartFn<A>>,
}

struct Registered {
    gateway: &'static str,
    location: Location,
}

/// Collects the handlers of every gateway that serves one namespace. Generated code calls
/// its (hidden) methods from `Gateway::register`.
pub struct NamespaceBuilder<A: Adapter> {
    path: &'static str,
    gateway: &'static str,
    mode: AckMode,
    cx: Arc<AppContext>,
    events: HashMap<&'static str, (EventHandler<A>, Registered)>,
    conflicts: Vec<String>,
    connect: Vec<HookFn<A>>,
    disconnect: Vec<HookFn<A>>,
    init: Vec<(&'static str, InitFn<A>)>,
    modes: Vec<AckMode>,
    /// Guards of the gateway being registered.
    gateway_guards: Vec<GuardRef>,
    /// Rate limit of the gateway being registered.
    gateway_throttle: Option<Throttle>,
    /// Every gateway guard of the namespace: all run at connection.
    connect_guards: Vec<GuardRef>,
    /// App-wide interceptors, then the current gateway's.
    app_interceptors: Arc<[InterceptorRef]>,
    gateway_interceptors: Vec<InterceptorRef>,
    /// The current gateway's events are handled one at a time per socket.
    gateway_ordered: bool,
}

impl<A: Adapter> NamespaceBuilder<A> {
    pub(crate) fn new(path: &'static str, cx: Arc<AppContext>) -> Self {
        let app_interceptors = cx.interceptors.clone();
        Self {
            path,
            gateway: "",
            mode: AckMode::default(),
            cx,
            events: HashMap::new(),
            conflicts: Vec::new(),
            connect: Vec::new(),
            disconnect: Vec::new(),
            init: Vec::new(),
            modes: Vec::new(),
            gateway_guards: Vec::new(),
            gateway_throttle: None,
            connect_guards: Vec::new(),
            app_interceptors,
            gateway_interceptors: Vec::new(),
            gateway_ordered: false,
        }
    }

    /// Sets the gateway whose handlers follow, and its ack mode.
    pub(crate) fn begin_gateway(&mut self, gateway: &'static str, mode: AckMode) {
        self.gateway = gateway;
        self.mode = mode;
        self.modes.push(mode);
        self.gateway_guards.clear();
        self.gateway_throttle = None;
        self.gateway_interceptors = self.app_interceptors.to_vec();
        self.gateway_ordered = false;
    }

    /// The namespace path.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// Registers a `#[subscribe(event)]` handler. `extract` runs synchronously, builds the
    /// parameters, and returns the handler's future.
    #[doc(hidden)]
    pub fn subscribe<F, Fut>(&mut self, event: &'static str, location: Location, extract: F)
    where
        F: for<'p> Fn(&mut Parts<'p, A>) -> Result<Fut, WsError> + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: IntoAck,
    {
        self.subscribe_with(event, location, HandlerOptions::default(), extract);
    }

    /// Adds a guard to every event of the current gateway, and to the namespace's
    /// connection check.
    #[doc(hidden)]
    pub fn gateway_guard(&mut self, guard: GuardRef) {
        self.gateway_guards.push(guard.clone());
        self.connect_guards.push(guard);
    }

    /// Wraps every event of the current gateway.
    #[doc(hidden)]
    pub fn gateway_interceptor(&mut self, interceptor: InterceptorRef) {
        self.gateway_interceptors.push(interceptor);
    }

    /// Handles the current gateway's events one at a time per socket, in arrival order.
    #[doc(hidden)]
    pub fn gateway_ordered(&mut self) {
        self.gateway_ordered = true;
    }

    /// Rate-limits the current gateway's events with one bucket per socket.
    #[doc(hidden)]
    pub fn gateway_throttle(&mut self, throttle: Throttle) {
        self.gateway_throttle = Some(throttle);
    }

    /// [`subscribe`](Self::subscribe) with the handler's own guards and rate limit.
    #[doc(hidden)]
    pub fn subscribe_with<F, Fut>(
        &mut self,
        event: &'static str,
        location: Location,
        options: HandlerOptions,
        extract: F,
    ) where
        F: for<'p> Fn(&mut Parts<'p, A>) -> Result<Fut, WsError> + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: IntoAck,
    {
        let start = move |call: Call<A>, sched: Sched| -> Option<BoxFuture> {
            let (fut, reply) = extract_call(&extract, call)?;
            let span = reply.span();
            let task = run(fut, reply).instrument(span);
            match sched {
                Sched::Spawn => {
                    tokio::spawn(task);
                    None
                }
                Sched::Boxed => Some(Box::pin(task)),
            }
        };
        self.insert_event(event, location, options, Arc::new(start));
    }

    /// [`subscribe_with`](Self::subscribe_with)'s part that does not depend on the handler's
    /// types, compiled once.
    fn insert_event(
        &mut self,
        event: &'static str,
        location: Location,
        options: HandlerOptions,
        start: Arc<StartFn<A>>,
    ) {
        let guards: Arc<[GuardRef]> = self
            .gateway_guards
            .iter()
            .cloned()
            .chain(options.guards)
            .collect();
        let throttles: Box<[Throttle]> = self
            .gateway_throttle
            .iter()
            .cloned()
            .chain(options.throttle)
            .collect();
        let handler = EventHandler {
            mode: self.mode,
            interceptors: self.gateway_interceptors.iter().cloned().collect(),
            guards,
            throttles,
            ordered: options.ordered || self.gateway_ordered,
            start,
        };
        let registered = Registered {
            gateway: self.gateway,
            location,
        };
        if let Some((_, first)) = self.events.get(event) {
            self.conflicts.push(format!(
                "event `{event}` on namespace `{}` has two handlers: `{}` at {} and `{}` at {}",
                self.path, first.gateway, first.location, registered.gateway, registered.location
            ));
            return;
        }
        self.events.insert(event, (handler, registered));
    }

    /// Registers an `#[on_connect]` hook.
    #[doc(hidden)]
    pub fn on_connect<F, Fut>(&mut self, extract: F)
    where
        F: for<'p> Fn(&mut Parts<'p, A>) -> Result<Fut, WsError> + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.connect.push(Box::new(move |parts| {
            Ok(Box::pin(extract(parts)?) as BoxFuture)
        }));
    }

    /// Registers an `#[on_disconnect]` hook.
    #[doc(hidden)]
    pub fn on_disconnect<F, Fut>(&mut self, extract: F)
    where
        F: for<'p> Fn(&mut Parts<'p, A>) -> Result<Fut, WsError> + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.disconnect.push(Box::new(move |parts| {
            Ok(Box::pin(extract(parts)?) as BoxFuture)
        }));
    }

    /// Registers an `#[on_init]` hook, run once at startup with the `SocketIo` handle.
    #[doc(hidden)]
    pub fn on_init<F, Fut>(&mut self, extract: F)
    where
        F: FnOnce(&SocketIo<A>, &Providers) -> Result<Fut, WsError> + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let gateway = self.gateway;
        self.init.push((
            gateway,
            Box::new(move |io, providers| Ok(Box::pin(extract(io, providers)?) as BoxFuture)),
        ));
    }

    /// Duplicate-event errors found while registering.
    pub(crate) fn take_conflicts(&mut self) -> Vec<String> {
        std::mem::take(&mut self.conflicts)
    }

    /// Freezes the table. Also returns the init hooks, which run once at startup.
    pub(crate) fn finish(self) -> (Namespace<A>, Vec<(&'static str, InitFn<A>)>) {
        // Unknown events are answered in the namespace's mode when its gateways agree on
        // one, otherwise in the envelope shape.
        let mode = match self.modes.split_first() {
            Some((first, rest)) if rest.iter().all(|m| m == first) => *first,
            _ => AckMode::Envelope,
        };
        let ns = Namespace {
            path: self.path,
            mode,
            events: self
                .events
                .into_iter()
                .map(|(event, (handler, _))| (event, handler))
                .collect(),
            connect: self.connect,
            disconnect: self.disconnect,
            connect_guards: self.connect_guards.into(),
            cx: self.cx,
        };
        (ns, self.init)
    }
}

/// A namespace's frozen handler table, shared by all its sockets.
pub(crate) struct Namespace<A: Adapter> {
    path: &'static str,
    mode: AckMode,
    events: HashMap<&'static str, EventHandler<A>>,
    connect: Vec<HookFn<A>>,
    disconnect: Vec<HookFn<A>>,
    connect_guards: Arc<[GuardRef]>,
    cx: Arc<AppContext>,
}

impl<A: Adapter> Namespace<A> {
    pub(crate) fn path(&self) -> &'static str {
        self.path
    }

    pub(crate) fn event_names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.events.keys().copied().collect();
        names.sort_unstable();
        names
    }

    fn dispatch(&self, socket: Arc<Socket<A>>, value: Value, ack_id: Option<i64>) {
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
        match found {
            Ok((event, handler)) => {
                let Some(cx) = InFlight::enter(&self.cx) else {
                    tracing::debug!(ns = self.path, %event, "event refused: shutting down");
                    return respond::<A, ()>(
                        &socket,
                        ack_id,
                        &self.cx,
                        event,
                        handler.mode,
                        Err(WsError::unavailable()),
                    );
                };
                let trace = Trace::start(self.path, event, socket.id);
                let watch = Watch::start_boxed(
                    &handler.interceptors,
                    self.path,
                    event,
                    socket.id,
                    ack_id.is_some(),
                );
                handle(
                    handler,
                    Call {
                        socket,
                        value,
                        ack_id,
                        cx,
                        event,
                        mode: handler.mode,
                        watch,
                        trace,
                    },
                );
            }
            Err((event, err)) => {
                tracing::debug!(ns = self.path, %event, %err, "event not dispatched");
                respond::<A, ()>(&socket, ack_id, &self.cx, &event, self.mode, Err(err));
            }
        }
    }

    fn hooks(&self, socket: &Arc<Socket<A>>, kind: HookKind<'_>) -> Vec<BoxFuture> {
        let (hooks, event) = match kind {
            HookKind::Connect(_) => (&self.connect, "connect"),
            HookKind::Disconnect(_) => (&self.disconnect, "disconnect"),
        };
        let mut futures = Vec::with_capacity(hooks.len());
        for hook in hooks {
            let mut parts = Parts {
                socket,
                providers: &self.cx.providers,
                event,
                kind: match kind {
                    HookKind::Connect(auth) => PartsKind::Connect { auth },
                    HookKind::Disconnect(reason) => PartsKind::Disconnect { reason },
                },
            };
            match catch_unwind(AssertUnwindSafe(|| hook(&mut parts))) {
                Ok(Ok(fut)) => futures.push(fut),
                Ok(Err(err)) => {
                    tracing::warn!(ns = self.path, %event, %err, "lifecycle hook skipped")
                }
                Err(panic) => log_hook_panic(event, &*panic),
            }
        }
        futures
    }
}

#[derive(Clone, Copy)]
enum HookKind<'a> {
    Connect(&'a Option<Value>),
    Disconnect(DisconnectReason),
}

/// Runs hooks one after the other; a panicking hook is logged and the next one still runs.
async fn run_hooks(event: &'static str, futures: Vec<BoxFuture>) {
    for fut in futures {
        if let Err(panic) = AssertUnwindSafe(fut).catch_unwind().await {
            log_hook_panic(event, &*panic);
        }
    }
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

/// The handler's task: awaits its future (a panic becomes an `internal` error), then sends
/// the ack. Written with combinators rather than as an `async fn`: an `async fn` keeps its
/// argument `fut` beside the future it awaits, which doubled the size of every spawned task
/// (and the bytes tokio copies to spawn and complete it).
fn run<A, Fut>(fut: Fut, reply: Reply<A>) -> impl Future<Output = ()> + Send
where
    A: Adapter,
    Fut: Future + Send,
    Fut::Output: IntoAck,
{
    AssertUnwindSafe(fut).catch_unwind().map(move |output| {
        let result = match output {
            Ok(output) => output.into_ack(),
            Err(panic) => {
                log_panic(reply.event, &*panic);
                Err(WsError::internal())
            }
        };
        reply.send(result);
    })
}

/// Sends the one ack an event gets (when it asked for one) and reports failures of events
/// that did not ask for an ack. Only the success path depends on the handler's type.
fn respond<A: Adapter, T: Serialize>(
    socket: &Arc<Socket<A>>,
    ack_id: Option<i64>,
    cx: &AppContext,
    event: &str,
    mode: AckMode,
    result: Result<T, WsError>,
) {
    match result {
        Ok(data) => {
            let Some(id) = ack_id else { return };
            let ack = OkAck { mode, data: &data };
            if let Err(err) = send_ack(socket, id, &ack) {
                tracing::debug!(sid = %socket.id, %err, "could not send the ack");
            }
        }
        Err(err) => respond_err(socket, ack_id, cx, event, mode, &err),
    }
}

/// [`respond`]'s failure path, shared by all handlers.
fn respond_err<A: Adapter>(
    socket: &Arc<Socket<A>>,
    ack_id: Option<i64>,
    cx: &AppContext,
    event: &str,
    mode: AckMode,
    err: &WsError,
) {
    if ack_id.is_none() {
        tracing::warn!(ns = socket.ns(), %event, sid = %socket.id, %err, "event failed (no ack requested)");
    } else {
        tracing::debug!(ns = socket.ns(), %event, sid = %socket.id, %err, "event failed");
    }
    let sent = match mode {
        AckMode::Envelope => {
            if ack_id.is_none() && cx.report_exceptions {
                emit(socket, "exception", &ExceptionEvent::new(event, err));
            }
            ack_id.map_or(Ok(()), |id| send_ack(socket, id, &ErrEnvelope::new(err)))
        }
        AckMode::NestJs => {
            let body = NestError::new(err);
            emit(socket, "exception", &body);
            ack_id.map_or(Ok(()), |id| send_ack(socket, id, &body))
        }
    };
    if let Err(err) = sent {
        tracing::debug!(sid = %socket.id, %err, "could not send the ack");
    }
}

fn send_ack<A: Adapter, T: Serialize + ?Sized>(
    socket: &Arc<Socket<A>>,
    ack_id: i64,
    data: &T,
) -> Result<(), socketioxide::SendError> {
    let mut unused = Value::Str(socketioxide_core::Str::from(""), None);
    match AckSender::<A>::from_message_parts(socket, &mut unused, &Some(ack_id)) {
        Ok(ack) => ack.send(data),
        Err(never) => match never {},
    }
}

fn emit<A: Adapter, T: Serialize + ?Sized>(socket: &Arc<Socket<A>>, event: &str, data: &T) {
    if let Err(err) = socket.emit(event, data) {
        tracing::debug!(sid = %socket.id, %err, "could not emit `{event}`");
    }
}

/// A lifecycle hook panicked: no ack is involved; the socket and the next hooks go on.
fn log_hook_panic(hook: &str, panic: &(dyn std::any::Any + Send)) {
    let message = panic_message(panic);
    tracing::error!(hook, panic = message, "lifecycle hook panicked; skipped");
}

fn log_panic(event: &str, panic: &(dyn std::any::Any + Send)) {
    let message = panic_message(panic);
    tracing::error!(%event, panic = message, "handler panicked; the client gets an `internal` error");
}

/// The text of a panic payload (`panic!("...")` gives a `&str` or a `String`).
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<non-string panic payload>")
}

/// The per-socket entry point: socketioxide's fallback handler, shared table inside.
pub(crate) struct Dispatcher<A: Adapter>(pub(crate) Arc<Namespace<A>>);

impl<A: Adapter> MessageHandler<A, Dispatcher<A>> for Dispatcher<A> {
    fn call(&self, s: Arc<Socket<A>>, v: Value, ack_id: Option<i64>) {
        self.0.dispatch(s, v, ack_id);
    }
}

/// The namespace's connect handler. Its middleware step registers the dispatcher before
/// socketioxide tells the client it is connected, so no early event is lost (DESIGN §2.3).
pub(crate) struct OnConnect<A: Adapter>(pub(crate) Arc<Namespace<A>>);

impl<A: Adapter> Clone for OnConnect<A> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

type MiddlewareFuture<'a> =
    Pin<Box<dyn Future<Output = Result<(), Box<dyn Display + Send>>> + Send + 'a>>;

impl<A: Adapter> ConnectHandler<A, OnConnect<A>> for OnConnect<A> {
    fn call(&self, s: Arc<Socket<A>>, auth: Option<Value>) {
        if self.0.connect.is_empty() {
            return;
        }
        let futures = self.0.hooks(&s, HookKind::Connect(&auth));
        tokio::spawn(run_hooks("connect", futures));
    }

    fn call_middleware<'a>(
        &'a self,
        s: Arc<Socket<A>>,
        auth: &'a Option<Value>,
    ) -> MiddlewareFuture<'a> {
        let ns = &self.0;
        if ns.cx.drain.is_draining() {
            // A node that is shutting down takes no new sockets; the client's reconnection
            // finds another node.
            let refused = Box::new(WsError::unavailable().message().to_owned());
            return Box::pin(std::future::ready(Err(refused as Box<dyn Display + Send>)));
        }
        if ns.connect_guards.is_empty() {
            install(ns, &s);
            return Box::pin(std::future::ready(Ok(())));
        }
        Box::pin(async move {
            check_connect_guards(ns, &s, auth).await.map_err(|err| {
                tracing::debug!(ns = ns.path, sid = %s.id, %err, "connection refused by a guard");
                // The client's `connect_error` gets the message only: never internal text.
                Box::new(err.message().to_owned()) as Box<dyn Display + Send>
            })?;
            install(ns, &s);
            Ok(())
        })
    }
}

/// Installs the socket's single dispatcher (and disconnect hook) before the client is told
/// it is connected.
fn install<A: Adapter>(ns: &Arc<Namespace<A>>, s: &Arc<Socket<A>>) {
    s.on_fallback(Dispatcher(ns.clone()));
    if !ns.disconnect.is_empty() {
        s.on_disconnect(OnDisconnect(ns.clone()));
    }
}

async fn check_connect_guards<A: Adapter>(
    ns: &Namespace<A>,
    s: &Arc<Socket<A>>,
    auth: &Option<Value>,
) -> Result<(), WsError> {
    let auth = match TryData::<serde_json::Value>::from_connect_parts(s, auth) {
        Ok(TryData(Ok(auth))) => Some(auth),
        Ok(TryData(Err(_))) => {
            return Err(WsError::bad_payload("the auth payload is not valid JSON"));
        }
        Err(never) => match never {},
    };
    let cx = GuardContext {
        sid: s.id,
        namespace: s.ns(),
        request: s.req_parts(),
        auth: auth
            .as_ref()
            .filter(|a| !a.as_object().is_some_and(|o| o.is_empty())),
        event: None,
        extensions: &s.extensions,
        providers: &ns.cx.providers,
    };
    for guard in ns.connect_guards.iter() {
        match AssertUnwindSafe(guard.0.connect(&cx)).catch_unwind().await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => return Err(err),
            Err(panic) => {
                log_panic("connect", &*panic);
                return Err(WsError::internal());
            }
        }
    }
    Ok(())
}

struct OnDisconnect<A: Adapter>(Arc<Namespace<A>>);

impl<A: Adapter> DisconnectHandler<A, OnDisconnect<A>> for OnDisconnect<A> {
    fn call_with_defer(
        &self,
        s: Arc<Socket<A>>,
        reason: DisconnectReason,
        defer: fn(Arc<Socket<A>>),
    ) {
        let futures = self.0.hooks(&s, HookKind::Disconnect(reason));
        // socketioxide's `defer` removes the socket from its namespace; rooms stay readable
        // until the hooks are done.
        tokio::spawn(async move {
            run_hooks("disconnect", futures).await;
            defer(s);
        });
    }
}

//! A namespace's handler table: [`NamespaceBuilder`] collects the handlers of every gateway
//! that serves the namespace (generated code calls it from `Gateway::register`), and
//! [`Namespace`] is the frozen result, built once at startup and shared by all its sockets.
//!
//! The handler's types are erased here, at registration: the only code instantiated per
//! handler is the closure that extracts its parameters and boxes its future with the
//! [`Reply`] its result goes to. Everything around it (rate limits, guards, ordering, error
//! acks, the task that runs it) is shared code, compiled once.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures_util::FutureExt;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;

use crate::ack::{AckMode, IntoAck};
use crate::error::WsError;
use crate::extract::Parts;
use crate::guard::GuardRef;
use crate::intercept::InterceptorRef;
use crate::location::Location;
use crate::providers::Providers;
use crate::runtime::context::AppContext;
use crate::runtime::pattern::NsPattern;
use crate::runtime::reply::Reply;
use crate::throttle::Throttle;

/// A future with its type erased.
pub(crate) type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// The event name of the events the `#[fallback]` handler receives, in spans, metrics and
/// logs: one label for any name a client sends, so clients cannot grow the label set
/// (`EventName` gives the handler the real one).
pub(crate) const FALLBACK_EVENT: &str = "*";

/// A handler with its types erased: builds the handler's parameters from the event and
/// returns its task (which sends the ack), or answers the event with the extraction's error
/// and returns `None`.
pub(crate) type StartFn<A> =
    dyn Fn(&mut Parts<'_, A>, Reply<A>) -> Option<BoxFuture> + Send + Sync + 'static;

/// A lifecycle hook: builds its parameters and returns its future.
pub(crate) type HookFn<A> =
    Box<dyn for<'p> Fn(&mut Parts<'p, A>) -> Result<BoxFuture, WsError> + Send + Sync>;

/// A provider scoped to one socket (`GatewayApp::provide_per_socket`): builds its value from
/// the connecting socket's parts into the socket's providers.
pub(crate) type SocketProviderFn<A> =
    Arc<dyn for<'p> Fn(&mut Parts<'p, A>, &mut Providers) -> Result<(), WsError> + Send + Sync>;

/// An `#[on_init]` hook, run once at startup.
pub(crate) type InitFn<A> =
    Box<dyn FnOnce(&SocketIo<A>, &Providers) -> Result<BoxFuture, WsError> + Send + Sync>;

/// What generated code hands the table for a handler or a hook: a closure that builds the
/// parameters from the event's [`Parts`] and returns the method's future.
#[doc(hidden)]
pub trait ExtractFn<A: Adapter, Fut>:
    for<'p> Fn(&mut Parts<'p, A>) -> Result<Fut, WsError> + Send + Sync + 'static
{
}

impl<A, Fut, F> ExtractFn<A, Fut> for F
where
    A: Adapter,
    F: for<'p> Fn(&mut Parts<'p, A>) -> Result<Fut, WsError> + Send + Sync + 'static,
{
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

/// One event's entry in the table: its policies and its erased handler.
pub(crate) struct EventHandler<A: Adapter> {
    pub(crate) mode: AckMode,
    pub(crate) interceptors: Arc<[InterceptorRef]>,
    /// The gateway's guards, then the handler's.
    pub(crate) guards: Arc<[GuardRef]>,
    /// The gateway's rate limit, then the handler's.
    pub(crate) throttles: Box<[Throttle]>,
    pub(crate) ordered: bool,
    pub(crate) start: Arc<StartFn<A>>,
}

/// Which gateway registered an event, for duplicate-event errors.
struct Registered {
    gateway: &'static str,
    location: Location,
}

/// Collects the handlers of every gateway that serves one namespace. Generated code calls
/// its (hidden) methods from `Gateway::register`.
pub struct NamespaceBuilder<A: Adapter> {
    path: &'static str,
    /// The path's pattern, for a dynamic namespace.
    pattern: Option<Arc<NsPattern>>,
    gateway: &'static str,
    mode: AckMode,
    app: Arc<AppContext>,
    events: HashMap<&'static str, (EventHandler<A>, Registered)>,
    /// The `#[fallback]` handler, for events no handler claims.
    fallback: Option<(EventHandler<A>, Registered)>,
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
    gateway_interceptors: Vec<InterceptorRef>,
    /// The current gateway's events are handled one at a time per socket.
    gateway_ordered: bool,
}

impl<A: Adapter> NamespaceBuilder<A> {
    pub(crate) fn new(
        path: &'static str,
        pattern: Option<NsPattern>,
        app: Arc<AppContext>,
    ) -> Self {
        Self {
            path,
            pattern: pattern.map(Arc::new),
            gateway: "",
            mode: AckMode::default(),
            app,
            events: HashMap::new(),
            fallback: None,
            conflicts: Vec::new(),
            connect: Vec::new(),
            disconnect: Vec::new(),
            init: Vec::new(),
            modes: Vec::new(),
            gateway_guards: Vec::new(),
            gateway_throttle: None,
            connect_guards: Vec::new(),
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
        self.gateway_interceptors = self.app.interceptors.to_vec();
        self.gateway_ordered = false;
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

    /// Registers a `#[subscribe(event)]` handler with its own guards and rate limit.
    /// `extract` runs synchronously, builds the parameters, and returns the handler's
    /// future, whose output is the ack.
    #[doc(hidden)]
    pub fn subscribe_with<F, Fut>(
        &mut self,
        event: &'static str,
        location: Location,
        options: HandlerOptions,
        extract: F,
    ) where
        F: ExtractFn<A, Fut>,
        Fut: Future + Send + 'static,
        Fut::Output: IntoAck,
    {
        self.insert_event(event, location, options, erase(extract));
    }

    /// [`subscribe_with`](Self::subscribe_with)'s part that does not depend on the
    /// handler's types, compiled once.
    fn insert_event(
        &mut self,
        event: &'static str,
        location: Location,
        options: HandlerOptions,
        start: Arc<StartFn<A>>,
    ) {
        let handler = self.event_handler(options, start);
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

    /// Registers the `#[fallback]` handler: [`subscribe_with`](Self::subscribe_with) for
    /// the events no handler of the namespace claims. One per namespace.
    #[doc(hidden)]
    pub fn fallback_with<F, Fut>(&mut self, location: Location, options: HandlerOptions, extract: F)
    where
        F: ExtractFn<A, Fut>,
        Fut: Future + Send + 'static,
        Fut::Output: IntoAck,
    {
        let handler = self.event_handler(options, erase(extract));
        let registered = Registered {
            gateway: self.gateway,
            location,
        };
        if let Some((_, first)) = &self.fallback {
            self.conflicts.push(format!(
                "namespace `{}` has two `#[fallback]` handlers: `{}` at {} and `{}` at {}",
                self.path, first.gateway, first.location, registered.gateway, registered.location
            ));
            return;
        }
        self.fallback = Some((handler, registered));
    }

    /// An event's handler with the current gateway's ack mode, interceptors, guards and
    /// rate limit, then its own.
    fn event_handler(&self, options: HandlerOptions, start: Arc<StartFn<A>>) -> EventHandler<A> {
        EventHandler {
            mode: self.mode,
            interceptors: self.gateway_interceptors.iter().cloned().collect(),
            guards: self
                .gateway_guards
                .iter()
                .cloned()
                .chain(options.guards)
                .collect(),
            throttles: self
                .gateway_throttle
                .iter()
                .cloned()
                .chain(options.throttle)
                .collect(),
            ordered: options.ordered || self.gateway_ordered,
            start,
        }
    }

    /// Registers an `#[on_connect]` hook.
    #[doc(hidden)]
    pub fn on_connect<Fut: Future<Output = ()> + Send + 'static>(
        &mut self,
        f: impl ExtractFn<A, Fut>,
    ) {
        self.connect.push(erase_hook(f));
    }

    /// Registers an `#[on_disconnect]` hook.
    #[doc(hidden)]
    pub fn on_disconnect<Fut: Future<Output = ()> + Send + 'static>(
        &mut self,
        f: impl ExtractFn<A, Fut>,
    ) {
        self.disconnect.push(erase_hook(f));
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

    /// The namespace's path (a pattern for a dynamic namespace).
    pub(crate) fn path(&self) -> &'static str {
        self.path
    }

    /// The pattern of a dynamic namespace.
    pub(crate) fn pattern(&self) -> Option<&NsPattern> {
        self.pattern.as_deref()
    }

    /// Who registered `event` here (`` `Gateway` at file:line ``), if anyone.
    pub(crate) fn registered(&self, event: &str) -> Option<String> {
        self.events
            .get(event)
            .map(|(_, r)| format!("`{}` at {}", r.gateway, r.location))
    }

    /// The events registered so far.
    pub(crate) fn events(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.events.keys().copied()
    }

    /// Freezes the table, with the app's socket-scoped providers. Also returns the init
    /// hooks, which run once at startup.
    pub(crate) fn finish(
        self,
        socket_providers: Arc<[SocketProviderFn<A>]>,
    ) -> (Namespace<A>, Vec<(&'static str, InitFn<A>)>) {
        // Unknown events are answered in the namespace's mode when its gateways agree on
        // one, otherwise in the envelope shape.
        let mode = match self.modes.split_first() {
            Some((first, rest)) if rest.iter().all(|m| m == first) => *first,
            _ => AckMode::Envelope,
        };
        let ns = Namespace {
            path: self.path,
            pattern: self.pattern,
            mode,
            events: self
                .events
                .into_iter()
                .map(|(event, (handler, _))| (event, handler))
                .collect(),
            connect: self.connect,
            disconnect: self.disconnect,
            fallback: self.fallback.map(|(handler, _)| handler),
            connect_guards: self.connect_guards.into(),
            socket_providers,
            app: self.app,
        };
        (ns, self.init)
    }
}

/// A handler's extraction and future, erased: the only code compiled per handler. A
/// combinator rather than an `async` block, which would keep `fut` beside the future it
/// awaits (twice the bytes per task).
fn erase<A, F, Fut>(extract: F) -> Arc<StartFn<A>>
where
    A: Adapter,
    F: ExtractFn<A, Fut>,
    Fut: Future + Send + 'static,
    Fut::Output: IntoAck,
{
    Arc::new(
        move |parts: &mut Parts<'_, A>, reply: Reply<A>| -> Option<BoxFuture> {
            match extract(parts) {
                Ok(fut) => Some(Box::pin(
                    fut.map(move |output| reply.send(output.into_ack())),
                )),
                Err(err) => {
                    reply.fail(err);
                    None
                }
            }
        },
    )
}

fn erase_hook<A, Fut>(extract: impl ExtractFn<A, Fut>) -> HookFn<A>
where
    A: Adapter,
    Fut: Future<Output = ()> + Send + 'static,
{
    Box::new(move |parts| Ok(Box::pin(extract(parts)?) as BoxFuture))
}

/// A namespace's frozen handler table, shared by all its sockets.
pub(crate) struct Namespace<A: Adapter> {
    /// The path, or for a dynamic namespace its pattern (each concrete namespace a client
    /// joins, `/tenant/acme`, is its own socketioxide namespace sharing this table).
    pub(crate) path: &'static str,
    pub(crate) pattern: Option<Arc<NsPattern>>,
    /// The ack shape of events no handler claims.
    pub(crate) mode: AckMode,
    pub(crate) events: HashMap<&'static str, EventHandler<A>>,
    /// The `#[fallback]` handler of the namespace, if a gateway has one.
    pub(crate) fallback: Option<EventHandler<A>>,
    pub(crate) connect: Vec<HookFn<A>>,
    pub(crate) disconnect: Vec<HookFn<A>>,
    pub(crate) connect_guards: Arc<[GuardRef]>,
    /// Built for each socket once its connection guards pass, before the connect hooks.
    pub(crate) socket_providers: Arc<[SocketProviderFn<A>]>,
    pub(crate) app: Arc<AppContext>,
}

impl<A: Adapter> Namespace<A> {
    /// The namespace's events, sorted.
    pub(crate) fn event_names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.events.keys().copied().collect();
        names.sort_unstable();
        names
    }
}

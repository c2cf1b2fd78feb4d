//! Interceptors: code that wraps every handler of a gateway (or of the whole app) and sees
//! each event's name and outcome, for logging, timing and metrics, without touching the
//! handlers.
//!
//! ```
//! use socketioxide_gateway::intercept::{EventInfo, Interceptor, Outcome};
//!
//! /// Logs every event with its latency.
//! struct Timing;
//!
//! impl Interceptor for Timing {
//!     fn after(&self, event: &EventInfo<'_>, outcome: &Outcome<'_>) {
//!         tracing::info!(
//!             ns = event.namespace,
//!             event = event.event,
//!             ok = outcome.result.is_ok(),
//!             elapsed_us = outcome.elapsed.as_micros() as u64,
//!         );
//!     }
//! }
//! ```
//! Declare it with `#[intercept(Timing)]` under `#[gateway(...)]`, or for every gateway
//! with `GatewayApp::intercept(Timing)`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use socketioxide::socket::Sid;

use crate::error::WsError;
use crate::panic::{self, Site};

/// The event an interceptor sees.
#[derive(Debug, Clone, Copy)]
pub struct EventInfo<'a> {
    /// The namespace as the gateway declares it: for a dynamic namespace its pattern
    /// (`/tenant/{tenant}`), not the socket's concrete path, so that what an interceptor
    /// labels by it stays bounded.
    pub namespace: &'a str,
    /// The event name.
    pub event: &'a str,
    /// The socket.
    pub sid: Sid,
    /// Whether the client asked for an ack.
    pub wants_ack: bool,
}

/// How an event ended.
#[derive(Debug, Clone, Copy)]
pub struct Outcome<'a> {
    /// `Ok` when the handler succeeded; otherwise the error the client was (or would have
    /// been) sent: a guard or rate-limit rejection, a decode or validation error, the
    /// handler's error, or `internal` after a panic.
    pub result: Result<(), &'a WsError>,
    /// From dispatch to the outcome.
    pub elapsed: Duration,
}

/// Wraps event handling. Both methods run on the event's path, so keep them cheap (record,
/// don't block).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an interceptor",
    label = "not an interceptor",
    note = "an interceptor is a value whose type implements `socketioxide_gateway::Interceptor` (`before` and/or `after`)"
)]
pub trait Interceptor: Send + Sync + 'static {
    /// Before anything else runs for the event.
    fn before(&self, event: &EventInfo<'_>) {
        let _ = event;
    }

    /// Once the event's outcome is known, just before its ack (if any) is sent.
    fn after(&self, event: &EventInfo<'_>, outcome: &Outcome<'_>) {
        let _ = (event, outcome);
    }
}

/// An interceptor as registered: shared, type-erased.
#[derive(Clone)]
pub struct InterceptorRef(pub(crate) Arc<dyn Interceptor>);

impl InterceptorRef {
    /// Wraps an interceptor. Generated code calls this for each `#[intercept(...)]`.
    pub fn new<I: Interceptor>(interceptor: I) -> Self {
        Self(Arc::new(interceptor))
    }
}

impl std::fmt::Debug for InterceptorRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InterceptorRef")
    }
}

/// The interceptors watching one event in flight, with the event's start time: told
/// `before` when it is dispatched and `after` once its outcome is known.
pub(crate) struct Interception {
    interceptors: Arc<[InterceptorRef]>,
    namespace: &'static str,
    started: Instant,
    sid: Sid,
    wants_ack: bool,
}

impl Interception {
    /// Tells the interceptors (if any) that the event starts. Boxed: events carry an
    /// `Option<Box<Interception>>`, so those without interceptors (most) carry one word.
    pub(crate) fn start(
        interceptors: &Arc<[InterceptorRef]>,
        namespace: &'static str,
        event: &str,
        sid: Sid,
        wants_ack: bool,
    ) -> Option<Box<Self>> {
        if interceptors.is_empty() {
            return None;
        }
        let info = EventInfo {
            namespace,
            event,
            sid,
            wants_ack,
        };
        for interceptor in interceptors.iter() {
            observe("before", event, || interceptor.0.before(&info));
        }
        Some(Box::new(Interception {
            interceptors: interceptors.clone(),
            namespace,
            started: Instant::now(),
            sid,
            wants_ack,
        }))
    }

    /// Tells the interceptors how the event ended.
    pub(crate) fn finish(&self, event: &str, result: Result<(), &WsError>) {
        let info = EventInfo {
            namespace: self.namespace,
            event,
            sid: self.sid,
            wants_ack: self.wants_ack,
        };
        let outcome = Outcome {
            result,
            elapsed: self.started.elapsed(),
        };
        for interceptor in self.interceptors.iter() {
            observe("after", event, || interceptor.0.after(&info, &outcome));
        }
    }
}

/// Runs one interceptor hook. Interceptors observe; a panicking one is logged and skipped,
/// so it never changes the event's outcome, costs its ack or stops the next interceptor.
fn observe(hook: &str, event: &str, f: impl FnOnce()) {
    panic::catch(Site::Interceptor { hook, event }, f);
}

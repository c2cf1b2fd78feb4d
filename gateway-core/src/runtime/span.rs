//! [`EventSpan`]: the `tracing` span of one event and its start, for its latency.

use std::time::Instant;

use socketioxide::socket::Sid;

use crate::error::WsError;

/// The event's `tracing` span and its dispatch time. Only built when the span is enabled
/// (`socketioxide_gateway::event` at DEBUG); events carry `None` otherwise, which keeps the spawned
/// future small.
pub(crate) struct EventSpan {
    span: tracing::Span,
    started: Instant,
}

impl EventSpan {
    /// The span of an event being dispatched, if events are traced.
    /// `namespace` is the table's path (a dynamic namespace's pattern) and `path` the
    /// socket's concrete namespace (`/tenant/{tenant}` and `/tenant/acme`).
    pub(crate) fn start(
        namespace: &'static str,
        path: &str,
        event: &'static str,
        sid: Sid,
    ) -> Option<Box<Self>> {
        let span = tracing::debug_span!(
            target: "socketioxide_gateway::event",
            "event",
            namespace,
            path,
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
    pub(crate) fn of(span: Option<&Self>) -> tracing::Span {
        span.map_or_else(tracing::Span::none, |s| s.span.clone())
    }

    /// Enters the span (for the checks run in the dispatcher), if there is one.
    pub(crate) fn enter(span: Option<&Self>) -> Option<tracing::span::Entered<'_>> {
        span.map(|s| s.span.enter())
    }

    /// Records the event's outcome and latency.
    pub(crate) fn finish(&self, result: Result<(), &WsError>) {
        let outcome = match result {
            Ok(()) => "ok",
            Err(err) => err.code(),
        };
        let latency = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.span.record("outcome", outcome);
        self.span.record("latency_us", latency);
        tracing::debug!(target: "socketioxide_gateway::event", parent: &self.span, outcome, latency_us = latency, "event handled");
    }
}

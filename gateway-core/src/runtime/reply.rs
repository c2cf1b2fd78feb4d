//! [`Reply`]: where one event's outcome goes, and the rule that every client emit asking for
//! an ack gets exactly one.
//!
//! A `Reply` is made when the dispatcher accepts an event and travels with it through the
//! policies, the extraction and the handler's task. [`Reply::send`] consumes it; should it
//! be dropped unsent (a panic unwinding through the handler, a task cancelled at shutdown),
//! its `Drop` answers `internal`. So no path can answer twice, and none can leave a client
//! waiting for its timeout.

use std::sync::Arc;

use serde::Serialize;
use socketioxide::adapter::Adapter;
use socketioxide::extract::AckSender;
use socketioxide::handler::FromMessageParts;
use socketioxide::socket::Socket;
use socketioxide_core::Value;

use crate::ack::{AckMode, ErrEnvelope, ExceptionEvent, NestError, OkAck};
use crate::error::WsError;
use crate::event::{EXCEPTION_EVENT, Watched, emit_watched, watch_of};
use crate::intercept::Interception;
use crate::runtime::context::AppContext;
use crate::runtime::context::InFlight;
use crate::runtime::span::EventSpan;

/// One accepted event's way back to its client.
pub(crate) struct Reply<A: Adapter> {
    socket: Arc<Socket<A>>,
    ack_id: Option<i64>,
    /// Counts the event as in flight until the reply is sent (graceful shutdown).
    in_flight: InFlight,
    event: &'static str,
    mode: AckMode,
    interception: Option<Box<Interception>>,
    span: Option<Box<EventSpan>>,
    sent: bool,
}

impl<A: Adapter> Reply<A> {
    pub(crate) fn new(
        socket: Arc<Socket<A>>,
        ack_id: Option<i64>,
        in_flight: InFlight,
        event: &'static str,
        mode: AckMode,
    ) -> Self {
        Self {
            socket,
            ack_id,
            in_flight,
            event,
            mode,
            interception: None,
            span: None,
            sent: false,
        }
    }

    /// Who is told how the event ended: its interceptors and its span, when enabled.
    pub(crate) fn observed_by(
        mut self,
        interception: Option<Box<Interception>>,
        span: Option<Box<EventSpan>>,
    ) -> Self {
        self.interception = interception;
        self.span = span;
        self
    }

    pub(crate) fn socket(&self) -> &Arc<Socket<A>> {
        &self.socket
    }

    pub(crate) fn event(&self) -> &'static str {
        self.event
    }

    pub(crate) fn app(&self) -> &Arc<AppContext> {
        self.in_flight.app()
    }

    pub(crate) fn span(&self) -> Option<&EventSpan> {
        self.span.as_deref()
    }

    /// Answers the event with the handler's result (or an error), once.
    pub(crate) fn send<T: Serialize>(mut self, result: Result<T, WsError>) {
        self.sent = true;
        self.observe(result.as_ref().map(|_| ()));
        respond(
            &self.socket,
            self.ack_id,
            self.in_flight.app(),
            self.event,
            self.mode,
            result,
        );
        // Dropping `self` now releases the in-flight count, after the ack is queued.
    }

    /// Answers the event with an error; the handler does not run.
    pub(crate) fn fail(self, err: WsError) {
        self.send::<()>(Err(err));
    }

    /// Tells the interceptors and the span how the event ended, before the ack goes out, so
    /// that whoever sees the ack also sees the record.
    fn observe(&self, result: Result<(), &WsError>) {
        if let Some(interception) = &self.interception {
            interception.finish(self.event, result);
        }
        if let Some(span) = &self.span {
            span.finish(result);
        }
    }
}

impl<A: Adapter> Drop for Reply<A> {
    fn drop(&mut self) {
        if self.sent {
            return;
        }
        // The handler's task ended without an answer: it panicked (reported where it was
        // caught) or was dropped before it finished.
        tracing::debug!(event = self.event, sid = %self.socket.id, "event ended without an answer; sending `internal`");
        let err = WsError::internal();
        self.observe(Err(&err));
        respond_err(
            &self.socket,
            self.ack_id,
            self.in_flight.app(),
            self.event,
            self.mode,
            &err,
        );
    }
}

/// Sends the one ack an event gets (when it asked for one) and reports failures of events
/// that did not ask for an ack. Only the success path depends on the handler's type.
pub(crate) fn respond<A: Adapter, T: Serialize>(
    socket: &Arc<Socket<A>>,
    ack_id: Option<i64>,
    app: &AppContext,
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
        Err(err) => respond_err(socket, ack_id, app, event, mode, &err),
    }
}

/// [`respond`]'s failure path, shared by all handlers.
pub(crate) fn respond_err<A: Adapter>(
    socket: &Arc<Socket<A>>,
    ack_id: Option<i64>,
    app: &AppContext,
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
            if ack_id.is_none() && app.report_exceptions {
                emit(socket, EXCEPTION_EVENT, &ExceptionEvent::new(event, err));
            }
            ack_id.map_or(Ok(()), |id| send_ack(socket, id, &ErrEnvelope::new(err)))
        }
        AckMode::NestJs => {
            let body = NestError::new(err);
            emit(socket, EXCEPTION_EVENT, &body);
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
        Ok(ack) => ack.send(data)?,
        Err(never) => match never {},
    }
    if let Some(Watched(watch)) = watch_of(socket) {
        watch.packets_sent(1);
    }
    Ok(())
}

fn emit<A: Adapter, T: Serialize + ?Sized>(socket: &Arc<Socket<A>>, event: &str, data: &T) {
    if let Err(err) = emit_watched(socket, event, data) {
        tracing::debug!(sid = %socket.id, %err, "could not emit `{event}`");
    }
}

//! The path of one event: the socket's dispatcher finds the event's handler in its
//! namespace's table, counts the event in flight, makes its [`Reply`], and hands it to the
//! policies ([`policy::admit`]), which start the handler (`handler::start`).

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::extract::TryData;
use socketioxide::handler::FromMessageParts;
use socketioxide::socket::Socket;
use socketioxide_core::Value;

use crate::error::WsError;
use crate::extract::event_name::with_event_name;
use crate::extract::{Arg, Args};
use crate::intercept::Interception;
use crate::runtime::context::InFlight;
use crate::runtime::observer::SocketObserver;
use crate::runtime::policy;
use crate::runtime::reply::{Reply, respond_err};
use crate::runtime::span::EventSpan;
use crate::runtime::table::{FALLBACK_EVENT, Namespace};

impl<A: Adapter> Namespace<A> {
    /// Routes one event of `socket` to its handler, or answers it (`not_found`,
    /// `bad_payload`, `unavailable` while shutting down).
    pub(crate) fn dispatch(&self, socket: Arc<Socket<A>>, value: Value, ack_id: Option<i64>) {
        let found = with_event_name(&socket, &value, |name| match name {
            Some(name) => match (self.events.get_key_value(name), &self.fallback) {
                (Some((&event, handler)), _) => Ok((event, handler)),
                (None, Some(fallback)) => Ok((FALLBACK_EVENT, fallback)),
                (None, None) => Err((
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
        if let Some(observer) = &self.app.observer {
            report_event(observer.as_ref(), &socket, &value);
        }
        let Some(in_flight) = InFlight::enter(&self.app) else {
            tracing::debug!(ns = self.path, %event, "event refused: shutting down");
            let err = WsError::unavailable();
            return respond_err(&socket, ack_id, &self.app, event, handler.mode, &err);
        };
        let span = EventSpan::start(self.path, socket.ns(), event, socket.id);
        let interception = Interception::start(
            &handler.interceptors,
            self.path,
            event,
            socket.id,
            ack_id.is_some(),
        );
        let reply = Reply::new(socket, ack_id, in_flight, event, handler.mode)
            .observed_by(interception, span);
        policy::admit(handler, value, reply);
    }
}

/// Tells the app's observer about an event: its name, then its arguments, as sent (when
/// it wants them).
fn report_event<A: Adapter>(observer: &dyn SocketObserver, socket: &Arc<Socket<A>>, value: &Value) {
    if !observer.wants_details() {
        return observer.event_received(socket.ns(), socket.id, None);
    }
    let name = with_event_name(socket, value, |name| name.map(str::to_owned));
    let mut copy = value.clone();
    let args = match TryData::<Args>::from_message_parts(socket, &mut copy, &None) {
        Ok(TryData(Ok(args))) => args,
        _ => Args::default(),
    };
    let mut all = Vec::with_capacity(args.len() + 1);
    all.push(Arg::from(name.unwrap_or_default()));
    all.extend(args.into_inner());
    observer.event_received(socket.ns(), socket.id, Some(Args(all)));
}

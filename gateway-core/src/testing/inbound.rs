//! What a complete Socket.IO packet from the server does to the connection: CONNECT
//! answers the join, DISCONNECT and CONNECT_ERROR close the namespace, EVENT is queued on
//! its namespace, ACK wakes the emit that waits for it.

use bytes::Bytes;
use serde_json::Value;

use super::ack::AckReply;
use super::codec::{ParsedPacket, decode_args};
use super::connection::{Connection, IncomingEvent, NsMessage, REASON_SERVER_DISCONNECT, lock};
use super::error::TestClientError;

impl Connection {
    /// Handles one complete Socket.IO packet (attachments included).
    pub(super) fn receive_packet(&self, packet: ParsedPacket, attachments: Vec<Bytes>) {
        let ParsedPacket {
            kind, ns, id, data, ..
        } = packet;
        match kind {
            b'0' => self.connected(&ns, data.as_ref()),
            b'1' => {
                let slot = {
                    let mut state = lock(&self.state);
                    state.acks.close_namespace(&ns);
                    state.namespaces.remove(&ns)
                };
                if let Some(slot) = slot {
                    slot.close(REASON_SERVER_DISCONNECT);
                }
            }
            b'2' | b'5' => self.event(ns, id, data, attachments),
            b'3' | b'6' => self.ack(ns, id, data, attachments),
            b'4' => self.refused(&ns, data.as_ref()),
            other => {
                let msg = format!("unknown Socket.IO packet type {:?}", char::from(other));
                self.protocol_error(Some(&ns), msg);
            }
        }
    }

    /// CONNECT: the namespace is joined.
    fn connected(&self, ns: &str, data: Option<&Value>) {
        let sid = data.and_then(|d| d.get("sid")).and_then(Value::as_str);
        let mut state = lock(&self.state);
        if let Some(slot) = state.namespaces.get_mut(ns) {
            *lock(&slot.status.sid) = sid.map(str::to_owned);
            if let Some(waiter) = slot.connect_waiter.take() {
                let _ = waiter.send(Ok(()));
            }
        }
    }

    /// EVENT / BINARY_EVENT: queued on its namespace.
    fn event(&self, ns: String, id: Option<u64>, data: Option<Value>, attachments: Vec<Bytes>) {
        let mut values = match data {
            Some(Value::Array(values)) => values.into_iter(),
            other => {
                let msg = format!("EVENT on {ns:?} without an array payload: {other:?}");
                return self.protocol_error(Some(&ns), msg);
            }
        };
        let Some(Value::String(event)) = values.next() else {
            let msg = format!("EVENT on {ns:?} whose first element is not a string");
            return self.protocol_error(Some(&ns), msg);
        };
        let args = decode_args(values, &attachments);
        let event = IncomingEvent {
            event,
            args,
            namespace: ns,
            ack_id: id,
            attachments,
        };
        let state = lock(&self.state);
        match state.namespaces.get(&event.namespace) {
            Some(slot) => {
                let _ = slot.events.send(NsMessage::Event(event));
            }
            None => {
                tracing::debug!("test client: dropped {event:?} (namespace not joined)")
            }
        }
    }

    /// ACK / BINARY_ACK: wakes the emit waiting for it.
    fn ack(&self, ns: String, id: Option<u64>, data: Option<Value>, attachments: Vec<Bytes>) {
        let Some(id) = id else {
            return self.protocol_error(Some(&ns), format!("ACK on {ns:?} without an id"));
        };
        let args = match data {
            Some(Value::Array(values)) => decode_args(values.into_iter(), &attachments),
            other => {
                let msg = format!("ACK {id} on {ns:?} without an array payload: {other:?}");
                return self.protocol_error(Some(&ns), msg);
            }
        };
        lock(&self.state)
            .acks
            .resolve(ns, id, AckReply { args, attachments });
    }

    /// CONNECT_ERROR: the join is refused.
    fn refused(&self, ns: &str, data: Option<&Value>) {
        let message = match data {
            Some(Value::Object(o)) => o.get("message").and_then(Value::as_str),
            Some(Value::String(s)) => Some(s.as_str()),
            _ => None,
        };
        let message = message.map_or_else(|| format!("{data:?}"), str::to_owned);
        let slot = lock(&self.state).namespaces.remove(ns);
        if let Some(mut slot) = slot {
            slot.status
                .set_closed(&format!("connect refused: {message}"));
            match slot.connect_waiter.take() {
                Some(waiter) => {
                    let _ = waiter.send(Err(TestClientError::ConnectRefused { message }));
                }
                None => {
                    let _ = slot.events.send(NsMessage::Refused(message));
                }
            }
        }
    }
}

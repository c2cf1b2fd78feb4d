//! What a complete Socket.IO packet from the server does to the connection: CONNECT
//! answers the join, DISCONNECT and CONNECT_ERROR close the namespace, EVENT is queued on
//! its namespace, ACK wakes the emit that waits for it.

use socketioxide_core::Value;
use socketioxide_core::packet::{Packet, PacketData};

use super::ack::AckReply;
use super::connection::{Connection, IncomingEvent, NsMessage, REASON_SERVER_DISCONNECT, lock};
use super::error::TestClientError;

impl Connection {
    /// Handles one complete Socket.IO packet (attachments included).
    pub(super) fn receive_packet(&self, packet: Packet) {
        let ns = packet.ns.to_string();
        match packet.inner {
            PacketData::Connect(data) => self.connected(&ns, data.as_ref()),
            PacketData::Disconnect => {
                let slot = {
                    let mut state = lock(&self.state);
                    state.acks.close_namespace(&ns);
                    state.namespaces.remove(&ns)
                };
                if let Some(slot) = slot {
                    slot.close(REASON_SERVER_DISCONNECT);
                }
            }
            PacketData::Event(data, id) | PacketData::BinaryEvent(data, id) => {
                self.event(ns, id, data)
            }
            PacketData::EventAck(data, id) | PacketData::BinaryAck(data, id) => {
                self.ack(ns, id, data)
            }
            PacketData::ConnectError(message) => self.refused(&ns, message),
        }
    }

    /// CONNECT: the namespace is joined.
    fn connected(&self, ns: &str, data: Option<&Value>) {
        let sid = self.codec.connect_sid(data);
        let mut state = lock(&self.state);
        if let Some(slot) = state.namespaces.get_mut(ns) {
            *lock(&slot.status.sid) = sid;
            if let Some(waiter) = slot.connect_waiter.take() {
                let _ = waiter.send(Ok(()));
            }
        }
    }

    /// EVENT / BINARY_EVENT: queued on its namespace.
    fn event(&self, ns: String, id: Option<i64>, data: Value) {
        let (event, args, attachments) = match self.codec.event_args(data) {
            Ok(decoded) => decoded,
            Err(msg) => return self.protocol_error(Some(&ns), format!("EVENT on {ns:?}: {msg}")),
        };
        let Some(ack_id) = id.map(u64::try_from).transpose().ok() else {
            let msg = format!("EVENT {event:?} on {ns:?} with a negative ack id");
            return self.protocol_error(Some(&ns), msg);
        };
        let event = IncomingEvent {
            event,
            args,
            namespace: ns,
            ack_id,
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
    fn ack(&self, ns: String, id: i64, data: Value) {
        let Ok(id) = u64::try_from(id) else {
            return self.protocol_error(Some(&ns), format!("ACK on {ns:?} with id {id}"));
        };
        let (args, attachments) = match self.codec.ack_args(data) {
            Ok(decoded) => decoded,
            Err(msg) => {
                return self.protocol_error(Some(&ns), format!("ACK {id} on {ns:?}: {msg}"));
            }
        };
        lock(&self.state)
            .acks
            .resolve(ns, id, AckReply { args, attachments });
    }

    /// CONNECT_ERROR: the join is refused.
    pub(super) fn refused(&self, ns: &str, message: String) {
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

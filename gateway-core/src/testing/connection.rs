//! The state of one Engine.IO connection of the test client, shared by its handles
//! ([`TestClient`](super::TestClient), [`NsClient`](super::NsClient), received events) and
//! its two background tasks: the joined namespaces, the pending acks, the frames to write.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

use super::ack::{AckReply, PendingAcks};
use super::codec::Codec;
use super::error::TestClientError;
use crate::extract::Arg;

/// Disconnect reason: the server sent a Socket.IO DISCONNECT for the namespace.
pub(super) const REASON_SERVER_DISCONNECT: &str = "io server disconnect";
/// Disconnect reason: this client closed the namespace or the connection.
pub(super) const REASON_CLIENT_DISCONNECT: &str = "io client disconnect";
/// Disconnect reason: the Engine.IO connection was closed by the server.
pub(super) const REASON_TRANSPORT_CLOSE: &str = "transport close";

/// Locks `mutex`, poisoned or not (a panicking test thread must not hide the state).
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An EVENT (or BINARY_EVENT) packet from the server, decoded.
#[derive(Debug)]
pub(super) struct IncomingEvent {
    pub(super) event: String,
    /// The positional arguments, top-level binary placeholders resolved.
    pub(super) args: Vec<Arg>,
    pub(super) namespace: String,
    pub(super) ack_id: Option<u64>,
    pub(super) attachments: Vec<Bytes>,
}

/// What the background reader delivers to a namespace's queue.
pub(super) enum NsMessage {
    Event(IncomingEvent),
    /// The namespace (or the whole connection) was closed; the reason is in [`NsStatus`].
    Closed,
    /// CONNECT_ERROR after [`TestClient::namespace_nowait`](super::TestClient::namespace_nowait).
    Refused(String),
    /// A malformed packet was received.
    Error(String),
}

/// State shared between a namespace slot and its [`NsClient`](super::NsClient).
#[derive(Default)]
pub(super) struct NsStatus {
    pub(super) sid: Mutex<Option<String>>,
    closed: Mutex<Option<String>>,
}

impl NsStatus {
    /// Records why the namespace closed (the first reason wins).
    pub(super) fn set_closed(&self, reason: &str) {
        lock(&self.closed).get_or_insert_with(|| reason.to_owned());
    }

    /// Why the namespace closed, if it did.
    pub(super) fn closed(&self) -> Option<String> {
        lock(&self.closed).clone()
    }
}

/// The answer to a CONNECT, for the [`TestClient`](super::TestClient) waiting for it.
pub(super) type ConnectWaiter = oneshot::Sender<Result<(), TestClientError>>;

/// The reader's view of a joined namespace.
pub(super) struct NsSlot {
    pub(super) events: mpsc::UnboundedSender<NsMessage>,
    pub(super) status: Arc<NsStatus>,
    pub(super) connect_waiter: Option<ConnectWaiter>,
}

impl NsSlot {
    /// Marks the namespace closed and wakes whoever waits on it.
    pub(super) fn close(mut self, reason: &str) {
        self.status.set_closed(reason);
        if let Some(waiter) = self.connect_waiter.take() {
            let _ = waiter.send(Err(TestClientError::Closed));
        }
        let _ = self.events.send(NsMessage::Closed);
    }
}

/// What the lock of a [`Connection`] guards.
#[derive(Default)]
pub(super) struct ConnectionState {
    /// Set once the Engine.IO connection is closed.
    pub(super) closed: Option<String>,
    pub(super) namespaces: HashMap<String, NsSlot>,
    pub(super) acks: PendingAcks,
}

impl ConnectionState {
    /// Whether the slot of `ns` is the one whose status is `status` (and not a later join).
    fn owns(&self, ns: &str, status: &Arc<NsStatus>) -> bool {
        self.namespaces
            .get(ns)
            .is_some_and(|slot| Arc::ptr_eq(&slot.status, status))
    }
}

/// One Engine.IO connection, shared by its handles and background tasks.
pub(super) struct Connection {
    /// Frame batches for the writer task, each written back to back.
    pub(super) outbox: mpsc::UnboundedSender<Vec<Message>>,
    pub(super) state: Mutex<ConnectionState>,
    /// The parser the connection speaks.
    pub(super) codec: Codec,
    next_ack_id: AtomicU64,
}

impl Connection {
    /// A connection whose frames go to `outbox`, encoded by `codec`.
    pub(super) fn new(outbox: mpsc::UnboundedSender<Vec<Message>>, codec: Codec) -> Self {
        Self {
            outbox,
            state: Mutex::new(ConnectionState::default()),
            codec,
            next_ack_id: AtomicU64::new(0),
        }
    }

    /// Queues frames for the writer task; they are written back to back.
    pub(super) fn send(&self, frames: Vec<Message>) -> Result<(), TestClientError> {
        if self.is_closed() {
            return Err(TestClientError::Closed);
        }
        self.outbox
            .send(frames)
            .map_err(|_| TestClientError::Closed)
    }

    /// Why the connection closed, if it did.
    pub(super) fn closed(&self) -> Option<String> {
        lock(&self.state).closed.clone()
    }

    /// Whether the connection is closed.
    pub(super) fn is_closed(&self) -> bool {
        lock(&self.state).closed.is_some()
    }

    /// Marks the connection closed and wakes every waiter.
    pub(super) fn shutdown(&self, reason: &str) {
        let (slots, pending) = {
            let mut state = lock(&self.state);
            if state.closed.is_some() {
                return;
            }
            state.closed = Some(reason.to_owned());
            (std::mem::take(&mut state.namespaces), state.acks.take_all())
        };
        drop(pending); // ack waiters see a dropped sender: `Closed`
        for slot in slots.into_values() {
            slot.close(reason);
        }
    }

    /// Registers a namespace being joined; refused when the connection is closed or when
    /// the namespace is already joined.
    pub(super) fn add_ns(&self, ns: &str, slot: NsSlot) -> Result<(), TestClientError> {
        let mut state = lock(&self.state);
        if state.closed.is_some() {
            return Err(TestClientError::Closed);
        }
        if state
            .namespaces
            .get(ns)
            .is_some_and(|slot| !slot.events.is_closed())
        {
            let msg = format!("namespace {ns:?} is already joined on this connection");
            return Err(TestClientError::Unexpected(msg));
        }
        state.namespaces.insert(ns.to_owned(), slot);
        Ok(())
    }

    /// Removes the slot of `ns` if it still belongs to `status`, with the namespace's pending acks.
    pub(super) fn remove_ns(&self, ns: &str, status: &Arc<NsStatus>) -> Option<NsSlot> {
        let mut state = lock(&self.state);
        if !state.owns(ns, status) {
            return None;
        }
        state.acks.close_namespace(ns);
        state.namespaces.remove(ns)
    }

    /// A new ack id, registered as awaited on `ns` (while the namespace of `status` is
    /// joined and the connection open).
    pub(super) fn wait_for_ack(
        &self,
        ns: &str,
        status: &Arc<NsStatus>,
    ) -> Result<(u64, oneshot::Receiver<AckReply>), TestClientError> {
        let id = self.next_ack_id.fetch_add(1, Ordering::Relaxed);
        let mut state = lock(&self.state);
        if state.closed.is_some() || !state.owns(ns, status) {
            return Err(TestClientError::Closed);
        }
        Ok((id, state.acks.wait_for(ns, id)))
    }

    /// Stops waiting for the ack `id` on `ns`.
    pub(super) fn forget_ack(&self, ns: &str, id: u64) {
        lock(&self.state).acks.forget(ns, id);
    }

    /// Acks received on this connection that matched no pending emit.
    pub(super) fn stray_acks(&self) -> u64 {
        lock(&self.state).acks.stray()
    }

    /// Reports a malformed packet to namespace `ns`, or to every namespace.
    pub(super) fn protocol_error(&self, ns: Option<&str>, msg: String) {
        tracing::warn!("test client: {msg}");
        let state = lock(&self.state);
        for (name, slot) in &state.namespaces {
            if ns.is_none_or(|ns| ns == name) {
                let _ = slot.events.send(NsMessage::Error(msg.clone()));
            }
        }
    }
}

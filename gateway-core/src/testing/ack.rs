//! Acks the test client waits for: the emits of one connection that asked for an ack, and
//! the count of acks that matched none of them.

use std::collections::HashMap;

use bytes::Bytes;
use tokio::sync::oneshot;

use crate::extract::Arg;

/// An ack as received: its arguments (top-level binary placeholders resolved) and every
/// binary attachment of the packet, in placeholder order.
#[derive(Debug, Clone, PartialEq)]
pub struct AckReply {
    /// The ack's arguments.
    pub args: Vec<Arg>,
    /// The packet's binary attachments (`{"_placeholder": true, "num": n}` is `attachments[n]`).
    pub attachments: Vec<Bytes>,
}

/// The emits of one connection waiting for their ack, by namespace and ack id.
#[derive(Default)]
pub(super) struct PendingAcks {
    waiting: HashMap<(String, u64), oneshot::Sender<AckReply>>,
    /// Acks that arrived for no pending emit: a second ack for one emit, or an ack nobody
    /// asked for. The "exactly one ack" contract says this stays 0.
    stray: u64,
}

impl PendingAcks {
    /// Registers the emit `id` on `ns`; its ack arrives on the receiver.
    pub(super) fn wait_for(&mut self, ns: &str, id: u64) -> oneshot::Receiver<AckReply> {
        let (tx, rx) = oneshot::channel();
        self.waiting.insert((ns.to_owned(), id), tx);
        rx
    }

    /// Forgets the emit `id` on `ns` (it was not sent, or its wait timed out).
    pub(super) fn forget(&mut self, ns: &str, id: u64) {
        self.waiting.remove(&(ns.to_owned(), id));
    }

    /// Hands an ack to the emit waiting for it, or counts it as stray.
    pub(super) fn resolve(&mut self, ns: String, id: u64, reply: AckReply) {
        match self.waiting.remove(&(ns, id)) {
            Some(waiter) => {
                let _ = waiter.send(reply);
            }
            None => {
                self.stray += 1;
                tracing::debug!("test client: stray ack {id} (no one waits for it)");
            }
        }
    }

    /// Drops the waits of namespace `ns`: they see `Closed`.
    pub(super) fn close_namespace(&mut self, ns: &str) {
        self.waiting.retain(|(n, _), _| n != ns);
    }

    /// Takes every wait out (to drop them outside the connection's lock: they see `Closed`).
    pub(super) fn take_all(&mut self) -> HashMap<(String, u64), oneshot::Sender<AckReply>> {
        std::mem::take(&mut self.waiting)
    }

    /// How many acks matched no pending emit.
    pub(super) fn stray(&self) -> u64 {
        self.stray
    }
}

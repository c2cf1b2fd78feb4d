//! [`SocketQueue`]: a socket's FIFO of `#[ordered]` events (book/src/ordering.md).

use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::socket::Socket;
use tokio::sync::mpsc;

use crate::panic::{self, Site};
use crate::runtime::table::BoxFuture;

/// A socket's FIFO of `#[ordered]` events: one worker task per socket, started at its first
/// ordered event and ended when the socket (holding the sender in its extensions) is gone.
#[derive(Clone)]
pub(crate) struct SocketQueue {
    jobs: mpsc::Sender<BoxFuture>,
}

impl SocketQueue {
    /// The socket's queue, created (with room for `backlog` waiting events) on first use.
    pub(crate) fn of<A: Adapter>(socket: &Arc<Socket<A>>, backlog: usize) -> Self {
        if let Some(queue) = socket.extensions.get::<SocketQueue>() {
            return queue;
        }
        // socketioxide dispatches one socket's packets one after the other, so two events
        // of the same socket never race to create the queue.
        let (jobs, mut rx) = mpsc::channel::<BoxFuture>(backlog.max(1));
        tokio::spawn(async move {
            while let Some(job) = rx.recv().await {
                // Jobs catch their handler's panics; this keeps the queue alive even if a
                // panic escapes elsewhere (an interceptor, a serializer), so the socket's
                // later events still run.
                panic::catch_future(Site::OrderedQueue, job).await;
            }
        });
        let queue = SocketQueue { jobs };
        socket.extensions.insert(queue.clone());
        queue
    }

    /// Whether one more event fits in the backlog. Only this socket's dispatch (one packet
    /// at a time) pushes, and the worker only frees room, so a `true` holds until `push`.
    pub(crate) fn has_room(&self) -> bool {
        self.jobs.capacity() > 0
    }

    /// Queues `job`. Should the queue be unusable, the job runs on its own task instead:
    /// out of order, but its client still gets its one ack.
    pub(crate) fn push(&self, job: BoxFuture) {
        use tokio::sync::mpsc::error::TrySendError;
        if let Err(TrySendError::Full(job) | TrySendError::Closed(job)) = self.jobs.try_send(job) {
            tracing::error!("ordered queue unavailable; running the event out of order");
            tokio::spawn(job);
        }
    }
}

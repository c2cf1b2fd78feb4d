//! [`Shutdown`]: the graceful shutdown of an app's gateways: refuse new events and
//! sockets, let the events in flight send their acks (bounded), then disconnect every
//! socket of this node and close.

use std::sync::Arc;
use std::time::Duration;

use crate::SocketIo;
use crate::runtime::AppContext;

/// The graceful shutdown of an app's gateways (see [`Server::shutdown`](crate::Server::shutdown)). Cheap to clone.
#[derive(Clone)]
pub struct Shutdown {
    pub(crate) app: Arc<AppContext>,
    pub(crate) io: SocketIo,
    pub(crate) timeout: Duration,
}

impl std::fmt::Debug for Shutdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shutdown")
            .field("timeout", &self.timeout)
            .field("in_flight", &self.app.drain.in_flight())
            .finish()
    }
}

impl Shutdown {
    /// Refuses new events and sockets, waits for the events in flight (bounded), then
    /// disconnects every socket of this node (clients see `io server disconnect`) and
    /// closes the server. Calling it again does nothing more.
    pub async fn run(&self) {
        self.app.drain.begin();
        let in_flight = self.app.drain.in_flight();
        if in_flight > 0 {
            tracing::info!(in_flight, timeout = ?self.timeout, "waiting for events in flight");
        }
        let left = self.app.drain.wait_idle(self.timeout).await;
        if left > 0 {
            tracing::warn!(
                left,
                "shutdown timeout: disconnecting with events still running"
            );
        }
        let mut disconnected = 0;
        // Every namespace, the concrete ones of dynamic namespaces included; this node's
        // sockets only: with Redis, `disconnect()` on the operators would reach every node.
        for ns in self.io.nsps() {
            for socket in ns.local().sockets() {
                disconnected += 1;
                let namespace = socket.ns().to_owned();
                if let Err(err) = socket.disconnect() {
                    tracing::debug!(namespace, %err, "disconnect on shutdown");
                }
            }
        }
        if disconnected > 0 {
            // socketioxide queues each DISCONNECT packet on its connection and offers no way
            // to wait for the write; give the writers a moment before the process ends and
            // the connections are reset. (Official clients close their connection as soon
            // as they read it.)
            tokio::time::sleep(DISCONNECT_FLUSH).await;
        }
        self.io.close().await;
    }
}

/// How long shutdown waits for the DISCONNECT packets to be written.
const DISCONNECT_FLUSH: Duration = Duration::from_millis(250);

//! [`WatchedAdapter`]: with the `admin-ui` feature, the adapter of every namespace. It is
//! the adapter the app would use without the feature (in memory, or the cluster's), and
//! when the Admin UI is on it also tells the app's [`SentWatch`] which sockets of this node
//! each broadcast reaches, with the event: socketioxide has no hook on outgoing packets,
//! and every broadcast (`io.to(room).emit(..)`, `socket.broadcast()`, `emit_event` on an
//! operator) passes through the namespace's adapter. With the Admin UI off a broadcast
//! pays one branch.

use std::sync::Arc;
use std::time::Duration;

use socketioxide::adapter::Emitter;
use socketioxide_core::adapter::errors::BroadcastError;
use socketioxide_core::adapter::{
    BroadcastOptions, CoreAdapter, CoreLocalAdapter, DefinedAdapter, RemoteSocketData, Room,
    RoomParam,
};
use socketioxide_core::packet::{Packet, PacketData};
use socketioxide_core::parser::Parse;

use crate::event::{SentWatch, Watched};
use crate::extract::Args;

/// The adapter `I`, watched when the Admin UI is on.
pub struct WatchedAdapter<I> {
    // In an `Arc` because `init` takes the adapter in one, and the inner adapter's `init`
    // takes the inner adapter in one.
    inner: Arc<I>,
    watch: Option<Arc<dyn SentWatch>>,
}

/// What every namespace's [`WatchedAdapter`] is built from: the inner adapter's state, and
/// the Admin UI's watch when it is on.
pub struct WatchedState<S> {
    pub(crate) inner: S,
    pub(crate) watch: Option<Watched>,
}

impl<I: CoreAdapter<Emitter>> WatchedAdapter<I> {
    /// Tells the watch about `packet`, if it is an event, before it is broadcast.
    fn tell(&self, watch: &dyn SentWatch, packet: &Packet, opts: &BroadcastOptions) {
        let (PacketData::Event(value, _) | PacketData::BinaryEvent(value, _)) = &packet.inner
        else {
            return;
        };
        let local = self.inner.get_local();
        let sids = local.sockets(opts.clone());
        if sids.is_empty() {
            return;
        }
        let args = watch.wants_details().then(|| {
            let parser = local.parser();
            let name = parser.read_event(value).unwrap_or_default().to_owned();
            let mut copy = value.clone();
            let rest: Args = parser.decode_value(&mut copy, true).unwrap_or_default();
            let mut all = vec![serde_json::Value::String(name)];
            if let Ok(serde_json::Value::Array(rest)) = serde_json::to_value(&rest) {
                all.extend(rest);
            }
            serde_json::Value::Array(all)
        });
        watch.event_sent(&packet.ns, sids, args);
    }
}

impl<I: DefinedAdapter> DefinedAdapter for WatchedAdapter<I> {}

impl<I: CoreAdapter<Emitter>> CoreAdapter<Emitter> for WatchedAdapter<I> {
    type Error = I::Error;
    type State = WatchedState<I::State>;
    type AckStream = I::AckStream;
    type InitRes = I::InitRes;

    fn new(state: &Self::State, local: CoreLocalAdapter<Emitter>) -> Self {
        Self {
            inner: Arc::new(I::new(&state.inner, local)),
            watch: state.watch.as_ref().map(|Watched(watch)| watch.clone()),
        }
    }

    fn init(self: Arc<Self>, on_success: impl FnOnce() + Send + 'static) -> I::InitRes {
        self.inner.clone().init(on_success)
    }

    async fn close(&self) -> Result<(), Self::Error> {
        self.inner.close().await
    }

    async fn server_count(&self) -> Result<u16, Self::Error> {
        self.inner.server_count().await
    }

    async fn broadcast(
        &self,
        packet: Packet,
        opts: BroadcastOptions,
    ) -> Result<(), BroadcastError> {
        if let Some(watch) = &self.watch {
            self.tell(watch.as_ref(), &packet, &opts);
        }
        self.inner.broadcast(packet, opts).await
    }

    async fn broadcast_with_ack(
        &self,
        packet: Packet,
        opts: BroadcastOptions,
        timeout: Option<Duration>,
    ) -> Result<Self::AckStream, Self::Error> {
        if let Some(watch) = &self.watch {
            self.tell(watch.as_ref(), &packet, &opts);
        }
        self.inner.broadcast_with_ack(packet, opts, timeout).await
    }

    async fn add_sockets(
        &self,
        opts: BroadcastOptions,
        rooms: impl RoomParam,
    ) -> Result<(), Self::Error> {
        self.inner.add_sockets(opts, rooms).await
    }

    async fn del_sockets(
        &self,
        opts: BroadcastOptions,
        rooms: impl RoomParam,
    ) -> Result<(), Self::Error> {
        self.inner.del_sockets(opts, rooms).await
    }

    async fn disconnect_socket(&self, opts: BroadcastOptions) -> Result<(), BroadcastError> {
        self.inner.disconnect_socket(opts).await
    }

    async fn rooms(&self, opts: BroadcastOptions) -> Result<Vec<Room>, Self::Error> {
        self.inner.rooms(opts).await
    }

    async fn fetch_sockets(
        &self,
        opts: BroadcastOptions,
    ) -> Result<Vec<RemoteSocketData>, Self::Error> {
        self.inner.fetch_sockets(opts).await
    }

    fn get_local(&self) -> &CoreLocalAdapter<Emitter> {
        self.inner.get_local()
    }
}

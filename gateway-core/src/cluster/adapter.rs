//! [`ClusterAdapter`]: the adapter of every namespace with the `redis` feature, in memory
//! or over Redis, chosen by the [`ClusterState`] it is built from.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::Either;
use socketioxide::adapter::Emitter;
use socketioxide_core::adapter::errors::BroadcastError;
use socketioxide_core::adapter::{
    BroadcastOptions, CoreAdapter, CoreLocalAdapter, DefinedAdapter, RemoteSocketData, Room,
    RoomParam, SocketEmitter,
};
use socketioxide_core::packet::Packet;
use socketioxide_redis::CustomRedisAdapter;

use super::driver::ResilientDriver;
use super::init::ClusterInit;
use super::state::ClusterState;

/// The Redis adapter over [`ResilientDriver`].
type RedisAdapter = CustomRedisAdapter<Emitter, ResilientDriver>;

/// The adapter of every namespace when the `redis` feature is on: in memory, or Redis.
pub struct ClusterAdapter(Inner);

// One per namespace, built once: the in-memory variant stays inline (boxing it would add
// an indirection to every broadcast of a single-node app); it outgrows the `Arc` when
// socketioxide's `msgpack` parser is compiled in.
#[allow(clippy::large_enum_variant)]
enum Inner {
    Memory(CoreLocalAdapter<Emitter>),
    Redis(Arc<RedisAdapter>),
}

impl DefinedAdapter for ClusterAdapter {}

/// `add_sockets` and `del_sockets`: the sockets that `opts` selects join or leave `rooms`,
/// on this node (in memory) or across the cluster (Redis).
macro_rules! rooms_of_sockets {
    ($method:ident) => {
        async fn $method(
            &self,
            opts: BroadcastOptions,
            rooms: impl RoomParam,
        ) -> Result<(), Self::Error> {
            match &self.0 {
                Inner::Memory(local) => {
                    local.$method(opts, rooms);
                    Ok(())
                }
                Inner::Redis(redis) => redis.$method(opts, rooms).await,
            }
        }
    };
}

impl CoreAdapter<Emitter> for ClusterAdapter {
    type Error = <RedisAdapter as CoreAdapter<Emitter>>::Error;
    type State = ClusterState;
    type AckStream = Either<
        <Emitter as SocketEmitter>::AckStream,
        <RedisAdapter as CoreAdapter<Emitter>>::AckStream,
    >;
    type InitRes = ClusterInit;

    fn new(state: &ClusterState, local: CoreLocalAdapter<Emitter>) -> Self {
        match &state.0 {
            None => Self(Inner::Memory(local)),
            Some(ctr) => Self(Inner::Redis(Arc::new(RedisAdapter::new(ctr, local)))),
        }
    }

    fn init(self: Arc<Self>, on_success: impl FnOnce() + Send + 'static) -> ClusterInit {
        match &self.0 {
            Inner::Memory(_) => {
                on_success();
                ClusterInit(None)
            }
            Inner::Redis(redis) => ClusterInit(Some(redis.clone().init(on_success))),
        }
    }

    async fn close(&self) -> Result<(), Self::Error> {
        match &self.0 {
            Inner::Memory(_) => Ok(()),
            Inner::Redis(redis) => redis.close().await,
        }
    }

    async fn server_count(&self) -> Result<u16, Self::Error> {
        match &self.0 {
            Inner::Memory(_) => Ok(1),
            Inner::Redis(redis) => redis.server_count().await,
        }
    }

    async fn broadcast(
        &self,
        packet: Packet,
        opts: BroadcastOptions,
    ) -> Result<(), BroadcastError> {
        match &self.0 {
            Inner::Memory(local) => local.broadcast(packet, opts).map_err(BroadcastError::from),
            Inner::Redis(redis) => redis.broadcast(packet, opts).await,
        }
    }

    async fn broadcast_with_ack(
        &self,
        packet: Packet,
        opts: BroadcastOptions,
        timeout: Option<Duration>,
    ) -> Result<Self::AckStream, Self::Error> {
        match &self.0 {
            Inner::Memory(local) => Ok(Either::Left(
                local.broadcast_with_ack(packet, opts, timeout).0,
            )),
            Inner::Redis(redis) => redis
                .broadcast_with_ack(packet, opts, timeout)
                .await
                .map(Either::Right),
        }
    }

    rooms_of_sockets!(add_sockets);
    rooms_of_sockets!(del_sockets);

    async fn disconnect_socket(&self, opts: BroadcastOptions) -> Result<(), BroadcastError> {
        match &self.0 {
            Inner::Memory(local) => local
                .disconnect_socket(opts)
                .map_err(BroadcastError::Socket),
            Inner::Redis(redis) => redis.disconnect_socket(opts).await,
        }
    }

    async fn rooms(&self, opts: BroadcastOptions) -> Result<Vec<Room>, Self::Error> {
        match &self.0 {
            Inner::Memory(local) => Ok(local.rooms(opts).into_iter().collect()),
            Inner::Redis(redis) => redis.rooms(opts).await,
        }
    }

    async fn fetch_sockets(
        &self,
        opts: BroadcastOptions,
    ) -> Result<Vec<RemoteSocketData>, Self::Error> {
        match &self.0 {
            Inner::Memory(local) => Ok(local.fetch_sockets(opts)),
            Inner::Redis(redis) => redis.fetch_sockets(opts).await,
        }
    }

    fn get_local(&self) -> &CoreLocalAdapter<Emitter> {
        match &self.0 {
            Inner::Memory(local) => local,
            Inner::Redis(redis) => redis.get_local(),
        }
    }
}

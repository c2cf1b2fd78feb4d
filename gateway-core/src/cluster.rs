//! Several nodes, one set of rooms: the Redis adapter (feature `redis`).
//!
//! With the feature on, every namespace uses [`ClusterAdapter`]. It is the in-memory
//! adapter unless the app is given a Redis URL ([`GatewayApp::redis`](crate::GatewayApp::redis)
//! or `GATEWAY_REDIS_URL`), in which case it is `socketioxide-redis`'s adapter: broadcasts,
//! room joins and leaves, disconnects and `fetch_sockets` reach the sockets of every node
//! that shares the Redis. Gateway code is the same either way.
//!
//! The Redis link is made to degrade, not to fail: socketioxide-redis sends a broadcast to
//! Redis *before* delivering it locally and gives up on the first error, and its stock
//! driver never reconnects. [`ResilientDriver`] (our own, because no published driver
//! does this) therefore:
//! - reconnects with `redis`'s `ConnectionManager`, which also resubscribes the adapter's
//!   channels once Redis is back;
//! - while Redis is unreachable, skips the remote part of every operation instead of
//!   failing it: local broadcasts, joins and room counts keep working on this node alone,
//!   and messages meant for other nodes in that window are dropped (at most once, as with
//!   socket.io's Redis adapter);
//! - probes Redis in the background and resumes cross-node delivery as soon as it answers.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::future::Either;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands, PushInfo, PushKind};
use socketioxide::adapter::Emitter;
use socketioxide_core::adapter::errors::BroadcastError;
use socketioxide_core::adapter::{
    BroadcastOptions, CoreAdapter, CoreLocalAdapter, DefinedAdapter, RemoteSocketData, Room,
    RoomParam, SocketEmitter, Spawnable,
};
use socketioxide_core::packet::Packet;
use socketioxide_redis::drivers::{ChanItem, Driver, MessageStream};
use socketioxide_redis::{CustomRedisAdapter, RedisAdapterConfig, RedisAdapterCtr};
use tokio::sync::mpsc;

/// The Redis adapter over [`ResilientDriver`].
type RedisAdapter = CustomRedisAdapter<Emitter, ResilientDriver>;

/// The adapter of every namespace when the `redis` feature is on: in memory, or Redis.
pub struct ClusterAdapter(Inner);

enum Inner {
    Memory(CoreLocalAdapter<Emitter>),
    Redis(Arc<RedisAdapter>),
}

/// What [`ClusterAdapter`]s are built from: nothing (in memory) or a Redis connection.
pub struct ClusterState(Option<RedisAdapterCtr<ResilientDriver>>);

impl ClusterState {
    /// In memory: this process only.
    pub(crate) fn memory() -> Self {
        Self(None)
    }

    /// Connects to Redis at `url`; fails when it does not answer.
    pub(crate) async fn redis(url: &str) -> Result<Self, String> {
        let driver = ResilientDriver::connect(url).await?;
        let config = RedisAdapterConfig::new().with_request_timeout(REQUEST_TIMEOUT);
        Ok(Self(Some(RedisAdapterCtr::new_with_driver(driver, config))))
    }
}

/// How long a cross-node request (`fetch_sockets`, `rooms`) waits for the other nodes.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

impl DefinedAdapter for ClusterAdapter {}

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

    async fn add_sockets(
        &self,
        opts: BroadcastOptions,
        rooms: impl RoomParam,
    ) -> Result<(), Self::Error> {
        match &self.0 {
            Inner::Memory(local) => {
                local.add_sockets(opts, rooms);
                Ok(())
            }
            Inner::Redis(redis) => redis.add_sockets(opts, rooms).await,
        }
    }

    async fn del_sockets(
        &self,
        opts: BroadcastOptions,
        rooms: impl RoomParam,
    ) -> Result<(), Self::Error> {
        match &self.0 {
            Inner::Memory(local) => {
                local.del_sockets(opts, rooms);
                Ok(())
            }
            Inner::Redis(redis) => redis.del_sockets(opts, rooms).await,
        }
    }

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

/// A namespace's initialisation: at once in memory; with Redis, once its channels are
/// subscribed. [`GatewayApp`](crate::GatewayApp) awaits it before serving.
#[must_use = "futures do nothing unless awaited"]
pub struct ClusterInit(Option<socketioxide_redis::InitRes<ResilientDriver>>);

impl Future for ClusterInit {
    type Output = Result<(), socketioxide_redis::InitError<ResilientDriver>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.0 {
            None => Poll::Ready(Ok(())),
            Some(init) => Pin::new(init).poll(cx),
        }
    }
}

impl Spawnable for ClusterInit {
    fn spawn(self) {
        if let Some(init) = self.0 {
            init.spawn();
        }
    }
}

type Handlers = RwLock<HashMap<String, mpsc::Sender<ChanItem>>>;

/// A `socketioxide-redis` driver that reconnects, resubscribes, and degrades to this node
/// alone while Redis is away (see the [module docs](self)).
#[derive(Clone)]
pub struct ResilientDriver(Arc<DriverInner>);

struct DriverInner {
    conn: ConnectionManager,
    /// The adapter's subscribed channels and where their messages go.
    handlers: Arc<Handlers>,
    /// Whether Redis answered last time we asked.
    up: AtomicBool,
    /// Whether a background probe is already waiting for Redis to come back.
    probing: AtomicBool,
    /// The URL without its password, for logs.
    url: String,
}

/// How long one Redis command may take before the node treats Redis as unreachable.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(1);
/// How often an unreachable Redis is probed.
const PROBE_INTERVAL: Duration = Duration::from_millis(250);

/// A Redis error, or a command that timed out.
#[derive(Debug)]
pub struct RedisError(String);

impl fmt::Display for RedisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RedisError {}

impl ResilientDriver {
    async fn connect(url: &str) -> Result<Self, String> {
        let shown = redact(url);
        let client = redis::Client::open(with_resp3(url)).map_err(|err| err.to_string())?;
        let handlers: Arc<Handlers> = Arc::default();
        // The push callback cannot reach the driver it belongs to (the connection is built
        // first), so it reports lost connections through this flag's owner, set below.
        let lost: Arc<std::sync::OnceLock<std::sync::Weak<DriverInner>>> = Arc::default();
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(COMMAND_TIMEOUT))
            .set_response_timeout(Some(COMMAND_TIMEOUT))
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_millis(500))
            .set_automatic_resubscription()
            .set_push_sender({
                let handlers = handlers.clone();
                let lost = lost.clone();
                move |push: PushInfo| {
                    if push.kind == PushKind::Disconnection {
                        if let Some(inner) = lost.get().and_then(std::sync::Weak::upgrade) {
                            ResilientDriver(inner).mark_down("connection lost");
                        }
                    } else {
                        route(&handlers, push);
                    }
                    Ok::<(), std::convert::Infallible>(())
                }
            });
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|err| err.to_string())?;
        let inner = Arc::new(DriverInner {
            conn,
            handlers,
            up: AtomicBool::new(true),
            probing: AtomicBool::new(false),
            url: shown,
        });
        let _ = lost.set(Arc::downgrade(&inner));
        let driver = Self(inner);
        #[cfg(feature = "metrics")]
        metrics::gauge!("gateway_redis_up").set(1.0);
        // A server that speaks RESP3 but cannot publish (a replica, ACLs) fails here, at
        // startup, rather than at the first broadcast.
        driver
            .command(
                |mut conn| async move { redis::cmd("PING").query_async::<String>(&mut conn).await },
            )
            .await
            .map_err(|err| err.0)?;
        Ok(driver)
    }

    fn is_up(&self) -> bool {
        self.0.up.load(Ordering::Acquire)
    }

    /// Runs one command with the timeout.
    async fn command<T, F, Fut>(&self, f: F) -> Result<T, RedisError>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        match tokio::time::timeout(COMMAND_TIMEOUT, f(self.0.conn.clone())).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(RedisError(err.to_string())),
            Err(_) => Err(RedisError(format!("no answer within {COMMAND_TIMEOUT:?}"))),
        }
    }

    /// Records that Redis is unreachable and starts the probe that notices its return.
    fn mark_down(&self, why: &str) {
        if self.0.up.swap(false, Ordering::AcqRel) {
            tracing::warn!(
                redis = %self.0.url,
                reason = why,
                "Redis unreachable: serving this node's sockets only until it is back"
            );
            #[cfg(feature = "metrics")]
            metrics::gauge!("gateway_redis_up").set(0.0);
        }
        if self.0.probing.swap(true, Ordering::AcqRel) {
            return;
        }
        let driver = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(PROBE_INTERVAL).await;
                let pong = driver
                    .command(|mut conn| async move {
                        redis::cmd("PING").query_async::<String>(&mut conn).await
                    })
                    .await;
                if pong.is_ok() {
                    break;
                }
            }
            driver.0.probing.store(false, Ordering::Release);
            driver.0.up.store(true, Ordering::Release);
            tracing::info!(redis = %driver.0.url, "Redis reachable again: cross-node delivery resumed");
            #[cfg(feature = "metrics")]
            metrics::gauge!("gateway_redis_up").set(1.0);
        });
    }
}

impl Driver for ResilientDriver {
    type Error = RedisError;

    async fn publish(&self, chan: String, val: Vec<u8>) -> Result<(), RedisError> {
        if !self.is_up() {
            tracing::trace!(%chan, "Redis unreachable; remote part skipped");
            return Ok(());
        }
        let sent = self
            .command(|mut conn| async move { conn.publish::<_, _, redis::Value>(chan, val).await })
            .await;
        if let Err(err) = sent {
            // The local part of the operation still happens; only other nodes miss it.
            self.mark_down(&err.0);
        }
        Ok(())
    }

    async fn subscribe(
        &self,
        chan: String,
        size: usize,
    ) -> Result<MessageStream<ChanItem>, RedisError> {
        let (tx, rx) = mpsc::channel(size);
        self.0
            .handlers
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(chan.clone(), tx);
        // The connection manager remembers the channel and subscribes again after a
        // reconnection.
        self.command(|mut conn| async move { conn.subscribe(chan).await })
            .await?;
        Ok(MessageStream::new(rx))
    }

    async fn unsubscribe(&self, chan: String) -> Result<(), RedisError> {
        self.0
            .handlers
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&chan);
        if !self.is_up() {
            return Ok(());
        }
        self.command(|mut conn| async move { conn.unsubscribe(chan).await })
            .await
    }

    async fn num_serv(&self, chan: &str) -> Result<u16, RedisError> {
        if !self.is_up() {
            // Only this node can answer: requests then complete with local results at once.
            return Ok(1);
        }
        let chan = chan.to_owned();
        let counted = self
            .command(|mut conn| async move {
                redis::cmd("PUBSUB")
                    .arg("NUMSUB")
                    .arg(chan)
                    .query_async::<(String, u16)>(&mut conn)
                    .await
            })
            .await;
        match counted {
            Ok((_, count)) => Ok(count.max(1)),
            Err(err) => {
                self.mark_down(&err.0);
                Ok(1)
            }
        }
    }
}

/// Hands a pub/sub message to the adapter stream subscribed to its channel.
fn route(handlers: &Handlers, push: PushInfo) {
    if !matches!(push.kind, PushKind::Message | PushKind::SMessage) {
        return;
    }
    let mut data = push.data.into_iter();
    let (Some(chan), Some(payload)) = (data.next(), data.next()) else {
        return;
    };
    let (Ok(chan), Ok(payload)) = (
        redis::from_redis_value::<String>(chan),
        redis::from_redis_value::<Vec<u8>>(payload),
    ) else {
        tracing::warn!("unreadable Redis pub/sub message skipped");
        return;
    };
    let handlers = handlers
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(tx) = handlers.get(&chan)
        && let Err(err) = tx.try_send((chan, payload))
    {
        tracing::warn!(%err, "cluster message dropped: the adapter is behind");
    }
}

/// RESP3 is required for pub/sub on a multiplexed connection; add it unless the URL says.
fn with_resp3(url: &str) -> String {
    if url.contains("protocol=") {
        return url.to_owned();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}protocol=resp3")
}

/// The URL with its password replaced, for logs and errors.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_resp3_and_lose_their_password_in_logs() {
        assert_eq!(
            with_resp3("redis://h:6379"),
            "redis://h:6379?protocol=resp3"
        );
        assert_eq!(
            with_resp3("redis://h/0?x=1"),
            "redis://h/0?x=1&protocol=resp3"
        );
        assert_eq!(
            with_resp3("redis://h?protocol=resp3"),
            "redis://h?protocol=resp3"
        );
        assert_eq!(redact("redis://u:secret@h:1/0"), "redis://u:***@h:1/0");
        assert_eq!(redact("redis://:secret@h"), "redis://:***@h");
        assert_eq!(redact("redis://h:1"), "redis://h:1");
    }
}

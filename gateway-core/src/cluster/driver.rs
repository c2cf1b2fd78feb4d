//! [`ResilientDriver`]: the `socketioxide-redis` driver that reconnects, resubscribes, and
//! serves this node alone while Redis is away (see the [module docs](super)).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands, PushInfo, PushKind};
use socketioxide_redis::drivers::{ChanItem, Driver, MessageStream};
use tokio::sync::mpsc;

use super::url::redact_password;

/// The adapter's subscribed channels, each with the stream its messages go to.
type Handlers = RwLock<HashMap<String, mpsc::Sender<ChanItem>>>;

/// A `socketioxide-redis` driver that reconnects, resubscribes, and degrades to this node
/// alone while Redis is away (see the [module docs](super)).
#[derive(Clone)]
pub struct ResilientDriver(Arc<DriverInner>);

/// What the clones of a [`ResilientDriver`] share.
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
    /// Connects to Redis at `url` (RESP3 added unless the URL says otherwise) and checks
    /// that it answers.
    pub(super) async fn connect(url: &str) -> Result<Self, String> {
        let shown = redact_password(url);
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
        record_up(true);
        // A server that speaks RESP3 but cannot publish (a replica, ACLs) fails here, at
        // startup, rather than at the first broadcast.
        driver.ping().await.map_err(|err| err.0)?;
        Ok(driver)
    }

    /// Whether Redis answered last time it was asked.
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

    /// Asks Redis for a PONG.
    async fn ping(&self) -> Result<String, RedisError> {
        self.command(|mut conn| async move { redis::cmd("PING").query_async(&mut conn).await })
            .await
    }

    /// Records that Redis is unreachable and starts the probe that notices its return.
    fn mark_down(&self, why: &str) {
        if self.0.up.swap(false, Ordering::AcqRel) {
            tracing::warn!(
                redis = %self.0.url,
                reason = why,
                "Redis unreachable: serving this node's sockets only until it is back"
            );
            record_up(false);
        }
        if self.0.probing.swap(true, Ordering::AcqRel) {
            return;
        }
        let driver = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(PROBE_INTERVAL).await;
                if driver.ping().await.is_ok() {
                    break;
                }
            }
            driver.0.probing.store(false, Ordering::Release);
            driver.0.up.store(true, Ordering::Release);
            tracing::info!(redis = %driver.0.url, "Redis reachable again: cross-node delivery resumed");
            record_up(true);
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

/// Records whether Redis answers in the `gateway_redis_up` gauge (feature `metrics`).
fn record_up(up: bool) {
    #[cfg(feature = "metrics")]
    metrics::gauge!("gateway_redis_up").set(if up { 1.0 } else { 0.0 });
    #[cfg(not(feature = "metrics"))]
    let _ = up;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_resp3() {
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
    }
}

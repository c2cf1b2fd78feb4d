//! [`ClusterState`]: what every namespace's [`ClusterAdapter`](super::ClusterAdapter) is
//! built from, chosen once at startup.

use std::time::Duration;

use socketioxide_redis::{RedisAdapterConfig, RedisAdapterCtr};

use super::driver::ResilientDriver;

/// How long a cross-node request (`fetch_sockets`, `rooms`) waits for the other nodes.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

/// What [`ClusterAdapter`](super::ClusterAdapter)s are built from: nothing (in memory) or a
/// Redis connection.
pub struct ClusterState(pub(super) Option<RedisAdapterCtr<ResilientDriver>>);

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

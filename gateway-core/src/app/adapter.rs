//! Where the app's namespaces keep their sockets and rooms: in memory, or Redis for
//! several nodes (feature `redis`; book/src/scaling-and-deployment.md).

use crate::app::config::AdapterConfig;
use crate::app::error::StartupError;

/// Builds the adapter's state: in memory, or connected to Redis.
#[cfg(feature = "redis")]
pub(crate) async fn adapter_state(
    adapter: &AdapterConfig,
) -> Result<crate::cluster::ClusterState, StartupError> {
    use crate::cluster::ClusterState;
    match adapter.redis_url() {
        None => Ok(ClusterState::memory()),
        Some(url) => {
            let state = ClusterState::redis(&url)
                .await
                .map_err(|reason| StartupError::Redis {
                    url: crate::cluster::redact(&url),
                    reason,
                })?;
            tracing::info!(redis = %crate::cluster::redact(&url), "cluster adapter: Redis");
            Ok(state)
        }
    }
}

/// Without the `redis` feature, only checks that no Redis URL was asked for.
#[cfg(not(feature = "redis"))]
pub(crate) fn adapter_state(adapter: &AdapterConfig) -> Result<(), StartupError> {
    match adapter.redis_url() {
        None => Ok(()),
        Some(url) => Err(StartupError::RedisNotEnabled {
            url: redact_password(&url),
        }),
    }
}

#[cfg(not(feature = "redis"))]
fn redact_password(url: &str) -> String {
    match url.split_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(feature = "redis")]
pub(crate) fn redis_url_shown(adapter: &AdapterConfig) -> String {
    adapter.redis_url().map_or_else(
        || "(in memory)".to_owned(),
        |url| crate::cluster::redact(&url),
    )
}

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
                    url: crate::cluster::redact_password(&url),
                    reason,
                })?;
            tracing::info!(redis = %crate::cluster::redact_password(&url), "cluster adapter: Redis");
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
            url: crate::cluster::redact_password(&url),
        }),
    }
}

/// The Redis URL the app was given, its password hidden, for errors.
#[cfg(feature = "redis")]
pub(crate) fn redis_url_shown(adapter: &AdapterConfig) -> String {
    adapter.redis_url().map_or_else(
        || "(in memory)".to_owned(),
        |url| crate::cluster::redact_password(&url),
    )
}

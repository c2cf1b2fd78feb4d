//! [`StartupError`]: why an app could not start.

use crate::app::config::REDIS_URL_ENV;
use crate::location::Location;
use crate::providers::MissingProvider;
use crate::registry;

/// Why an app could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartupError {
    /// No gateway was found.
    #[error("{}", registry::EMPTY_REGISTRY_HELP)]
    EmptyRegistry,
    /// Two handlers claim the same (namespace, event).
    #[error("duplicate event handlers:\n  {}", .0.join("\n  "))]
    DuplicateEvents(Vec<String>),
    /// A namespace path cannot be served: a dynamic namespace's pattern is malformed, or
    /// socketioxide's router refuses it beside the others.
    #[error("namespace `{path}`: {reason}")]
    Namespace {
        /// The path (pattern) as written in `#[gateway(namespace = ...)]`.
        path: &'static str,
        /// What is wrong, with the gateway's location.
        reason: String,
    },
    /// The Admin UI cannot be served: its password is not a bcrypt hash, or its namespace
    /// is taken or malformed.
    #[error("admin UI: {0}")]
    AdminUi(String),
    /// A gateway's field has no provider.
    #[error("gateway `{gateway}` ({location}) cannot be built: {source}")]
    MissingProvider {
        /// The gateway type.
        gateway: &'static str,
        /// Its `#[gateway]` impl block.
        location: Location,
        /// The missing type.
        source: MissingProvider,
    },
    /// A provider registered with `GatewayApp::provide_with` could not be built.
    #[error("provider `{provider}` cannot be built: {source}")]
    Provider {
        /// The provider's type.
        provider: &'static str,
        /// The missing type.
        source: MissingProvider,
    },
    /// A gateway is neither `Injectable` nor `Default`, and no instance was handed in.
    #[error(
        "gateway `{gateway}` ({location}) has no instance: derive `Injectable` (fields from providers) or `Default` on it, or hand one in with `GatewayApp::gateway(...)`"
    )]
    NoInstance {
        /// The gateway type.
        gateway: &'static str,
        /// Its `#[gateway]` impl block.
        location: Location,
    },
    /// An `#[on_init]` hook could not get its parameters.
    #[error("`#[on_init]` of gateway `{gateway}` failed: {error}")]
    Init {
        /// The gateway type.
        gateway: &'static str,
        /// What failed.
        error: crate::WsError,
    },
    /// The listener could not be bound.
    #[error("cannot listen: {0}")]
    Bind(#[from] std::io::Error),
    /// Redis did not answer at startup, or refused a namespace's subscriptions.
    #[error(
        "cannot use Redis at {url}: {reason}. Check that Redis (>= 7) runs there and that the URL (GatewayApp::redis or {REDIS_URL_ENV}) is right"
    )]
    Redis {
        /// The URL, its password hidden.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The Prometheus exporter could not be installed, or metrics were asked for without
    /// the `metrics` feature.
    #[error("metrics: {0}")]
    Metrics(String),
    /// A setting from the environment or the config file does not parse: the message
    /// names the variable (or the file's key) and what it accepts.
    #[error("configuration: {0}")]
    Config(String),
    /// A Redis URL was given to a build without the `redis` feature.
    #[error(
        "a Redis URL was given ({url}) but socketioxide-gateway was built without its `redis` feature: enable it (socketioxide-gateway = {{ features = [\"redis\"] }}), or unset {REDIS_URL_ENV}"
    )]
    RedisNotEnabled {
        /// The URL, its password hidden.
        url: String,
    },
}

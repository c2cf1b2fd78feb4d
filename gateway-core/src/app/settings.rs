//! The builder methods of [`GatewayApp`] that set one field of its [`GatewayConfig`]
//! each (or use [`GatewayApp::config`] to replace them all).

use std::time::Duration;

use crate::ack::AckMode;
use crate::app::GatewayApp;
use crate::app::config::AdapterConfig;

impl GatewayApp {
    /// The Socket.IO path (default `/socket.io`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.config.path = path.into();
        self
    }

    /// Engine.IO ping interval.
    pub fn ping_interval(mut self, interval: Duration) -> Self {
        self.config.ping_interval = interval;
        self
    }

    /// Engine.IO ping timeout.
    pub fn ping_timeout(mut self, timeout: Duration) -> Self {
        self.config.ping_timeout = timeout;
        self
    }

    /// Largest accepted message in bytes.
    pub fn max_payload(mut self, bytes: u64) -> Self {
        self.config.max_payload = bytes;
        self
    }

    /// Ack shape for gateways that do not set `ack = "..."` themselves.
    pub fn ack_mode(mut self, mode: AckMode) -> Self {
        self.config.ack_mode = mode;
        self
    }

    /// How long a client may take to join a namespace after connecting.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// How long a server-to-client `emit_with_ack` waits for the client's answer.
    pub fn ack_timeout(mut self, timeout: Duration) -> Self {
        self.config.ack_timeout = timeout;
        self
    }

    /// See [`GatewayConfig::max_ordered_backlog`].
    pub fn max_ordered_backlog(mut self, events: usize) -> Self {
        self.config.max_ordered_backlog = events;
        self
    }

    /// See [`GatewayConfig::allowed_origins`]: only these browser origins may connect.
    pub fn allowed_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.config.allowed_origins = Some(origins.into_iter().map(Into::into).collect());
        self
    }
    /// See [`GatewayConfig::report_exceptions`].
    pub fn report_exceptions(mut self, enabled: bool) -> Self {
        self.config.report_exceptions = enabled;
        self
    }

    /// Uses Redis (>= 7) at `url` (`redis://127.0.0.1:6379`) so that several nodes share
    /// rooms, broadcasts and socket queries. Needs the `redis` feature. Without this call,
    /// the `GATEWAY_REDIS_URL` environment variable is read at startup.
    pub fn redis(mut self, url: impl Into<String>) -> Self {
        self.config.adapter = AdapterConfig::Redis(url.into());
        self
    }

    /// Keeps namespaces in memory (one process), ignoring `GATEWAY_REDIS_URL`.
    pub fn in_memory(mut self) -> Self {
        self.config.adapter = AdapterConfig::Memory;
        self
    }

    /// Serves Prometheus metrics at `path` (usually `"/metrics"`): events per (namespace,
    /// event, outcome), acks per error code, handler latency, connected sockets, rooms and
    /// the largest rooms' sizes (see [`metrics`](crate::metrics) for the list). Installs the
    /// Prometheus exporter as the process's `metrics` recorder, so your own
    /// `metrics::counter!` calls are served too.
    #[cfg(feature = "metrics")]
    pub fn metrics(mut self, path: impl Into<String>) -> Self {
        self.config.metrics_path = Some(path.into());
        self
    }

    /// How long events already being handled may take to finish on shutdown (10 s).
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.config.shutdown_timeout = timeout;
        self
    }
}

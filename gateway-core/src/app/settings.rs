//! The builder methods of [`GatewayApp`] that set one field of its [`GatewayConfig`]
//! each (or use [`GatewayApp::config`] to replace them all).

use std::time::Duration;

use crate::ack::AckMode;
use crate::app::GatewayApp;
#[cfg(doc)]
use crate::app::config::GatewayConfig;
use crate::app::config::{AdapterConfig, Parser, Transports};

/// `fn name(mut self, value: T) -> Self` setting `self.config.name`, once per setting.
macro_rules! setters {
    ($($(#[$attr:meta])* $name:ident: $ty:ty;)*) => {
        impl GatewayApp {
            $(
                $(#[$attr])*
                pub fn $name(mut self, value: $ty) -> Self {
                    self.config.$name = value;
                    self
                }
            )*
        }
    };
}

setters! {
    /// Engine.IO ping interval (25 s).
    ping_interval: Duration;
    /// Engine.IO ping timeout (20 s).
    ping_timeout: Duration;
    /// Largest accepted message in bytes (1 MB).
    max_payload: u64;
    /// Ack shape for gateways that do not set `ack = "..."` themselves.
    ack_mode: AckMode;
    /// How long a client may take to join a namespace after connecting (45 s).
    connect_timeout: Duration;
    /// How long a server-to-client `emit_with_ack` waits for the client's answer (5 s).
    ack_timeout: Duration;
    /// See [`GatewayConfig::max_ordered_backlog`].
    max_ordered_backlog: usize;
    /// See [`GatewayConfig::report_exceptions`].
    report_exceptions: bool;
    /// How long events already being handled may take to finish on shutdown (10 s).
    shutdown_timeout: Duration;
    /// The transports clients may use: [`Transports::Both`] (the default),
    /// [`Transports::WebSocket`] or [`Transports::Polling`].
    transports: Transports;
    /// The wire format: [`Parser::Json`] (the default) or [`Parser::MsgPack`] (feature
    /// `msgpack`); every client must use the same.
    parser: Parser;
    /// See [`GatewayConfig::http_compression`]: gzip, brotli or deflate for long-polling
    /// responses of 1 KB and more.
    http_compression: bool;
}

impl GatewayApp {
    /// The Socket.IO path (default `/socket.io`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.config.path = path.into();
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

    /// Serves the official Socket.IO Admin UI's namespace (feature `admin-ui`): the hosted
    /// dashboard at <https://admin.socket.io> or `@socket.io/admin-ui`'s own build connects
    /// to it and shows every socket, room and event of the app (see
    /// [`AdminUi`](crate::admin_ui::AdminUi) and the book's "Admin UI" chapter).
    #[cfg(feature = "admin-ui")]
    pub fn admin_ui(mut self, admin_ui: crate::admin_ui::AdminUi) -> Self {
        self.admin_ui = Some(admin_ui);
        self
    }
}

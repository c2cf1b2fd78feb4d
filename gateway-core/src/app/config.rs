//! [`GatewayConfig`]: the server's settings, with defaults that follow the socket.io
//! ecosystem, and [`AdapterConfig`]: where namespaces keep their sockets and rooms.

use std::time::Duration;

use crate::ack::AckMode;

/// Server settings. The defaults follow the socket.io ecosystem (1 MB payloads, 25 s ping
/// interval, 20 s ping timeout), not socketioxide's 100 KB payload cap.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GatewayConfig {
    /// The Socket.IO path (`/socket.io`).
    pub path: String,
    /// Engine.IO ping interval (25 s).
    pub ping_interval: Duration,
    /// Engine.IO ping timeout (20 s).
    pub ping_timeout: Duration,
    /// Largest accepted message, in bytes, for both transports (1 MB). A client that sends
    /// more loses its connection; the server and other clients are unaffected.
    pub max_payload: u64,
    /// Ack shape for gateways that do not choose one (envelope).
    pub ack_mode: AckMode,
    /// How long a server-to-client `emit_with_ack` waits (5 s).
    pub ack_timeout: Duration,
    /// How long a client may take to join a namespace after connecting (45 s).
    pub connect_timeout: Duration,
    /// Packets buffered per socket before emits to it fail (128).
    pub max_buffer_size: usize,
    /// Initial read buffer of each WebSocket connection, in bytes (256; socketioxide's
    /// default is 4096). It grows for larger messages, up to `max_payload`. Chosen by
    /// `bench/read-buffer.sh`: 256, 512 and 1024 give the same acks/s, p99 and CPU per
    /// ack, and 256 saves about 0.7 KB per idle connection over 1024
    /// (book/src/performance.md, "Memory per connection").
    pub ws_read_buffer_size: usize,
    /// In envelope mode, report failures of events sent without an ack to the sender as an
    /// `exception` event (`{"event", "error"}`). Off by default; failures are always logged.
    pub report_exceptions: bool,
    /// Most binary attachments one packet may carry (32). More closes the sender's
    /// connection.
    pub max_binary_attachments: usize,
    /// Most bytes of binary attachments one packet may carry, all attachments together
    /// (1 MB). More closes the sender's connection.
    pub max_binary_size: usize,
    /// How long a packet's binary attachments may take to arrive (10 s). socketioxide checks
    /// it when an attachment arrives: a late one closes the sender's connection, while a
    /// client that never sends the attachments it announced keeps its connection (and at
    /// most `max_binary_size` buffered bytes) until it leaves or misses a ping.
    pub binary_completion_timeout: Duration,
    /// Browser origins allowed to connect (`"https://app.example.com"`). `None` (the
    /// default) allows any origin. With a list, a handshake whose `Origin` header is not in
    /// it is refused with 403, and CORS headers are sent for the listed origins only. The
    /// server's own origin (the request's `Host`) is always allowed. Clients that send no
    /// `Origin` (servers, native apps) are not affected.
    pub allowed_origins: Option<Vec<String>>,
    /// Most `#[ordered]` events one socket may have waiting behind the one running (1024).
    /// Beyond it, an event is answered `rate_limited` at once instead of queued, so a
    /// client that sends faster than its handler runs cannot grow the server's memory.
    pub max_ordered_backlog: usize,
    /// Where namespaces keep their sockets and rooms: in memory, or Redis for several
    /// nodes (default: Redis when `GATEWAY_REDIS_URL` is set, otherwise in memory).
    pub adapter: AdapterConfig,
    /// On shutdown, how long events already being handled may take to finish before the
    /// sockets are disconnected anyway (10 s).
    pub shutdown_timeout: Duration,
    /// Where Prometheus metrics are served (`None`: not served). Needs the `metrics`
    /// feature; see [`GatewayApp::metrics`](crate::GatewayApp::metrics).
    pub metrics_path: Option<String>,
    /// The Engine.IO transports clients may use (both). A client asking for another gets
    /// Engine.IO's error: HTTP 400, `{"code":"3","message":"Bad request"}`.
    pub transports: Transports,
    /// How packets are encoded on the wire: JSON (the default) or msgpack (feature
    /// `msgpack`). Every client of the server must use the same one.
    pub parser: Parser,
    /// Compress long-polling responses of 1 KB and more with gzip, brotli or deflate, as
    /// the client's `Accept-Encoding` allows (off). WebSocket frames are not compressed.
    pub http_compression: bool,
}

/// The Socket.IO parser: how packets are encoded (`GatewayApp::parser`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Parser {
    /// socket.io's default: JSON text, binary attachments in frames of their own.
    #[default]
    Json,
    /// msgpack (`socket.io-msgpack-parser` on the JavaScript side, `serializer="msgpack"`
    /// in python-socketio): binary inline, smaller numbers. Needs the `msgpack` feature.
    MsgPack,
}

/// The Engine.IO transports a server accepts (`GatewayApp::transports`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transports {
    /// HTTP long-polling and WebSocket, with upgrades from one to the other (the default,
    /// as in socket.io).
    #[default]
    Both,
    /// WebSocket only: clients must connect with `transports: ["websocket"]`.
    WebSocket,
    /// HTTP long-polling only: no upgrade to WebSocket.
    Polling,
}

/// Where namespaces keep their sockets and rooms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AdapterConfig {
    /// Redis at the URL in the `GATEWAY_REDIS_URL` environment variable when it is set and
    /// not empty, otherwise in memory.
    #[default]
    FromEnv,
    /// In memory: this process only, whatever the environment says.
    Memory,
    /// Redis (>= 7) at this URL (`redis://host:6379/0`): broadcasts, rooms and socket
    /// queries span every node that uses the same Redis. Needs the `redis` feature.
    Redis(String),
}

/// The environment variable [`AdapterConfig::FromEnv`] reads.
pub const REDIS_URL_ENV: &str = "GATEWAY_REDIS_URL";

impl AdapterConfig {
    /// The Redis URL this choice resolves to, if any.
    pub(crate) fn redis_url(&self) -> Option<String> {
        match self {
            AdapterConfig::FromEnv => std::env::var(REDIS_URL_ENV)
                .ok()
                .filter(|url| !url.trim().is_empty()),
            AdapterConfig::Memory => None,
            AdapterConfig::Redis(url) => Some(url.clone()),
        }
    }
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            path: "/socket.io".to_owned(),
            ping_interval: Duration::from_secs(25),
            ping_timeout: Duration::from_secs(20),
            max_payload: 1_000_000,
            ack_mode: AckMode::Envelope,
            ack_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(45),
            max_buffer_size: 128,
            ws_read_buffer_size: 256,
            report_exceptions: false,
            max_binary_attachments: 32,
            max_binary_size: 1_000_000,
            binary_completion_timeout: Duration::from_secs(10),
            allowed_origins: None,
            max_ordered_backlog: 1024,
            adapter: AdapterConfig::FromEnv,
            shutdown_timeout: Duration::from_secs(10),
            metrics_path: None,
            transports: Transports::Both,
            parser: Parser::Json,
            http_compression: false,
        }
    }
}

//! [`GatewayApp`]: collects the gateways, builds them from providers, wires them into a
//! socketioxide server, and serves it (or hands you a layer for your own axum `Router`).

use std::any::{Any, TypeId};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::serve::ListenerExt;
use socketioxide::ParserConfig;
use socketioxide::layer::SocketIoLayer;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::SocketIo;
use crate::ack::AckMode;
#[cfg(feature = "contracts")]
use crate::contract::{ContractBuilder, ContractInfo, Contracts};
use crate::dispatch::{AppContext, NamespaceBuilder, OnConnect};
use crate::drain::Drain;
use crate::gateway::{BuildOutcome, DefaultAdapter, GatewayDescriptor, GatewayType, Location};
use crate::intercept::{Interceptor, InterceptorRef};
use crate::providers::{MissingProvider, Providers};
use crate::registry;

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
    /// Initial read buffer of each WebSocket connection, in bytes (1024; socketioxide's
    /// default is 4096). It grows for larger messages, up to `max_payload`; a small one
    /// saves about 3 KB per idle connection (measured by `bench/run.sh`).
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
    /// it is refused with 403, and CORS headers are sent for the listed origins only.
    /// Clients that send no `Origin` (servers, native apps) are not affected.
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
    /// feature; see [`GatewayApp::metrics`].
    pub metrics_path: Option<String>,
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
    fn redis_url(&self) -> Option<String> {
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
            ws_read_buffer_size: 1024,
            report_exceptions: false,
            max_binary_attachments: 32,
            max_binary_size: 1_000_000,
            binary_completion_timeout: Duration::from_secs(10),
            allowed_origins: None,
            max_ordered_backlog: 1024,
            adapter: AdapterConfig::FromEnv,
            shutdown_timeout: Duration::from_secs(10),
            metrics_path: None,
        }
    }
}

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
    /// A Redis URL was given to a build without the `redis` feature.
    #[error(
        "a Redis URL was given ({url}) but gateway-core was built without its `redis` feature: enable it (gateway-core = {{ features = [\"redis\"] }}), or unset {REDIS_URL_ENV}"
    )]
    RedisNotEnabled {
        /// The URL, its password hidden.
        url: String,
    },
}

type RoutesFn = Box<dyn FnOnce(SocketIo) -> Router + Send>;

/// The application: gateways, providers and settings, turned into a running server.
///
/// ```no_run
/// use gateway_core::prelude::*;
///
/// # async fn run() -> Result<(), BoxError> {
/// GatewayApp::new()
///     .provide(std::sync::Arc::new(String::from("a dependency")))
///     .serve("127.0.0.1:3000")
///     .await
/// # }
/// ```
#[must_use]
pub struct GatewayApp {
    config: GatewayConfig,
    providers: Providers,
    from_inventory: bool,
    linked: Vec<&'static GatewayDescriptor>,
    instances: Vec<(TypeId, Arc<dyn Any + Send + Sync>)>,
    routes: Option<RoutesFn>,
    interceptors: Vec<InterceptorRef>,
    #[cfg(feature = "contracts")]
    contract_info: Option<ContractInfo>,
}

impl Default for GatewayApp {
    fn default() -> Self {
        Self::new()
    }
}

impl GatewayApp {
    /// An app serving every gateway linked into the binary.
    pub fn new() -> Self {
        Self {
            config: GatewayConfig::default(),
            providers: Providers::default(),
            from_inventory: true,
            linked: Vec::new(),
            instances: Vec::new(),
            routes: None,
            interceptors: Vec::new(),
            #[cfg(feature = "contracts")]
            contract_info: None,
        }
    }

    /// An app serving only the gateways named with [`link`](Self::link) or
    /// [`gateway`](Self::gateway), ignoring the rest of the registry. Handy in tests.
    pub fn explicit() -> Self {
        Self {
            from_inventory: false,
            ..Self::new()
        }
    }

    /// Registers a dependency by type. Gateways deriving `Injectable` get their fields from
    /// here, and handlers can take `Inject<T>`. Share state with `Arc`.
    pub fn provide<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Self {
        self.providers.insert(value);
        self
    }

    /// Serves gateway `G`, naming it explicitly. This also makes the linker keep the crate
    /// that defines it, the fix for gateways living in a library crate.
    pub fn link<G: GatewayType>(mut self) -> Self {
        self.linked.push(const { &G::DESCRIPTOR });
        self
    }

    /// Title, version and server of the exported contracts (see [`contracts`](Self::contracts)).
    #[cfg(feature = "contracts")]
    pub fn contract_info(mut self, info: ContractInfo) -> Self {
        self.contract_info = Some(info);
        self
    }

    /// The contracts of every gateway this app would serve: namespaces, client events with
    /// their payloads and acks, and the server events gateways declare with `emits(...)`.
    /// Render them with [`Contracts::typescript`] and [`Contracts::asyncapi`], or write both
    /// with [`Contracts::write_to`]. Deterministic: everything is sorted.
    #[cfg(feature = "contracts")]
    pub fn contracts(&self) -> Contracts {
        let mut builder = ContractBuilder::new();
        for descriptor in registry::collect(self.from_inventory, &self.linked) {
            builder.begin_gateway(
                descriptor.namespace,
                descriptor.type_name,
                descriptor.ack_mode.unwrap_or(self.config.ack_mode),
            );
            (descriptor.contract)(&mut builder);
        }
        let mut info = self.contract_info.clone().unwrap_or_default();
        if self.contract_info.is_none() {
            info.path.clone_from(&self.config.path);
        }
        builder.finish(info)
    }

    /// Serves this instance of gateway `G` instead of building one from providers.
    pub fn gateway<G: GatewayType>(mut self, gateway: G) -> Self {
        self.linked.push(const { &G::DESCRIPTOR });
        self.instances.push((TypeId::of::<G>(), Arc::new(gateway)));
        self
    }

    /// Replaces all settings.
    pub fn config(mut self, config: GatewayConfig) -> Self {
        self.config = config;
        self
    }

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

    /// Wraps every event of every gateway (before gateway-level `#[intercept]`s).
    pub fn intercept<I: Interceptor>(mut self, interceptor: I) -> Self {
        self.interceptors.push(InterceptorRef::new(interceptor));
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

    /// HTTP routes served next to Socket.IO. The closure gets the `SocketIo` handle so
    /// routes can emit to namespaces and rooms.
    pub fn routes(mut self, routes: impl FnOnce(SocketIo) -> Router + Send + 'static) -> Self {
        self.routes = Some(Box::new(routes));
        self
    }

    /// Builds everything without serving: a tower layer to put on your own axum `Router`,
    /// and the `SocketIo` handle. Runs the `#[on_init]` hooks.
    pub async fn build(self) -> Result<Gateways, StartupError> {
        let GatewayApp {
            config,
            mut providers,
            from_inventory,
            linked,
            instances,
            routes,
            interceptors,
            #[cfg(feature = "contracts")]
                contract_info: _,
        } = self;
        #[cfg(feature = "metrics")]
        let (metrics, interceptors) = match &config.metrics_path {
            None => (None, interceptors),
            Some(path) => {
                let handle =
                    crate::metrics::MetricsRoute::install().map_err(StartupError::Metrics)?;
                let mut interceptors = interceptors;
                interceptors.insert(0, InterceptorRef::new(crate::metrics::EventMetrics));
                (Some((path.clone(), handle)), interceptors)
            }
        };
        #[cfg(not(feature = "metrics"))]
        if let Some(path) = &config.metrics_path {
            return Err(StartupError::Metrics(format!(
                "metrics at `{path}` need gateway-core's `metrics` feature"
            )));
        }
        let descriptors = registry::collect(from_inventory, &linked);
        if descriptors.is_empty() {
            return Err(StartupError::EmptyRegistry);
        }

        #[cfg(feature = "redis")]
        let adapter = adapter_state(&config.adapter).await?;
        #[cfg(not(feature = "redis"))]
        adapter_state(&config.adapter)?;
        let builder = socketioxide::SocketIo::builder()
            .req_path(config.path.clone())
            .ping_interval(config.ping_interval)
            .ping_timeout(config.ping_timeout)
            .max_payload(config.max_payload)
            .ws_max_message_size(usize::try_from(config.max_payload).unwrap_or(usize::MAX))
            .ws_max_frame_size(usize::try_from(config.max_payload).unwrap_or(usize::MAX))
            .ack_timeout(config.ack_timeout)
            .connect_timeout(config.connect_timeout)
            .max_buffer_size(config.max_buffer_size)
            .ws_read_buffer_size(config.ws_read_buffer_size)
            .with_parser(
                ParserConfig::common()
                    .max_incoming_binaries(config.max_binary_attachments)
                    .max_incoming_binary_buf_size(config.max_binary_size)
                    .packet_completion_timeout(config.binary_completion_timeout),
            );
        #[cfg(feature = "redis")]
        let builder = builder.with_adapter::<DefaultAdapter>(adapter);
        let (layer, io) = builder.build_layer();
        providers.insert(io.clone());

        // Instances first: built from providers unless handed in.
        let mut built = Vec::with_capacity(descriptors.len());
        for descriptor in &descriptors {
            let type_id = (descriptor.type_id)();
            let instance = match instances.iter().find(|(id, _)| *id == type_id) {
                Some((_, instance)) => instance.clone(),
                None => match (descriptor.build)(&providers) {
                    BuildOutcome::Built(Ok(instance)) => instance,
                    BuildOutcome::Built(Err(source)) => {
                        return Err(StartupError::MissingProvider {
                            gateway: descriptor.type_name,
                            location: descriptor.location,
                            source,
                        });
                    }
                    BuildOutcome::NotBuildable => {
                        return Err(StartupError::NoInstance {
                            gateway: descriptor.type_name,
                            location: descriptor.location,
                        });
                    }
                },
            };
            built.push((*descriptor, instance));
        }

        let cx = Arc::new(AppContext {
            providers,
            report_exceptions: config.report_exceptions,
            interceptors: interceptors.into(),
            max_ordered_backlog: config.max_ordered_backlog,
            drain: Drain::default(),
        });
        let mut namespaces: BTreeMap<&'static str, NamespaceBuilder<DefaultAdapter>> =
            BTreeMap::new();
        let mut conflicts = Vec::new();
        for (descriptor, instance) in built {
            let ns = namespaces
                .entry(descriptor.namespace)
                .or_insert_with(|| NamespaceBuilder::new(descriptor.namespace, cx.clone()));
            ns.begin_gateway(
                descriptor.type_name,
                descriptor.ack_mode.unwrap_or(config.ack_mode),
            );
            (descriptor.register)(instance, ns);
            conflicts.extend(ns.take_conflicts());
        }
        if !conflicts.is_empty() {
            return Err(StartupError::DuplicateEvents(conflicts));
        }

        let mut inits = Vec::new();
        let mut summary = Vec::new();
        for (_, builder) in namespaces {
            let (ns, init) = builder.finish();
            let events = ns.event_names();
            tracing::info!(namespace = ns.path(), events = ?events, "namespace ready");
            summary.push(NamespaceSummary {
                path: ns.path(),
                events,
            });
            let path = ns.path();
            // With Redis, the namespace exists once its channels are subscribed.
            #[cfg(feature = "redis")]
            io.ns(path, OnConnect(Arc::new(ns)))
                .await
                .map_err(|err| StartupError::Redis {
                    url: redis_url_shown(&config.adapter),
                    reason: format!("namespace `{path}`: {err}"),
                })?;
            #[cfg(not(feature = "redis"))]
            io.ns(path, OnConnect(Arc::new(ns)));
            inits.extend(init);
        }
        for (gateway, init) in inits {
            let fut =
                init(&io, &cx.providers).map_err(|error| StartupError::Init { gateway, error })?;
            fut.await;
        }

        let router = routes.map(|routes| routes(io.clone()));
        let paths: Arc<[&'static str]> =
            summary.iter().map(|ns| ns.path).collect::<Vec<_>>().into();
        #[cfg(feature = "metrics")]
        let metrics = metrics.map(|(path, handle)| {
            crate::metrics::MetricsRoute::new(path, handle, io.clone(), paths.clone(), cx.clone())
        });
        let shutdown = Shutdown {
            cx,
            io: io.clone(),
            namespaces: paths,
            timeout: config.shutdown_timeout,
        };
        Ok(Gateways {
            layer,
            io,
            router,
            namespaces: summary,
            allowed_origins: config.allowed_origins.map(Arc::from),
            shutdown,
            #[cfg(feature = "metrics")]
            metrics,
        })
    }

    /// Builds the app into an axum `Router` (your [`routes`](Self::routes), if any, with the
    /// Socket.IO layer on top) and the `SocketIo` handle.
    pub async fn into_router(self) -> Result<(Router, SocketIo), StartupError> {
        let gateways = self.build().await?;
        let io = gateways.io.clone();
        Ok((gateways.into_router(), io))
    }

    /// Binds `addr` and serves in a background task; returns at once with a handle. Use
    /// `127.0.0.1:0` to get a free port (see [`Server::local_addr`]).
    pub async fn bind(self, addr: impl ToSocketAddrs) -> Result<Server, StartupError> {
        let gateways = self.build().await?;
        let io = gateways.io.clone();
        let shutdown = gateways.shutdown();
        let router = gateways.into_router();
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        // Acks are small writes answered by small writes: without TCP_NODELAY, Nagle's
        // algorithm and delayed ACKs stall them by tens of milliseconds (Node's socket.io
        // disables it too).
        let listener = listener.tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(%err, "could not set TCP_NODELAY");
            }
        });
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    // Stops accepting connections; a dropped sender also stops the server.
                    // Open ones (upgraded WebSockets are not covered by hyper's graceful
                    // shutdown) end when `Shutdown::run` closes the sockets.
                    let _ = stop_rx.await;
                })
                .await
        });
        tracing::info!(%local_addr, "listening");
        Ok(Server {
            local_addr,
            io,
            stop: Some(stop_tx),
            task,
            shutdown,
        })
    }

    /// Binds `addr` and serves until Ctrl-C or SIGTERM, then shuts down gracefully (see
    /// [`Server::shutdown`]) and returns `Ok`, so the process exits 0.
    ///
    /// Run with `--export-contracts DIR` (`cargo run -- --export-contracts contracts`), it
    /// writes `DIR/events.ts` and `DIR/asyncapi.yaml` (see [`contracts`](Self::contracts))
    /// and returns without serving; the AsyncAPI server is `addr` unless
    /// [`contract_info`](Self::contract_info) says otherwise. (With the `contracts` feature,
    /// on by default; without it the flag is not looked for.)
    pub async fn serve(self, addr: impl ToSocketAddrs) -> Result<(), crate::BoxError> {
        #[cfg(feature = "contracts")]
        if let Some(dir) = export_contracts_flag(std::env::args_os())? {
            return self.export_contracts(addr, &dir).await;
        }
        let server = match self.bind(addr).await {
            Ok(server) => server,
            Err(err) => {
                // `main` returning the error prints its Debug form; log the readable one.
                tracing::error!("cannot start: {err}");
                return Err(err.into());
            }
        };
        shutdown_signal().await;
        tracing::info!("shutdown signal received");
        server.shutdown().await?;
        tracing::info!("stopped");
        Ok(())
    }

    /// `serve`'s `--export-contracts DIR`: writes the contracts into `dir`, with `addr` as
    /// the AsyncAPI server unless [`contract_info`](Self::contract_info) set one.
    #[cfg(feature = "contracts")]
    async fn export_contracts(
        mut self,
        addr: impl ToSocketAddrs,
        dir: &std::path::Path,
    ) -> Result<(), crate::BoxError> {
        if self.contract_info.is_none() {
            let host = tokio::net::lookup_host(addr).await?.next();
            let mut info = ContractInfo::default();
            if let Some(host) = host {
                info.host = host.to_string();
            }
            self.contract_info = Some(info);
        }
        let contracts = self.contracts();
        contracts.write_to(dir)?;
        for untyped in contracts.untyped() {
            tracing::warn!("no JsonSchema, exported as `unknown`: {untyped}");
        }
        println!(
            "wrote {} and {}",
            dir.join("events.ts").display(),
            dir.join("asyncapi.yaml").display()
        );
        Ok(())
    }
}

/// `--export-contracts DIR` (or `--export-contracts=DIR`) among the program's arguments.
#[cfg(feature = "contracts")]
fn export_contracts_flag(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Result<Option<std::path::PathBuf>, crate::BoxError> {
    const FLAG: &str = "--export-contracts";
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        if arg == FLAG {
            return match args.next() {
                Some(dir) => Ok(Some(dir.into())),
                None => Err(format!("{FLAG} needs a directory: {FLAG} DIR").into()),
            };
        }
        if let Some(dir) = arg
            .to_str()
            .and_then(|a| a.strip_prefix("--export-contracts="))
        {
            return Ok(Some(dir.into()));
        }
    }
    Ok(None)
}

/// What [`GatewayApp::build`] produced.
#[must_use]
pub struct Gateways {
    layer: SocketIoLayer<DefaultAdapter>,
    /// The handle to emit from services and HTTP routes.
    pub io: SocketIo,
    router: Option<Router>,
    namespaces: Vec<NamespaceSummary>,
    allowed_origins: Option<Arc<[String]>>,
    shutdown: Shutdown,
    #[cfg(feature = "metrics")]
    metrics: Option<crate::metrics::MetricsRoute>,
}

impl Gateways {
    /// The graceful shutdown of these gateways, for apps that serve the router themselves:
    /// stop your listener, then `shutdown.run().await`.
    pub fn shutdown(&self) -> Shutdown {
        self.shutdown.clone()
    }

    /// The routes given to [`GatewayApp::routes`] (or an empty router), with Socket.IO on.
    pub fn into_router(self) -> Router {
        let router = self.router.clone().unwrap_or_default();
        self.mount(router)
    }

    /// Puts Socket.IO (and the origin check, when origins are restricted) on your own
    /// axum `Router`, next to its HTTP routes.
    pub fn mount(self, router: Router) -> Router {
        #[cfg(feature = "metrics")]
        let router = match self.metrics {
            Some(metrics) => metrics.mount(router),
            None => router,
        };
        let router = router.layer(self.layer);
        match self.allowed_origins {
            None => router,
            Some(origins) => {
                let cors = CorsLayer::new()
                    .allow_origin(AllowOrigin::list(
                        origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()),
                    ))
                    .allow_credentials(true)
                    .allow_methods([Method::GET, Method::POST])
                    .allow_headers([header::CONTENT_TYPE]);
                router
                    .layer(cors)
                    .layer(axum::middleware::from_fn(move |req, next| {
                        check_origin(origins.clone(), req, next)
                    }))
            }
        }
    }

    /// The namespaces served and their events, sorted.
    pub fn namespaces(&self) -> &[NamespaceSummary] {
        &self.namespaces
    }
}

/// One namespace of a built app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceSummary {
    /// The namespace path.
    pub path: &'static str,
    /// Its events, sorted.
    pub events: Vec<&'static str>,
}

/// A server started with [`GatewayApp::bind`].
#[derive(Debug)]
pub struct Server {
    local_addr: SocketAddr,
    io: SocketIo,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    shutdown: Shutdown,
}

impl Server {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The `SocketIo` handle.
    pub fn io(&self) -> &SocketIo {
        &self.io
    }

    /// Shuts down gracefully and returns when the server has stopped: stops accepting
    /// connections, answers new events `unavailable`, waits (up to the
    /// [`shutdown_timeout`](GatewayApp::shutdown_timeout)) for the events being handled to
    /// send their acks, sends every socket a server disconnect, and closes.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.shutdown.run().await;
        match (&mut self.task).await {
            Ok(result) => result,
            Err(join) => Err(std::io::Error::other(join)),
        }
    }
}

/// The graceful shutdown of an app's gateways (see [`Server::shutdown`]). Cheap to clone.
#[derive(Clone)]
pub struct Shutdown {
    cx: Arc<AppContext>,
    io: SocketIo,
    namespaces: Arc<[&'static str]>,
    timeout: Duration,
}

impl std::fmt::Debug for Shutdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shutdown")
            .field("namespaces", &self.namespaces)
            .field("timeout", &self.timeout)
            .field("in_flight", &self.cx.drain.in_flight())
            .finish()
    }
}

impl Shutdown {
    /// Refuses new events and sockets, waits for the events in flight (bounded), then
    /// disconnects every socket of this node (clients see `io server disconnect`) and
    /// closes the server. Calling it again does nothing more.
    pub async fn run(&self) {
        self.cx.drain.begin();
        let in_flight = self.cx.drain.in_flight();
        if in_flight > 0 {
            tracing::info!(in_flight, timeout = ?self.timeout, "waiting for events in flight");
        }
        let left = self.cx.drain.wait_idle(self.timeout).await;
        if left > 0 {
            tracing::warn!(
                left,
                "shutdown timeout: disconnecting with events still running"
            );
        }
        let mut disconnected = 0;
        for path in self.namespaces.iter() {
            // This node's sockets only: with Redis, `disconnect()` on the operators would
            // reach every node.
            let sockets = self
                .io
                .of(*path)
                .map(|ns| ns.local().sockets())
                .unwrap_or_default();
            for socket in sockets {
                disconnected += 1;
                if let Err(err) = socket.disconnect() {
                    tracing::debug!(namespace = path, %err, "disconnect on shutdown");
                }
            }
        }
        if disconnected > 0 {
            // socketioxide queues each DISCONNECT packet on its connection and offers no way
            // to wait for the write; give the writers a moment before the process ends and
            // the connections are reset. (Official clients close their connection as soon
            // as they read it.)
            tokio::time::sleep(DISCONNECT_FLUSH).await;
        }
        self.io.close().await;
    }
}

/// How long shutdown waits for the DISCONNECT packets to be written.
const DISCONNECT_FLUSH: Duration = Duration::from_millis(250);

/// Builds the adapter's state: in memory, or connected to Redis.
#[cfg(feature = "redis")]
async fn adapter_state(
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
fn adapter_state(adapter: &AdapterConfig) -> Result<(), StartupError> {
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
fn redis_url_shown(adapter: &AdapterConfig) -> String {
    adapter.redis_url().map_or_else(
        || "(in memory)".to_owned(),
        |url| crate::cluster::redact(&url),
    )
}

/// Refuses requests from a browser origin outside the allowlist. Browsers do not apply
/// CORS to WebSocket handshakes, so the server must check `Origin` itself.
async fn check_origin(
    allowed: Arc<[String]>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match req.headers().get(header::ORIGIN).map(HeaderValue::to_str) {
        None => next.run(req).await,
        Some(Ok(origin)) if allowed.iter().any(|a| a == origin) => next.run(req).await,
        Some(origin) => {
            tracing::debug!(?origin, "refused a request from a disallowed origin");
            (StatusCode::FORBIDDEN, "origin not allowed").into_response()
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(all(test, feature = "contracts"))]
mod tests {
    use super::export_contracts_flag;

    fn flag(args: &[&str]) -> Option<String> {
        let args = std::iter::once("app")
            .chain(args.iter().copied())
            .map(Into::into);
        export_contracts_flag(args)
            .expect("valid")
            .map(|dir| dir.display().to_string())
    }

    #[test]
    fn the_export_flag_takes_a_directory() {
        assert_eq!(flag(&[]), None);
        assert_eq!(flag(&["--export-contracts", "out"]), Some("out".to_owned()));
        assert_eq!(
            flag(&["-v", "--export-contracts=out/x"]),
            Some("out/x".to_owned())
        );
        let missing = std::iter::once("app")
            .chain(["--export-contracts"])
            .map(Into::into);
        assert!(export_contracts_flag(missing).is_err());
    }
}

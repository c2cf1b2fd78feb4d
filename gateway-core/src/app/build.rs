//! [`GatewayApp::build`]: from the registry's descriptors to a running socketioxide server,
//! in order: the metrics recorder, the descriptors, the adapter, the server, the gateway
//! instances, their namespaces' tables, the namespaces on the server, the `#[on_init]`
//! hooks, the routes.

use std::any::{Any, TypeId};
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::sync::Arc;

use socketioxide::ParserConfig;
use socketioxide::{SocketIoBuilder, TransportType};

use crate::SocketIo;
use crate::adapter::DefaultAdapter;
use crate::app::GatewayApp;
use crate::app::adapter::adapter_state;
use crate::app::built::{BuiltApp, NamespaceSummary};
use crate::app::config::{GatewayConfig, Parser, Transports};
use crate::app::error::StartupError;
use crate::app::shutdown::Shutdown;
use crate::app::sources;
use crate::gateway::{BuildOutcome, GatewayDescriptor};
use crate::providers::Providers;
use crate::registry;
use crate::runtime::drain::Drain;
use crate::runtime::pattern::NsPattern;
#[cfg(feature = "metrics")]
use crate::runtime::pattern::ServedNamespace;
use crate::runtime::socket::OnConnect;
use crate::runtime::table::{InitFn, Namespace};
use crate::runtime::{AppContext, NamespaceBuilder};
#[cfg(feature = "admin-ui")]
use crate::watched_adapter::WatchedState;

/// A gateway's descriptor with its instance.
type Instance = (&'static GatewayDescriptor, Arc<dyn Any + Send + Sync>);

impl GatewayApp {
    /// Builds everything without serving: the Socket.IO layer, its handle, your routes and
    /// the shutdown (see [`BuiltApp`]). Runs the `#[on_init]` hooks.
    pub async fn build(self) -> Result<BuiltApp, StartupError> {
        let GatewayApp {
            config,
            mut providers,
            built_providers,
            socket_providers,
            from_inventory,
            linked,
            instances,
            routes,
            interceptors,
            #[cfg(feature = "contracts")]
                contract_info: _,
            #[cfg(feature = "admin-ui")]
            admin_ui,
        } = self;
        // The environment and the config file override what the code set.
        let config = sources::apply(config).map_err(StartupError::Config)?;
        #[cfg(feature = "metrics")]
        let (metrics, interceptors) = match &config.metrics_path {
            None => (None, interceptors),
            Some(path) => {
                let handle =
                    crate::metrics::MetricsRoute::install().map_err(StartupError::Metrics)?;
                let mut interceptors = interceptors;
                interceptors.insert(
                    0,
                    crate::intercept::InterceptorRef::new(crate::metrics::EventMetrics),
                );
                (Some((path.clone(), handle)), interceptors)
            }
        };
        #[cfg(not(feature = "metrics"))]
        if let Some(path) = &config.metrics_path {
            return Err(StartupError::Metrics(format!(
                "metrics at `{path}` need socketioxide-gateway's `metrics` feature"
            )));
        }
        let descriptors = registry::collect(from_inventory, &linked);
        if descriptors.is_empty() {
            return Err(StartupError::EmptyRegistry);
        }

        // The Admin UI before the server: its watch is part of every namespace's adapter.
        #[cfg(feature = "admin-ui")]
        let admin_ui = sources::admin_ui(admin_ui).map_err(StartupError::Config)?;
        #[cfg(feature = "admin-ui")]
        let (admin_ui, observer, watched) = match admin_ui {
            Some(options) => {
                let (admin, observer, watched) = instrument(options, &descriptors)?;
                (Some(admin), Some(observer), Some(watched))
            }
            None => (None, None, None),
        };
        #[cfg(not(feature = "admin-ui"))]
        let observer = None;

        #[cfg(feature = "redis")]
        let store = adapter_state(&config.adapter).await?;
        #[cfg(not(feature = "redis"))]
        adapter_state(&config.adapter)?;
        let builder = socketio_builder(&config)?;
        #[cfg(all(feature = "redis", not(feature = "admin-ui")))]
        let builder = builder.with_adapter::<DefaultAdapter>(store);
        #[cfg(all(feature = "redis", feature = "admin-ui"))]
        let builder = builder.with_adapter::<DefaultAdapter>(WatchedState {
            inner: store,
            watch: watched.clone(),
        });
        #[cfg(all(not(feature = "redis"), feature = "admin-ui"))]
        let builder = builder.with_adapter::<DefaultAdapter>(WatchedState {
            inner: (),
            watch: watched.clone(),
        });
        let (layer, io) = builder.build_layer();
        providers.insert(io.clone());
        // The wire format in effect (code, file or environment), for handlers that care:
        // `Inject<Parser>`.
        providers.insert(config.parser);
        for build in built_providers {
            build(&mut providers)?;
        }

        let built = instantiate(&descriptors, &instances, &providers)?;
        let app = Arc::new(AppContext {
            providers,
            report_exceptions: config.report_exceptions,
            interceptors: interceptors.into(),
            max_ordered_backlog: config.max_ordered_backlog,
            drain: Drain::default(),
            observer,
        });
        let tables = register(built, &app, &config)?;
        check_patterns(&tables)?;

        let socket_providers: Arc<[_]> = socket_providers.into();
        let mut inits = Vec::new();
        let mut summary = Vec::new();
        // The paths (and patterns) the metrics gauges read.
        #[cfg(feature = "metrics")]
        let mut served: Vec<ServedNamespace> = Vec::new();
        for builder in tables.into_values() {
            let (ns, init) = builder.finish(socket_providers.clone());
            #[cfg(feature = "metrics")]
            served.push((ns.path, ns.pattern.clone()));
            let events = ns.event_names();
            tracing::info!(namespace = ns.path, events = ?events, "namespace ready");
            summary.push(NamespaceSummary {
                path: ns.path,
                events,
            });
            add_namespace(&io, ns, &config).await?;
            inits.extend(init);
        }
        #[cfg(feature = "admin-ui")]
        let traffic = match admin_ui {
            Some(admin) => {
                let traffic = admin.traffic();
                add_admin_namespace(&io, admin, &config).await?;
                Some(traffic)
            }
            None => None,
        };
        run_inits(inits, &io, &app.providers).await?;

        let router = routes.map(|routes| routes(io.clone()));
        #[cfg(feature = "metrics")]
        let metrics = metrics.map(|(path, handle)| {
            crate::metrics::MetricsRoute::new(path, handle, io.clone(), served.into(), app.clone())
        });
        let shutdown = Shutdown {
            app,
            io: io.clone(),
            timeout: config.shutdown_timeout,
        };
        Ok(BuiltApp {
            layer,
            io,
            router,
            namespaces: summary,
            allowed_origins: config.allowed_origins.map(Arc::from),
            http_compression: config.http_compression,
            shutdown,
            #[cfg(feature = "metrics")]
            metrics,
            #[cfg(feature = "admin-ui")]
            traffic,
            #[cfg(feature = "admin-ui")]
            watched,
        })
    }
}

/// socketioxide's builder with the app's settings.
fn socketio_builder(config: &GatewayConfig) -> Result<SocketIoBuilder, StartupError> {
    let max_message = usize::try_from(config.max_payload).unwrap_or(usize::MAX);
    let builder = match config.transports {
        Transports::Both => socketioxide::SocketIo::builder(),
        Transports::WebSocket => {
            socketioxide::SocketIo::builder().transports([TransportType::Websocket])
        }
        Transports::Polling => {
            socketioxide::SocketIo::builder().transports([TransportType::Polling])
        }
    };
    let builder = builder
        .req_path(config.path.clone())
        .ping_interval(config.ping_interval)
        .ping_timeout(config.ping_timeout)
        .max_payload(config.max_payload)
        .ws_max_message_size(max_message)
        .ws_max_frame_size(max_message)
        .ack_timeout(config.ack_timeout)
        .connect_timeout(config.connect_timeout)
        .max_buffer_size(config.max_buffer_size)
        .ws_read_buffer_size(config.ws_read_buffer_size);
    match config.parser {
        Parser::Json => Ok(builder.with_parser(
            ParserConfig::common()
                .max_incoming_binaries(config.max_binary_attachments)
                .max_incoming_binary_buf_size(config.max_binary_size)
                .packet_completion_timeout(config.binary_completion_timeout),
        )),
        // Binary is inline in a msgpack packet: `max_payload` bounds it, with the packet.
        #[cfg(feature = "msgpack")]
        Parser::MsgPack => Ok(builder.with_parser(ParserConfig::msgpack())),
        #[cfg(not(feature = "msgpack"))]
        Parser::MsgPack => Err(StartupError::Config(
            "the msgpack parser needs socketioxide-gateway's `msgpack` feature".to_owned(),
        )),
    }
}

/// Each gateway's instance: the one handed in, or built from the providers.
fn instantiate(
    descriptors: &[&'static GatewayDescriptor],
    instances: &[(TypeId, Arc<dyn Any + Send + Sync>)],
    providers: &Providers,
) -> Result<Vec<Instance>, StartupError> {
    let mut built = Vec::with_capacity(descriptors.len());
    for &descriptor in descriptors {
        let type_id = (descriptor.type_id)();
        let instance = match instances.iter().find(|(id, _)| *id == type_id) {
            Some((_, instance)) => instance.clone(),
            None => match (descriptor.build)(providers) {
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
        built.push((descriptor, instance));
    }
    Ok(built)
}

/// Registers every gateway's handlers on its namespace's table; gateways sharing a
/// namespace are merged, and two handlers for one event fail startup naming both.
fn register(
    built: Vec<Instance>,
    app: &Arc<AppContext>,
    config: &GatewayConfig,
) -> Result<BTreeMap<&'static str, NamespaceBuilder<DefaultAdapter>>, StartupError> {
    let mut tables: BTreeMap<&'static str, NamespaceBuilder<DefaultAdapter>> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for (descriptor, instance) in built {
        let table = match tables.entry(descriptor.namespace) {
            Entry::Occupied(table) => table.into_mut(),
            Entry::Vacant(entry) => {
                let pattern = NsPattern::parse(descriptor.namespace).map_err(|reason| {
                    StartupError::Namespace {
                        path: descriptor.namespace,
                        reason: format!(
                            "{reason} (gateway `{}` at {})",
                            descriptor.type_name, descriptor.location
                        ),
                    }
                })?;
                entry.insert(NamespaceBuilder::new(
                    descriptor.namespace,
                    pattern,
                    app.clone(),
                ))
            }
        };
        table.begin_gateway(
            descriptor.type_name,
            descriptor.ack_mode.unwrap_or(config.ack_mode),
        );
        (descriptor.register)(instance, table);
        conflicts.extend(table.take_conflicts());
    }
    if conflicts.is_empty() {
        Ok(tables)
    } else {
        Err(StartupError::DuplicateEvents(conflicts))
    }
}

/// Two dynamic namespaces one concrete path can reach: refused when they spell the same
/// paths differently (socketioxide's router takes only one) or share an event (which handler
/// a client reaches would depend on the router's priorities, not on the code).
fn check_patterns(
    tables: &BTreeMap<&'static str, NamespaceBuilder<DefaultAdapter>>,
) -> Result<(), StartupError> {
    let dynamic: Vec<_> = tables
        .values()
        .filter_map(|table| table.pattern().map(|pattern| (table, pattern)))
        .collect();
    let mut conflicts = Vec::new();
    for (i, (a, a_pattern)) in dynamic.iter().enumerate() {
        for (b, b_pattern) in &dynamic[i + 1..] {
            if a_pattern.same_paths(b_pattern) {
                let who = |t: &NamespaceBuilder<DefaultAdapter>| {
                    t.events()
                        .next()
                        .and_then(|event| t.registered(event))
                        .unwrap_or_default()
                };
                conflicts.push(format!(
                    "namespaces `{}` ({}) and `{}` ({}) match the same paths: give their parameters the same names, or merge them",
                    a.path(),
                    who(a),
                    b.path(),
                    who(b)
                ));
                continue;
            }
            if !a_pattern.overlaps(b_pattern) {
                continue;
            }
            let mut shared: Vec<_> = a.events().filter(|e| b.registered(e).is_some()).collect();
            shared.sort_unstable();
            for event in shared {
                conflicts.push(format!(
                    "event `{event}` is on namespaces `{}` ({}) and `{}` ({}), which a path can match both of",
                    a.path(),
                    a.registered(event).unwrap_or_default(),
                    b.path(),
                    b.registered(event).unwrap_or_default()
                ));
            }
        }
    }
    if conflicts.is_empty() {
        Ok(())
    } else {
        Err(StartupError::DuplicateEvents(conflicts))
    }
}

/// Puts a namespace on the server: a dynamic one through socketioxide's `dyn_ns` (each
/// concrete namespace is created when a client first joins it). With Redis, a static
/// namespace exists once its channels are subscribed.
async fn add_namespace(
    io: &SocketIo,
    ns: Namespace<DefaultAdapter>,
    config: &GatewayConfig,
) -> Result<(), StartupError> {
    let path = ns.path;
    if ns.pattern.is_some() {
        return io
            .dyn_ns(path, OnConnect(Arc::new(ns)))
            .map_err(|err| StartupError::Namespace {
                path,
                reason: format!("socketioxide's router refuses it beside the others: {err}"),
            });
    }
    put_static(io, path, OnConnect(Arc::new(ns)), config).await
}

/// `io.ns(path, handler)`; with Redis it resolves once the namespace's channels are
/// subscribed, and their failure stops startup.
async fn put_static<H, T>(
    io: &SocketIo,
    path: &str,
    handler: H,
    config: &GatewayConfig,
) -> Result<(), StartupError>
where
    H: socketioxide::handler::ConnectHandler<DefaultAdapter, T>,
    T: Send + Sync + 'static,
{
    #[cfg(feature = "redis")]
    io.ns(path.to_owned(), handler)
        .await
        .map_err(|err| StartupError::Redis {
            url: crate::app::adapter::redis_url_shown(&config.adapter),
            reason: format!("namespace `{path}`: {err}"),
        })?;
    #[cfg(not(feature = "redis"))]
    {
        let _ = config;
        io.ns(path.to_owned(), handler);
    }
    Ok(())
}

/// The Admin UI for `options`, refused on a namespace a gateway serves.
#[cfg(feature = "admin-ui")]
fn instrument(
    options: crate::admin_ui::AdminUi,
    descriptors: &[&'static GatewayDescriptor],
) -> Result<
    (
        crate::admin_ui::Instrumented,
        crate::runtime::observer::ObserverRef,
        crate::event::Watched,
    ),
    StartupError,
> {
    let static_paths: Vec<String> = descriptors
        .iter()
        .map(|d| d.namespace)
        .filter(|path| !path.contains('{'))
        .map(str::to_owned)
        .collect();
    let (admin, observer, watched) =
        crate::admin_ui::Instrumented::new(options, static_paths).map_err(StartupError::AdminUi)?;
    if let Some(taken) = descriptors
        .iter()
        .find(|d| d.namespace == admin.namespace())
    {
        return Err(StartupError::AdminUi(format!(
            "its namespace `{}` is served by gateway `{}` ({}): choose another with `AdminUi::namespace`",
            admin.namespace(),
            taken.type_name,
            taken.location
        )));
    }
    Ok((admin, observer, watched))
}

/// Puts the Admin UI's namespace on the server.
#[cfg(feature = "admin-ui")]
async fn add_admin_namespace(
    io: &SocketIo,
    admin: crate::admin_ui::Instrumented,
    config: &GatewayConfig,
) -> Result<(), StartupError> {
    let path = admin.namespace().to_owned();
    let handler = admin.start(io);
    put_static(io, &path, handler, config).await
}

/// Runs the `#[on_init]` hooks, in registration order.
async fn run_inits(
    inits: Vec<(&'static str, InitFn<DefaultAdapter>)>,
    io: &SocketIo,
    providers: &Providers,
) -> Result<(), StartupError> {
    for (gateway, init) in inits {
        let fut = init(io, providers).map_err(|error| StartupError::Init { gateway, error })?;
        fut.await;
    }
    Ok(())
}

//! [`GatewayApp`]: collects the gateways, builds them from providers, wires them into a
//! socketioxide server, and serves it (or hands you a router for your own axum app).
//!
//! The room's files: [`config`] (settings), [`settings`] (their builder methods),
//! [`error`] (`StartupError`), [`build`] (from descriptors to a [`BuiltApp`]), [`built`]
//! (the built app and its router), [`compression`] (long-polling responses compressed),
//! [`origin`] (the `Origin` allowlist), [`adapter`]
//! (memory or Redis), [`serve`] (bind, signals), [`shutdown`] (drain), [`sources`]
//! (settings from the environment and a file), `contracts` (the export; feature `contracts`).

mod adapter;
mod build;
mod built;
mod compression;
mod config;
#[cfg(feature = "contracts")]
mod contracts;
mod error;
mod origin;
mod owned_head;
mod serve;
mod settings;
mod shutdown;
mod sources;
#[cfg(feature = "admin-ui")]
mod traffic;

use std::any::{Any, TypeId};
use std::sync::Arc;

use axum::Router;

use crate::SocketIo;
use crate::adapter::DefaultAdapter;
#[cfg(feature = "contracts")]
use crate::contract::ContractInfo;
use crate::error::WsError;
use crate::extract::Parts;
use crate::gateway::{GatewayDescriptor, GatewayType};
use crate::intercept::{Interceptor, InterceptorRef};
use crate::providers::{MissingProvider, Providers};
use crate::runtime::table::SocketProviderFn;

pub use built::{BuiltApp, NamespaceSummary};
pub use config::{AdapterConfig, GatewayConfig, Parser, REDIS_URL_ENV, Transports};
pub use error::StartupError;
pub use serve::Server;
pub use shutdown::Shutdown;
pub use sources::{CONFIG_FILE_ENV, ENV_PREFIX};

type RoutesFn = Box<dyn FnOnce(SocketIo) -> Router + Send>;

/// A provider built at startup, once the server exists (see [`GatewayApp::provide_with`]).
type ProviderFn = Box<dyn FnOnce(&mut Providers) -> Result<(), StartupError> + Send>;

/// The application: gateways, providers and settings, turned into a running server.
///
/// ```no_run
/// use socketioxide_gateway::prelude::*;
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
    built_providers: Vec<ProviderFn>,
    socket_providers: Vec<SocketProviderFn<DefaultAdapter>>,
    from_inventory: bool,
    linked: Vec<&'static GatewayDescriptor>,
    instances: Vec<(TypeId, Arc<dyn Any + Send + Sync>)>,
    routes: Option<RoutesFn>,
    interceptors: Vec<InterceptorRef>,
    #[cfg(feature = "contracts")]
    contract_info: Option<ContractInfo>,
    #[cfg(feature = "admin-ui")]
    admin_ui: Option<crate::admin_ui::AdminUi>,
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
            built_providers: Vec::new(),
            socket_providers: Vec::new(),
            from_inventory: true,
            linked: Vec::new(),
            instances: Vec::new(),
            routes: None,
            interceptors: Vec::new(),
            #[cfg(feature = "contracts")]
            contract_info: None,
            #[cfg(feature = "admin-ui")]
            admin_ui: None,
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

    /// Registers a dependency built at startup, once the server exists: `build` gets the
    /// providers, the `SocketIo` handle among them (and those registered before), so a
    /// service that emits can hold the handle. Built in the order registered, before the
    /// gateways; an `Err` (a missing provider) fails startup.
    ///
    /// ```
    /// use socketioxide_gateway::prelude::*;
    ///
    /// /// Tells a user's sockets, from anywhere: a handler, an HTTP route, a task.
    /// #[derive(Clone)]
    /// struct Notifier {
    ///     io: SocketIo,
    /// }
    ///
    /// let app = GatewayApp::new().provide_with(|providers| {
    ///     Ok(Notifier {
    ///         io: providers.get::<SocketIo>()?,
    ///     })
    /// });
    /// # let _ = app;
    /// ```
    pub fn provide_with<T, F>(mut self, build: F) -> Self
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce(&Providers) -> Result<T, MissingProvider> + Send + 'static,
    {
        self.built_providers.push(Box::new(move |providers| {
            let value = build(providers).map_err(|source| StartupError::Provider {
                provider: std::any::type_name::<T>(),
                source,
            })?;
            providers.insert(value);
            Ok(())
        }));
        self
    }

    /// Registers a dependency scoped to one socket: `build` runs when a socket connects to
    /// any of the app's namespaces, after its connection guards and before its
    /// `#[on_connect]` hooks, with the socket's [`Parts`] (so it can take the socket, the
    /// CONNECT's auth, the claims a guard stored, the app-wide providers). The value is
    /// injected as `Inject<T>` into that socket's handlers and hooks only, and dropped when
    /// the socket disconnects (after its `#[on_disconnect]` hooks). An `Err` refuses the
    /// connection: the client's `connect_error` carries its message.
    ///
    /// Each injection is a clone, so state that handlers change lives behind an `Arc`:
    ///
    /// ```
    /// use std::sync::Mutex;
    /// use socketioxide_gateway::prelude::*;
    ///
    /// /// What this connection subscribed to; gone with the connection.
    /// #[derive(Clone, Default)]
    /// struct Subscriptions(Arc<Mutex<Vec<String>>>);
    ///
    /// let app = GatewayApp::new().provide_per_socket(|_parts| Ok(Subscriptions::default()));
    /// # let _ = app;
    /// ```
    ///
    /// A type is app-wide or per socket, not both: `Inject<T>` looks among the app-wide
    /// providers first.
    pub fn provide_per_socket<T, F>(mut self, build: F) -> Self
    where
        T: Clone + Send + Sync + 'static,
        F: Fn(&mut Parts<'_, DefaultAdapter>) -> Result<T, WsError> + Send + Sync + 'static,
    {
        self.socket_providers
            .push(Arc::new(move |parts, providers| {
                providers.insert(build(parts)?);
                Ok(())
            }));
        self
    }

    /// Serves gateway `G`, naming it explicitly. This also makes the linker keep the crate
    /// that defines it, the fix for gateways living in a library crate.
    pub fn link<G: GatewayType>(mut self) -> Self {
        self.linked.push(const { &G::DESCRIPTOR });
        self
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
    /// Wraps every event of every gateway (before gateway-level `#[intercept]`s).
    pub fn intercept<I: Interceptor>(mut self, interceptor: I) -> Self {
        self.interceptors.push(InterceptorRef::new(interceptor));
        self
    }

    /// HTTP routes served next to Socket.IO. The closure gets the `SocketIo` handle so
    /// routes can emit to namespaces and rooms.
    pub fn routes(mut self, routes: impl FnOnce(SocketIo) -> Router + Send + 'static) -> Self {
        self.routes = Some(Box::new(routes));
        self
    }
}

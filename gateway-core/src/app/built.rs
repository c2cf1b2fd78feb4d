//! [`BuiltApp`]: what [`GatewayApp::build`](crate::GatewayApp::build) produced: the
//! Socket.IO layer, its handle, your routes and the shutdown, ready to serve or to mount on
//! your own axum `Router`.

use std::sync::Arc;

use axum::Router;
use socketioxide::layer::SocketIoLayer;

use crate::SocketIo;
use crate::adapter::DefaultAdapter;
use crate::app::shutdown::Shutdown;
use crate::app::{compression, origin, owned_head};

/// An app, built: what [`GatewayApp::build`](crate::GatewayApp::build) produced.
#[must_use]
pub struct BuiltApp {
    pub(crate) layer: SocketIoLayer<DefaultAdapter>,
    /// The handle to emit from services and HTTP routes.
    pub io: SocketIo,
    pub(crate) router: Option<Router>,
    pub(crate) namespaces: Vec<NamespaceSummary>,
    pub(crate) allowed_origins: Option<Arc<[String]>>,
    pub(crate) http_compression: bool,
    pub(crate) shutdown: Shutdown,
    #[cfg(feature = "metrics")]
    pub(crate) metrics: Option<crate::metrics::MetricsRoute>,
    /// The Admin UI's byte counters, which `serve` feeds.
    #[cfg(feature = "admin-ui")]
    pub(crate) traffic: Option<Arc<crate::admin_ui::Traffic>>,
    /// The Admin UI's watch of what the app sends, put in every request's extensions so
    /// each socket's handshake carries it (event.rs).
    #[cfg(feature = "admin-ui")]
    pub(crate) watched: Option<crate::event::Watched>,
}

impl BuiltApp {
    /// The graceful shutdown of these gateways, for apps that serve the router themselves:
    /// stop your listener, then `shutdown.run().await`.
    pub fn shutdown(&self) -> Shutdown {
        self.shutdown.clone()
    }

    /// The routes given to [`GatewayApp::routes`](crate::GatewayApp::routes) (or an empty router), with Socket.IO on.
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
        let router = router.layer(self.layer).layer(owned_head::layer());
        // Outside the Socket.IO layer, so the handshake requests it reads carry it.
        #[cfg(feature = "admin-ui")]
        let router = match self.watched {
            Some(watched) => router.layer(axum::Extension(watched)),
            None => router,
        };
        let router = if self.http_compression {
            router.layer(compression::layer())
        } else {
            router
        };
        match self.allowed_origins {
            None => router,
            Some(origins) => origin::restrict(router, origins),
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

//! Serving: [`GatewayApp::bind`] (a listener on an address, in a background task, with a
//! [`Server`] handle), [`GatewayApp::serve`] (until Ctrl-C or SIGTERM, then a graceful
//! shutdown) and [`GatewayApp::into_router`] (for apps that serve it themselves).

use std::net::SocketAddr;

use axum::Router;
use axum::serve::ListenerExt;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::SocketIo;
use crate::app::GatewayApp;
use crate::app::error::StartupError;
use crate::app::shutdown::Shutdown;

impl GatewayApp {
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
        #[cfg(feature = "admin-ui")]
        let traffic = gateways.traffic.clone();
        let router = gateways.into_router();
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        // TCP_NODELAY on every connection; with the Admin UI, its byte counts
        // (app/traffic.rs).
        #[cfg(feature = "admin-ui")]
        let task = match traffic {
            Some(traffic) => {
                let listener = crate::app::traffic::Counted {
                    inner: listener,
                    traffic,
                };
                let listener = listener.tap_io(|io| no_delay(io.get_mut()));
                tokio::spawn(run(listener, router, stop_rx))
            }
            None => tokio::spawn(run(listener.tap_io(no_delay), router, stop_rx)),
        };
        #[cfg(not(feature = "admin-ui"))]
        let task = tokio::spawn(run(listener.tap_io(no_delay), router, stop_rx));
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
    /// writes `DIR/events.ts` and `DIR/asyncapi.yaml` (see `GatewayApp::contracts`) and
    /// returns without serving; the AsyncAPI server is `addr` unless `contract_info` says
    /// otherwise. Without the `contracts` feature the flag is not read.
    pub async fn serve(self, addr: impl ToSocketAddrs) -> Result<(), crate::BoxError> {
        #[cfg(feature = "contracts")]
        if self.export_if_asked(&addr).await? {
            return Ok(());
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

/// Acks are small writes answered by small writes: without TCP_NODELAY, Nagle's algorithm
/// and delayed ACKs stall them by tens of milliseconds (Node's socket.io disables it too).
fn no_delay(tcp: &mut tokio::net::TcpStream) {
    if let Err(err) = tcp.set_nodelay(true) {
        tracing::debug!(%err, "could not set TCP_NODELAY");
    }
}

/// Serves `router` on `listener` until `stop` fires (or its sender is dropped): the server
/// stops accepting connections; open ones (upgraded WebSockets are not covered by hyper's
/// graceful shutdown) end when `Shutdown::run` closes the sockets.
async fn run<L>(listener: L, router: Router, stop: oneshot::Receiver<()>) -> std::io::Result<()>
where
    L: axum::serve::Listener,
    L::Addr: std::fmt::Debug,
    for<'a> SocketAddr: axum::extract::connect_info::Connected<axum::serve::IncomingStream<'a, L>>,
{
    // The peer's address in each request's extensions (`ConnectInfo`), for handlers and
    // the Admin UI's socket list.
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async move {
            let _ = stop.await;
        })
        .await
}

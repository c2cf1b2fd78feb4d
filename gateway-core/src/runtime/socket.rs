//! The glue to socketioxide: the namespace's connect handler ([`OnConnect`]), whose
//! middleware step checks the connection guards and installs the socket's single
//! dispatcher before the client is told it is connected (so no early event is lost: see
//! ARCHITECTURE.md, "Invariants"), after building its socket-scoped providers; the
//! dispatcher itself ([`Dispatcher`]); and the disconnect handler that runs the
//! `#[on_disconnect]` hooks, then drops the socket's providers. On a dynamic namespace the
//! middleware first matches the socket's parameters (`/tenant/acme` → `tenant=acme`).
//!
//! socketioxide stores one boxed handler per `socket.on(event)` call, per socket. Instead,
//! each socket gets one fallback handler (an `Arc` to the namespace's table), so a gateway
//! with 30 events costs a socket no more than one with 1.

use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use socketioxide::adapter::Adapter;
use socketioxide::handler::{ConnectHandler, DisconnectHandler, MessageHandler};
use socketioxide::socket::{DisconnectReason, Socket};
use socketioxide_core::Value;

use crate::error::WsError;
use crate::extract::hooks::decode_auth;
use crate::extract::{Parts, PartsKind};
use crate::panic::{self, Site};
use crate::providers::{Providers, SocketProviders};
use crate::runtime::observer::describe;
use crate::runtime::policy::{GuardScope, check_guards};
use crate::runtime::table::{BoxFuture, Namespace};

/// The per-socket entry point: socketioxide's fallback handler, shared table inside.
struct Dispatcher<A: Adapter>(Arc<Namespace<A>>);

impl<A: Adapter> MessageHandler<A, Dispatcher<A>> for Dispatcher<A> {
    fn call(&self, s: Arc<Socket<A>>, v: Value, ack_id: Option<i64>) {
        self.0.dispatch(s, v, ack_id);
    }
}

/// The namespace's connect handler, registered with `io.ns(path, ...)`.
pub(crate) struct OnConnect<A: Adapter>(pub(crate) Arc<Namespace<A>>);

impl<A: Adapter> Clone for OnConnect<A> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

type MiddlewareFuture<'a> =
    Pin<Box<dyn Future<Output = Result<(), Box<dyn Display + Send>>> + Send + 'a>>;

impl<A: Adapter> ConnectHandler<A, OnConnect<A>> for OnConnect<A> {
    fn call(&self, s: Arc<Socket<A>>, auth: Option<Value>) {
        if let Some(observer) = &self.0.app.observer {
            observer.connected(observer.wants_details().then(|| describe(&s)));
        }
        if self.0.connect.is_empty() {
            return;
        }
        let hooks = hooks(&self.0, &s, HookKind::Connect(&auth));
        tokio::spawn(run_hooks("connect", hooks));
    }

    fn call_middleware<'a>(
        &'a self,
        s: Arc<Socket<A>>,
        auth: &'a Option<Value>,
    ) -> MiddlewareFuture<'a> {
        let ns = &self.0;
        if ns.app.drain.is_draining() {
            // A node that is shutting down takes no new sockets; the client's reconnection
            // finds another node.
            let refused = Box::new(WsError::unavailable().message().to_owned());
            return Box::pin(std::future::ready(Err(refused as Box<dyn Display + Send>)));
        }
        if let Some(pattern) = &ns.pattern {
            // Matched once, for the guards, the hooks and every handler of this socket.
            let Some(params) = pattern.params(s.ns()) else {
                let refused = Box::new(WsError::internal().message().to_owned());
                return Box::pin(std::future::ready(Err(refused as Box<dyn Display + Send>)));
            };
            s.extensions.insert(params);
        }
        if ns.connect_guards.is_empty() {
            return Box::pin(std::future::ready(
                accept_socket(ns, &s, auth).map_err(refusal),
            ));
        }
        Box::pin(async move {
            check_connection(ns, &s, auth).await.map_err(|err| {
                tracing::debug!(ns = ns.path, sid = %s.id, %err, "connection refused by a guard");
                refusal(err)
            })?;
            accept_socket(ns, &s, auth).map_err(refusal)
        })
    }
}

/// What a refused client's `connect_error` gets: the message only, never internal text.
fn refusal(err: WsError) -> Box<dyn Display + Send> {
    Box::new(err.message().to_owned())
}

/// A socket its guards let in: builds its scoped providers (any of which may still refuse
/// it), then installs its dispatcher.
fn accept_socket<A: Adapter>(
    ns: &Arc<Namespace<A>>,
    s: &Arc<Socket<A>>,
    auth: &Option<Value>,
) -> Result<(), WsError> {
    if !ns.socket_providers.is_empty() {
        let mut scoped = Providers::default();
        let mut parts = Parts {
            socket: s,
            providers: &ns.app.providers,
            event: "connect",
            kind: PartsKind::Connect { auth },
        };
        for build in ns.socket_providers.iter() {
            match panic::catch(Site::SocketProvider, || build(&mut parts, &mut scoped)) {
                Some(Ok(())) => {}
                Some(Err(err)) => {
                    tracing::debug!(ns = ns.path, sid = %s.id, %err, "connection refused by a socket-scoped provider");
                    return Err(err);
                }
                None => return Err(WsError::internal()),
            }
        }
        s.extensions.insert(SocketProviders(Arc::new(scoped)));
    }
    install(ns, s);
    Ok(())
}

/// Installs the socket's single dispatcher (and disconnect handler) before the client is
/// told it is connected.
fn install<A: Adapter>(ns: &Arc<Namespace<A>>, s: &Arc<Socket<A>>) {
    s.on_fallback(Dispatcher(ns.clone()));
    if ns.app.observer.is_some() {
        // A watched socket is also in a room named by its id, as in socket.io, so that the
        // watcher's actions can name one socket on any node.
        s.join(s.id.to_string());
    }
    if !ns.disconnect.is_empty() || !ns.socket_providers.is_empty() || ns.app.observer.is_some() {
        s.on_disconnect(OnDisconnect(ns.clone()));
    }
}

/// The namespace's connection guards, with the CONNECT's auth payload.
async fn check_connection<A: Adapter>(
    ns: &Namespace<A>,
    s: &Arc<Socket<A>>,
    auth: &Option<Value>,
) -> Result<(), WsError> {
    let auth = match decode_auth::<A, serde_json::Value>(s, auth) {
        Ok(auth) => Some(auth),
        Err(_) => return Err(WsError::bad_payload("the auth payload does not decode")),
    };
    let scope = GuardScope::connect(s.clone(), ns.app.clone(), auth);
    check_guards(ns.connect_guards.clone(), scope).await
}

struct OnDisconnect<A: Adapter>(Arc<Namespace<A>>);

impl<A: Adapter> DisconnectHandler<A, OnDisconnect<A>> for OnDisconnect<A> {
    fn call_with_defer(
        &self,
        s: Arc<Socket<A>>,
        reason: DisconnectReason,
        defer: fn(Arc<Socket<A>>),
    ) {
        if let Some(observer) = &self.0.app.observer {
            observer.disconnected(s.ns(), s.id, &reason.to_string());
        }
        let hooks = hooks(&self.0, &s, HookKind::Disconnect(reason));
        // socketioxide's `defer` removes the socket from its namespace; rooms stay readable
        // until the hooks are done.
        tokio::spawn(async move {
            run_hooks("disconnect", hooks).await;
            // The socket's scoped providers go now, not whenever the last `SocketRef` does.
            s.extensions.remove::<SocketProviders>();
            defer(s);
        });
    }
}

#[derive(Clone, Copy)]
enum HookKind<'a> {
    Connect(&'a Option<Value>),
    Disconnect(DisconnectReason),
}

/// Builds the futures of a namespace's connect or disconnect hooks; a hook whose
/// parameters cannot be built (or that panics doing so) is skipped.
fn hooks<A: Adapter>(
    ns: &Namespace<A>,
    socket: &Arc<Socket<A>>,
    kind: HookKind<'_>,
) -> Vec<BoxFuture> {
    let (hooks, event) = match kind {
        HookKind::Connect(_) => (&ns.connect, "connect"),
        HookKind::Disconnect(_) => (&ns.disconnect, "disconnect"),
    };
    let mut futures = Vec::with_capacity(hooks.len());
    for hook in hooks {
        let mut parts = Parts {
            socket,
            providers: &ns.app.providers,
            event,
            kind: match kind {
                HookKind::Connect(auth) => PartsKind::Connect { auth },
                HookKind::Disconnect(reason) => PartsKind::Disconnect { reason },
            },
        };
        match panic::catch(Site::Hook(event), || hook(&mut parts)) {
            Some(Ok(fut)) => futures.push(fut),
            Some(Err(err)) => {
                tracing::warn!(ns = ns.path, %event, %err, "lifecycle hook skipped");
            }
            None => {}
        }
    }
    futures
}

/// Runs hooks one after the other; a panicking hook is logged and the next one still runs.
async fn run_hooks(event: &'static str, futures: Vec<BoxFuture>) {
    for fut in futures {
        panic::catch_future(Site::Hook(event), fut).await;
    }
}

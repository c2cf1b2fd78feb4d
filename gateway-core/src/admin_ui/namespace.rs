//! The admin namespace, on socketioxide directly (it is the framework's, not a gateway):
//! the login middleware, then on connection `session` (after a login with credentials),
//! `config` with the supported features, `all_sockets` in development mode, and the
//! dashboard's actions (`emit`, `join`, `leave`, `_disconnect`) unless read-only.
//! [`Instrumented`] also starts the `server_stats` and notice tasks.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};
use socketioxide::extract::TryData;
use socketioxide::handler::ConnectHandler;
use socketioxide::socket::DisconnectReason;
use tokio::sync::mpsc;

use super::login::{Admitted, INVALID_CREDENTIALS, Login};
use super::options::{AdminMode, AdminUi};
use super::stats::{self, Identity, Traffic};
use super::watch::{self, Aggregated, Watch, timestamp};
use crate::event::Watched;
use crate::extract::{Arg, Args};
use crate::runtime::observer::{ObserverRef, describe};
use crate::{SocketIo, SocketRef};

/// The session id a login with credentials opened, kept until the connection is made.
#[derive(Clone)]
struct NewSession(String);

/// The admin UI of a built app: what it serves and what it watches.
pub(crate) struct Instrumented {
    options: AdminUi,
    login: Arc<Login>,
    identity: Arc<Identity>,
    aggregated: Arc<Aggregated>,
    traffic: Arc<Traffic>,
    notices: Option<mpsc::Receiver<watch::Notice>>,
}

impl Instrumented {
    /// The admin UI for `options`, the observer the runtime tells about every gateway
    /// socket, and the watch of what the app sends (the same `Watch`); `static_paths` are
    /// the app's namespaces that are not patterns.
    pub(crate) fn new(
        options: AdminUi,
        mut static_paths: Vec<String>,
    ) -> Result<(Self, ObserverRef, Watched), String> {
        if !options.namespace.starts_with('/') {
            return Err(format!(
                "the admin UI's namespace starts with `/`: `/{}`",
                options.namespace
            ));
        }
        let login = Arc::new(Login::new(&options.auth)?);
        let hostname = gethostname::gethostname().to_string_lossy().into_owned();
        static_paths.push(options.namespace.clone());
        let identity = Arc::new(Identity {
            server_id: options
                .server_id
                .clone()
                .unwrap_or_else(|| hostname.clone()),
            hostname,
            started: Instant::now(),
            static_paths,
        });
        let aggregated = Arc::new(Aggregated::default());
        let (sender, notices) = match options.mode {
            AdminMode::Development => {
                let (tx, rx) = mpsc::channel(watch::BACKLOG);
                (Some(tx), Some(rx))
            }
            AdminMode::Production => (None, None),
        };
        let watch = Arc::new(Watch {
            notices: sender,
            aggregated: aggregated.clone(),
            admin: options.namespace.clone(),
        });
        let observer: ObserverRef = watch.clone();
        let watched = Watched(watch);
        let instrumented = Self {
            options,
            login,
            identity,
            aggregated,
            traffic: Arc::default(),
            notices,
        };
        Ok((instrumented, observer, watched))
    }

    /// The admin namespace's path.
    pub(crate) fn namespace(&self) -> &str {
        &self.options.namespace
    }

    /// The byte counters `serve` feeds (app/traffic.rs).
    pub(crate) fn traffic(&self) -> Arc<Traffic> {
        self.traffic.clone()
    }

    /// The admin namespace's connect handler, and the tasks that feed the dashboard
    /// (spawned here).
    pub(crate) fn start(
        self,
        io: &SocketIo,
    ) -> impl ConnectHandler<crate::DefaultAdapter, (SocketRef,)> {
        let Instrumented {
            options,
            login,
            identity,
            aggregated,
            traffic,
            notices,
        } = self;
        tokio::spawn(stats::every_period(
            io.clone(),
            options.namespace.clone(),
            identity,
            aggregated,
            traffic,
        ));
        if let Some(notices) = notices {
            tokio::spawn(watch::look_for_changes(
                io.clone(),
                options.namespace.clone(),
            ));
            tokio::spawn(watch::forward(
                io.clone(),
                options.namespace.clone(),
                notices,
            ));
        }
        let options = Arc::new(options);
        let on_connect = {
            let io = io.clone();
            move |socket: SocketRef| connected(io.clone(), options.clone(), socket)
        };
        let check = move |socket: SocketRef, TryData(auth): TryData<Value>| {
            let login = login.clone();
            async move {
                let auth = auth.unwrap_or(Value::Null);
                let checked = tokio::task::spawn_blocking(move || login.check(&auth))
                    .await
                    .unwrap_or(Err(INVALID_CREDENTIALS));
                match checked {
                    Ok(Admitted::NewSession(session)) => {
                        socket.extensions.insert(NewSession(session));
                        Ok(())
                    }
                    Ok(Admitted::Known) => Ok(()),
                    Err(refusal) => Err(refusal),
                }
            }
        };
        on_connect.with(check)
    }
}

/// The supported features, as `config` lists them.
fn features(options: &AdminUi) -> Vec<&'static str> {
    let mut features = Vec::new();
    if !options.read_only {
        features.extend([
            "EMIT",
            "JOIN",
            "LEAVE",
            "DISCONNECT",
            "MJOIN",
            "MLEAVE",
            "MDISCONNECT",
        ]);
    }
    features.push("AGGREGATED_EVENTS");
    if options.mode == AdminMode::Development {
        features.push("ALL_EVENTS");
    }
    features
}

/// A dashboard connected: its session, the config, the socket list, its actions.
async fn connected(io: SocketIo, options: Arc<AdminUi>, socket: SocketRef) {
    // As every watched socket: a room named by its id, for actions on one socket.
    socket.join(socket.id.to_string());
    if let Some(NewSession(session)) = socket.extensions.get::<NewSession>() {
        let _ = socket.emit("session", &session);
    }
    let _ = socket.emit(
        "config",
        &json!({ "supportedFeatures": features(&options) }),
    );
    if !options.read_only {
        register_actions(&io, &socket);
    }
    if options.mode == AdminMode::Development {
        let sockets = all_sockets(&io, &options.namespace).await;
        let _ = socket.emit("all_sockets", &(sockets,));
        let ns = options.namespace.clone();
        if let Some(to_admins) = io.of(&ns) {
            let _ = to_admins
                .emit("socket_connected", &(describe(&socket), timestamp()))
                .await;
        }
        let io = io.clone();
        socket.on_disconnect(
            move |socket: SocketRef, reason: DisconnectReason| async move {
                if let Some(to_admins) = io.of(&ns) {
                    let sid = socket.id.to_string();
                    let _ = to_admins
                        .emit(
                            "socket_disconnected",
                            &(ns.as_str(), sid, reason.to_string(), timestamp()),
                        )
                        .await;
                }
            },
        );
    }
}

/// Every socket, every namespace: this node's described in full; with Redis, the other
/// nodes' sockets of this node's namespaces too, through `fetch_sockets`,
/// with what socketioxide tells of them (id, namespace, rooms). By namespace, the admin
/// one last (as the Node package lists them: the app's namespaces were created first),
/// then by id.
async fn all_sockets(io: &SocketIo, admin: &str) -> Vec<Value> {
    let local: Vec<_> = io
        .nsps()
        .into_iter()
        .flat_map(|ns| ns.local().sockets())
        .collect();
    let mut listed: Vec<(bool, String, String, Value)> = local
        .iter()
        .map(|s| {
            (
                s.ns() == admin,
                s.ns().to_owned(),
                s.id.to_string(),
                describe(s),
            )
        })
        .collect();
    let this_node = io.config().server_id;
    // The namespaces this node has (a dynamic one once a client joined it here), as the
    // Node package asks each of its namespaces.
    for ns in io.nsps() {
        // `.ok()`: in memory the error cannot happen, and `let Ok(..) else` would warn.
        let Some(remote) = ns.fetch_sockets().await.ok() else {
            continue;
        };
        for socket in remote {
            if socket.data().server_id == this_node {
                continue;
            }
            let rooms: Vec<String> = match socket.rooms().await {
                Ok(rooms) => rooms.into_iter().map(|r| r.into_owned()).collect(),
                Err(_) => Vec::new(),
            };
            let (id, nsp) = (socket.data().id.to_string(), socket.data().ns.to_string());
            let described = json!({
                "id": id, "clientId": "", "transport": "", "nsp": nsp, "data": {},
                "handshake": {}, "rooms": rooms,
            });
            listed.push((nsp == admin, nsp, id, described));
        }
    }
    listed.sort_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
    listed.into_iter().map(|(.., socket)| socket).collect()
}

/// The arguments of an action: `[nsp, ...]`, strings where the dashboard sends strings.
struct Action(Vec<Arg>);

impl Action {
    fn text(&self, i: usize) -> Option<&str> {
        self.0.get(i)?.as_json()?.as_str()
    }

    /// An optional filter (a socket id or a room): `None` when absent or null, `Err` when
    /// it is something else.
    fn filter(&self, i: usize) -> Result<Option<&str>, ()> {
        match self.0.get(i).map(Arg::as_json) {
            None | Some(Some(Value::Null)) => Ok(None),
            Some(Some(Value::String(filter))) if !filter.is_empty() => Ok(Some(filter)),
            _ => Err(()),
        }
    }
}

/// The dashboard's actions. A malformed one (wrong types, an unknown namespace) is
/// ignored with a debug log, as the Node package ignores what it cannot apply.
fn register_actions(io: &SocketIo, socket: &SocketRef) {
    let on = |event: &'static str, act: fn(SocketIo, Action) -> ActionFuture| {
        let io = io.clone();
        socket.on(event, move |TryData(args): TryData<Args>| {
            let io = io.clone();
            async move {
                match args {
                    Ok(args) => act(io, Action(args.into_inner())).await,
                    Err(err) => tracing::debug!(event, %err, "admin UI action ignored"),
                }
            }
        });
    };
    on("emit", |io, action| Box::pin(emit(io, action)));
    on("join", |io, action| {
        Box::pin(join_or_leave(io, action, true))
    });
    on("leave", |io, action| {
        Box::pin(join_or_leave(io, action, false))
    });
    on("_disconnect", |io, action| Box::pin(disconnect(io, action)));
}

type ActionFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// `emit(nsp, filter, event, ...args)`: to the namespace, or to the filter's room.
async fn emit(io: SocketIo, action: Action) {
    let (Some(nsp), Ok(filter), Some(event)) = (action.text(0), action.filter(1), action.text(2))
    else {
        return tracing::debug!("admin UI `emit` ignored: (nsp, filter, event, ...args) expected");
    };
    let Some(ns) = io.of(nsp) else {
        return tracing::debug!(nsp, "admin UI `emit` ignored: no such namespace");
    };
    let args = Args(action.0[3..].to_vec());
    let sent = match filter {
        Some(room) => ns.to(room.to_owned()).emit(event, &args).await,
        None => ns.emit(event, &args).await,
    };
    if let Err(err) = sent {
        tracing::debug!(nsp, event, %err, "admin UI `emit` failed");
    }
}

/// `join(nsp, room, filter?)` / `leave(nsp, room, filter?)`.
async fn join_or_leave(io: SocketIo, action: Action, join: bool) {
    let (Some(nsp), Some(room), Ok(filter)) = (action.text(0), action.text(1), action.filter(2))
    else {
        return tracing::debug!("admin UI `join`/`leave` ignored: (nsp, room, filter?) expected");
    };
    let Some(ns) = io.of(nsp) else {
        return tracing::debug!(nsp, "admin UI `join`/`leave` ignored: no such namespace");
    };
    let ns = match filter {
        Some(filter) => ns.within(filter.to_owned()),
        None => ns,
    };
    let room = room.to_owned();
    let done = if join {
        ns.join(room).await
    } else {
        ns.leave(room).await
    };
    if let Err(err) = done {
        tracing::debug!(nsp, %err, "admin UI `join`/`leave` failed");
    }
}

/// `_disconnect(nsp, close, filter?)`. socketioxide closes the socket's namespace
/// connection either way (`close`, closing the whole Engine.IO connection, is not exposed).
async fn disconnect(io: SocketIo, action: Action) {
    let (Some(nsp), Ok(filter)) = (action.text(0), action.filter(2)) else {
        return tracing::debug!("admin UI `_disconnect` ignored: (nsp, close, filter?) expected");
    };
    let Some(ns) = io.of(nsp) else {
        return tracing::debug!(nsp, "admin UI `_disconnect` ignored: no such namespace");
    };
    let ns = match filter {
        Some(filter) => ns.within(filter.to_owned()),
        None => ns,
    };
    if let Err(err) = ns.disconnect().await {
        tracing::debug!(nsp, %err, "admin UI `_disconnect` failed");
    }
}

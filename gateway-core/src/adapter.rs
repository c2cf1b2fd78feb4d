//! The adapter the app runs on, and the socketioxide handles typed for it: what handler
//! parameters and services name (`SocketRef`, `SocketIo`).

/// The adapter the app runs on. Generated handler code is generic over socketioxide's
/// `Adapter`; the registry instantiates it for this type.
///
/// Without the `redis` feature it is socketioxide's in-memory `LocalAdapter`, exactly what
/// a hand-written socketioxide server uses.
#[cfg(not(feature = "redis"))]
pub type DefaultAdapter = socketioxide::adapter::LocalAdapter;

/// The adapter the app runs on. Generated handler code is generic over socketioxide's
/// `Adapter`; the registry instantiates it for this type.
///
/// With the `redis` feature it is [`ClusterAdapter`](crate::cluster::ClusterAdapter): in
/// memory, or Redis when the app is given a URL, chosen at startup.
#[cfg(feature = "redis")]
pub type DefaultAdapter = crate::cluster::ClusterAdapter;

/// A handle to a connected socket, on the app's adapter.
pub type SocketRef = socketioxide::extract::SocketRef<DefaultAdapter>;

/// The Socket.IO server handle, on the app's adapter: emit to namespaces and rooms from
/// handlers, services and HTTP routes.
pub type SocketIo = socketioxide::SocketIo<DefaultAdapter>;

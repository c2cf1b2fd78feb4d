//! The adapter the app runs on, and the socketioxide handles typed for it: what handler
//! parameters and services name (`SocketRef`, `SocketIo`).

/// The adapter the app's namespaces keep their sockets and rooms in, before the Admin UI's
/// watch: without the `redis` feature socketioxide's in-memory `LocalAdapter`, exactly what
/// a hand-written socketioxide server uses; with it
/// [`ClusterAdapter`](crate::cluster::ClusterAdapter), in memory or Redis, chosen at
/// startup.
#[cfg(not(feature = "redis"))]
pub(crate) type StoreAdapter = socketioxide::adapter::LocalAdapter;

#[cfg(feature = "redis")]
pub(crate) type StoreAdapter = crate::cluster::ClusterAdapter;

/// The adapter the app runs on. Generated handler code is generic over socketioxide's
/// `Adapter`; the registry instantiates it for this type.
///
/// Without the `admin-ui` feature it is socketioxide's in-memory `LocalAdapter` (exactly
/// what a hand-written socketioxide server uses), or with the `redis` feature
/// [`ClusterAdapter`](crate::cluster::ClusterAdapter) (in memory, or Redis when the app is
/// given a URL).
#[cfg(not(feature = "admin-ui"))]
pub type DefaultAdapter = StoreAdapter;

/// The adapter the app runs on. Generated handler code is generic over socketioxide's
/// `Adapter`; the registry instantiates it for this type.
///
/// With the `admin-ui` feature it is the adapter the app would use without it (in memory,
/// or [`ClusterAdapter`](crate::cluster::ClusterAdapter) with `redis`), wrapped in a
/// [`WatchedAdapter`](crate::watched_adapter::WatchedAdapter) that tells the Admin UI what
/// each broadcast sends.
#[cfg(feature = "admin-ui")]
pub type DefaultAdapter = crate::watched_adapter::WatchedAdapter<StoreAdapter>;

/// A handle to a connected socket, on the app's adapter.
pub type SocketRef = socketioxide::extract::SocketRef<DefaultAdapter>;

/// The Socket.IO server handle, on the app's adapter: emit to namespaces and rooms from
/// handlers, services and HTTP routes.
pub type SocketIo = socketioxide::SocketIo<DefaultAdapter>;

//! Several nodes, one set of rooms: the Redis adapter (feature `redis`).
//!
//! With the feature on, every namespace uses [`ClusterAdapter`]. It is the in-memory
//! adapter unless the app is given a Redis URL ([`GatewayApp::redis`](crate::GatewayApp::redis)
//! or `GATEWAY_REDIS_URL`), in which case it is `socketioxide-redis`'s adapter: broadcasts,
//! room joins and leaves, disconnects and `fetch_sockets` reach the sockets of every node
//! that shares the Redis. Gateway code is the same either way.
//!
//! The Redis link is made to degrade, not to fail: socketioxide-redis sends a broadcast to
//! Redis *before* delivering it locally and gives up on the first error, and its stock
//! driver never reconnects. [`ResilientDriver`] (our own, because no published driver
//! does this) therefore:
//! - reconnects with `redis`'s `ConnectionManager`, which also resubscribes the adapter's
//!   channels once Redis is back;
//! - while Redis is unreachable, skips the remote part of every operation instead of
//!   failing it: local broadcasts, joins and room counts keep working on this node alone,
//!   and messages meant for other nodes in that window are dropped (at most once, as with
//!   socket.io's Redis adapter);
//! - probes Redis in the background and resumes cross-node delivery as soon as it answers.
//!
//! Without the feature, only `redact_password` is compiled: the app still shows a Redis
//! URL it was given (to say that the feature is off), without its password.
//!
//! The book covers deployment in `book/src/scaling-and-deployment.md`.

#[cfg(feature = "redis")]
mod adapter;
#[cfg(feature = "redis")]
mod driver;
#[cfg(feature = "redis")]
mod init;
#[cfg(feature = "redis")]
mod state;
mod url;

#[cfg(feature = "redis")]
pub use self::adapter::ClusterAdapter;
#[cfg(feature = "redis")]
pub use self::driver::{RedisError, ResilientDriver};
#[cfg(feature = "redis")]
pub use self::init::ClusterInit;
#[cfg(feature = "redis")]
pub use self::state::ClusterState;
pub(crate) use self::url::redact_password;

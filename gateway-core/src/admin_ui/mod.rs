//! The official Socket.IO Admin UI (<https://admin.socket.io>, `@socket.io/admin-ui`) for
//! any app, feature `admin-ui`: [`AdminUi`] configures the admin namespace that the
//! dashboard connects to, as `instrument(io, {...})` does for a Node server.
//!
//! - `options.rs`: [`AdminUi`], [`AdminAuth`], [`AdminMode`] (the Node package's options);
//! - `login.rs`: basic authentication with a bcrypt hash, and the sessions it hands out;
//! - `namespace.rs`: the admin namespace (login, `config`, `all_sockets`, the actions);
//! - `stats.rs`: `server_stats` every 2 seconds;
//! - `watch.rs`: what every gateway socket does, told to the dashboard in development mode.
//!
//! ```no_run
//! use socketioxide_gateway::GatewayApp;
//! use socketioxide_gateway::admin_ui::{AdminAuth, AdminUi};
//!
//! # async fn run() -> Result<(), socketioxide_gateway::BoxError> {
//! let hash = std::env::var("ADMIN_PASSWORD_HASH")?; // bcrypt, as the Node package takes
//! GatewayApp::new()
//!     .admin_ui(AdminUi::new(AdminAuth::basic("admin", hash)).read_only(true))
//!     .serve("0.0.0.0:3000")
//!     .await
//! # }
//! ```

mod login;
mod namespace;
mod options;
mod stats;
mod watch;

pub use options::{AdminAuth, AdminMode, AdminUi};

pub(crate) use namespace::Instrumented;
pub(crate) use stats::Traffic;

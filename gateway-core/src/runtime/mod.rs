//! The runtime: what happens to an event between the socket and its ack. Built once per app
//! by `GatewayApp::build` (see ARCHITECTURE.md for the path of one event, file by file).
//!
//! - [`table`]: a namespace's handler table and its builder (what generated code calls);
//! - [`socket`]: the glue to socketioxide (connect middleware, the per-socket dispatcher);
//! - [`dispatch`]: one event, routed to its handler;
//! - [`policy`]: rate limits, ordering and the guard loop;
//! - [`handler`]: a handler started (extraction, its task);
//! - [`reply`]: the exactly-one-ack rule;
//! - [`pattern`]: a dynamic namespace's pattern and its parameters;
//! - [`observer`]: what a watcher of every socket (the Admin UI) is told;
//! - [`context`], [`drain`], [`span`], [`queue`]: what those share.
//!
//! Nothing here knows about the app's configuration, its HTTP side or the registry.

pub(crate) mod context;
pub(crate) mod dispatch;
pub(crate) mod drain;
pub(crate) mod handler;
pub(crate) mod observer;
pub(crate) mod pattern;
pub(crate) mod policy;
pub(crate) mod queue;
pub(crate) mod reply;
pub(crate) mod socket;
pub(crate) mod span;
pub(crate) mod table;

pub(crate) use context::AppContext;
pub use table::{ExtractFn, HandlerOptions, NamespaceBuilder};

//! The guide's code. Every Rust snippet of the book (`book/`) is included from compiled
//! code by anchor (`// ANCHOR: name`); the snippets that no other example holds live here,
//! one module per chapter, and `tests/` checks that they do what the book says.
//!
//! Each module's gateways have namespaces of their own, so any of them can be served
//! together. Apps here name their gateways (`GatewayApp::explicit().link::<G>()`).

pub mod clients;
pub mod gateways;
pub mod handlers;
pub mod lifecycle;
pub mod nestjs;
pub mod payloads;
pub mod providers;
pub mod rooms;
pub mod socketioxide_side;

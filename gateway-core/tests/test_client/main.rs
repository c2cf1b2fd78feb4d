//! Tests of the protocol-level `TestClient` against a plain, hand-written socketioxide server.
#![cfg(feature = "testing")]
#![allow(missing_docs, clippy::unwrap_used)]

mod acks;
mod closing;
mod connecting;
mod events;
mod server;

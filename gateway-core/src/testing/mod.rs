//! Testing your gateways over a real socket: start the app on `127.0.0.1:0` with
//! [`TestServer`], talk to it with [`TestClient`], a protocol-level Socket.IO v5 /
//! Engine.IO v4 client over WebSocket.
//!
//! Enable with `socketioxide-gateway = { version = "...", features = ["testing"] }` in
//! `[dev-dependencies]`.
//!
//! [`TestClient`] opens one Engine.IO connection; [`TestClient::namespace`] joins a namespace
//! and returns a [`NsClient`] to emit events, wait for acks and receive the server's events
//! as [`ReceivedEvent`]s. The client speaks the raw protocol (text packets, binary
//! attachments, heartbeats) so that tests exercise exactly what a browser would send.
//! Engine.IO pings are answered in the background.
//!
//! Every wait is bounded by a timeout (5 s by default, see [`TestClientBuilder::timeout`]); a
//! [`TestClientError::Timeout`] says what was being waited for.
//!
//! ```no_run
//! use socketioxide_gateway::testing::{TestClient, TestClientError};
//! use serde_json::json;
//!
//! # async fn demo() -> Result<(), TestClientError> {
//! let client = TestClient::connect("http://127.0.0.1:3000").await?;
//! let mut chat = client.namespace("/chat", Some(json!({ "token": "secret" }))).await?;
//!
//! // Emit with an ack and read its first argument as JSON.
//! let joined = chat.call("join", ("lobby",)).await?;
//! assert_eq!(joined, json!(true));
//!
//! // Emit without an ack, then wait for the broadcast.
//! chat.emit("message", ("lobby", "hello")).await?;
//! let event = chat.recv_event("message").await?;
//! assert_eq!(event.json(0), Some(&json!("hello")));
//!
//! client.close().await;
//! # Ok(())
//! # }
//! ```

mod ack;
mod any_value;
mod args;
mod client;
mod codec;
mod connection;
mod error;
mod inbound;
mod namespace;
mod received;
mod server;
mod transport;

pub use self::ack::AckReply;
pub use self::args::IntoArgs;
pub use self::client::{DEFAULT_TIMEOUT, TestClient, TestClientBuilder};
pub use self::error::TestClientError;
pub use self::namespace::NsClient;
pub use self::received::ReceivedEvent;
pub use self::server::TestServer;
pub use crate::extract::Arg;
/// The JSON the client sends and receives, so tests need no `serde_json` of their own.
pub use serde_json::{Value, json};

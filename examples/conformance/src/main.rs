//! Run with: `cargo run -p example-conformance` (127.0.0.1:3000, path `/socket.io/`), then
//! point the official Socket.IO v5 protocol test suite
//! (<https://github.com/socketio/socket.io-protocol>, `test-suite/`) at it.
//!
//! The settings are the test suite's (`Settings::default()`: 300 ms pings, 200 ms ping
//! timeout, 1 s to join a namespace). `PORT` (3000) picks the port; every setting of the
//! framework's can be overridden from the environment (`GATEWAY_PING_INTERVAL=25s`,
//! `GATEWAY_TRANSPORTS=websocket`, `GATEWAY_HTTP_COMPRESSION=true`, ...: the book's
//! "Configuration" chapter), and a bad value stops the server at startup with a message
//! naming the variable. `RUST_LOG` sets the log filter (`info`).
//!
//! e.g. `PORT=4000 GATEWAY_PING_INTERVAL=25s GATEWAY_PING_TIMEOUT=20s cargo run -p example-conformance`,
//! or `GATEWAY_PARSER=msgpack cargo run -p example-conformance` for the msgpack suites
//! (the example is built with the `msgpack` feature).
//!
//! The protocol it implements is described in the crate docs (`src/lib.rs`).

use example_conformance::{Settings, app_with};
use socketioxide_gateway::BoxError;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let settings = Settings::default();
    let port = match std::env::var("PORT") {
        Ok(port) => port
            .trim()
            .parse()
            .map_err(|_| format!("PORT must be a TCP port (0-65535), got {port:?}"))?,
        Err(_) => settings.port,
    };
    app_with(&settings).serve(("127.0.0.1", port)).await
}

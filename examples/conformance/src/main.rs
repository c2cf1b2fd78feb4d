//! Run with: `cargo run -p example-conformance` (127.0.0.1:3000, path `/socket.io/`), then
//! point the official Socket.IO v5 protocol test suite
//! (<https://github.com/socketio/socket.io-protocol>, `test-suite/`) at it.
//!
//! Environment variables (all optional; the defaults are what the test suite expects):
//!
//! | variable             | default   | meaning                                            |
//! |----------------------|-----------|----------------------------------------------------|
//! | `PORT`               | `3000`    | TCP port on 127.0.0.1                              |
//! | `PING_INTERVAL_MS`   | `300`     | Engine.IO ping interval, milliseconds              |
//! | `PING_TIMEOUT_MS`    | `200`     | Engine.IO ping timeout, milliseconds               |
//! | `MAX_PAYLOAD_BYTES`  | `1000000` | largest accepted message, bytes                    |
//! | `CONNECT_TIMEOUT_MS` | `1000`    | time a client may take to join a namespace, ms     |
//! | `RUST_LOG`           | `info`    | log filter (`tracing_subscriber::EnvFilter`)       |
//!
//! A variable that is set but not a whole number stops the server at startup (exit code 2).
//!
//! e.g. `PORT=4000 PING_INTERVAL_MS=25000 PING_TIMEOUT_MS=20000 cargo run -p example-conformance`.
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
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("example-conformance: {err}");
            std::process::exit(2);
        }
    };
    app_with(&settings)
        .serve(("127.0.0.1", settings.port))
        .await
}

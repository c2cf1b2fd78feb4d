//! Run with: `cargo run -p example-dashboard`, then open http://127.0.0.1:3000
//! (`PORT` changes the port; `SOCKET_IO_CLIENT_DIR=tests/interop/node_modules/socket.io-client/dist`
//! serves the page's Socket.IO client locally instead of from the socket.io CDN).

use socketioxide_gateway::BoxError;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
    example_dashboard::app()
        .serve(format!("127.0.0.1:{port}"))
        .await
}

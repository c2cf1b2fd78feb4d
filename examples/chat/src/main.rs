//! Run with: `cargo run -p example-chat` (listens on 127.0.0.1:3000; set `PORT` to change it).

use socketioxide_gateway::BoxError;

// ANCHOR: main
#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
    example_chat::app().serve(format!("127.0.0.1:{port}")).await
}
// ANCHOR_END: main

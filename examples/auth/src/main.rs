//! Run with: `cargo run -p example-auth` (127.0.0.1:3000; set `PORT`, and `JWT_SECRET` in
//! anything but a demo).

use socketioxide_gateway::BoxError;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let secret = std::env::var("JWT_SECRET").unwrap_or_else(|_| {
        tracing::warn!("JWT_SECRET is not set: using a development secret");
        "dev-secret-change-me".to_owned()
    });
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
    example_auth::app(&secret)
        .serve(format!("127.0.0.1:{port}"))
        .await
}

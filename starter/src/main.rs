//! `cargo run` serves the app on 127.0.0.1:3000 (`PORT` to change it);
//! `cargo run -- --export-contracts contracts` writes `events.ts` and `asyncapi.yaml` for
//! the frontend and exits.

use socketioxide_gateway::prelude::*;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    // `new()` serves every gateway linked into the binary; `link` names those of the
    // library, which the linker would otherwise leave out (nothing in `main` uses them).
    let app = GatewayApp::new().link::<my_gateway_app::EchoGateway>();
    // Before any configuration check of your own (a required secret, say), so exporting
    // the contracts needs nothing but the build.
    if app.export_contracts_if_asked()? {
        return Ok(());
    }
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
    app.serve(format!("127.0.0.1:{port}")).await
}

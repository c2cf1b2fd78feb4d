//! The chapter "Troubleshooting clients".

use socketioxide_gateway::prelude::*;

// ANCHOR: token-guard
/// Lets in only clients whose CONNECT carries `auth: { token: "good" }`.
pub struct TokenGuard;

impl Guard for TokenGuard {
    async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        match cx.auth().and_then(|auth| auth["token"].as_str()) {
            Some("good") => Ok(()),
            _ => Err(WsError::unauthorized("invalid token")),
        }
    }
}

/// A namespace behind the guard.
#[derive(Default)]
pub struct Private;

#[gateway(namespace = "/private")]
#[guard(TokenGuard)]
impl Private {
    #[subscribe("ping")]
    async fn ping(&self) -> String {
        "pong".to_owned()
    }
}
// ANCHOR_END: token-guard

// ANCHOR: origins
/// Browsers on these origins only; other clients (servers, native apps) are unaffected.
pub async fn serve_for_browsers() -> Result<(), BoxError> {
    GatewayApp::explicit()
        .link::<Private>()
        .allowed_origins(["https://app.example.com"])
        .serve("0.0.0.0:3000")
        .await
}
// ANCHOR_END: origins

//! Run with: `cargo run -p example-calc` (then `PORT=4000 cargo run -p example-calc` for another port).
//!
//! `socket.emit("calc:add", 2, 3, (ack) => ...)` acks `{"ok": true, "data": 5}`.

use socketioxide_gateway::prelude::*;

// ANCHOR: gateway
/// A gateway without dependencies: `Default` is enough for the app to build it.
#[derive(Default)]
struct CalcGateway;

#[gateway(namespace = "/")]
impl CalcGateway {
    /// Two positional arguments: `socket.emit("calc:add", 2, 3, ack)`.
    #[subscribe("calc:add")]
    async fn add(&self, a: f64, b: f64) -> f64 {
        a + b
    }
}
// ANCHOR_END: gateway

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt::init();
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
    GatewayApp::new().serve(format!("127.0.0.1:{port}")).await
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use socketioxide_gateway::testing::TestServer;

    use super::*;

    #[tokio::test]
    async fn adds_two_positional_numbers() {
        let server = TestServer::start(GatewayApp::explicit().link::<CalcGateway>())
            .await
            .expect("server starts");
        let socket = server.socket("/").await.expect("connects");
        let ack = socket.call("calc:add", (2, 3.5)).await.expect("acked");
        assert_eq!(ack, json!({"ok": true, "data": 5.5}));
    }
}

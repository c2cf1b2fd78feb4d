//! Settings from the environment (book/src/configuration.md): an app started with
//! `GATEWAY_*` variables set follows them, and a bad value stops its startup naming the
//! variable. figment's `Jail` sets the variables for this test only.

use figment::Jail;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{TestClient, TestServer};

#[derive(Default)]
struct Configured;

#[gateway(namespace = "/configured")]
impl Configured {
    #[subscribe("ping")]
    async fn ping(&self) -> &'static str {
        "pong"
    }
}

fn app() -> GatewayApp {
    // The code's own choice, which the environment overrides.
    GatewayApp::explicit()
        .link::<Configured>()
        .ping_interval(std::time::Duration::from_secs(30))
}

#[test]
#[allow(clippy::result_large_err)] // figment's `Jail` closure returns its (large) error type
fn an_app_follows_the_variables_and_refuses_a_bad_one() {
    Jail::expect_with(|jail| {
        jail.set_env("GATEWAY_PING_INTERVAL", "1234ms");
        jail.set_env("GATEWAY_PING_TIMEOUT", "4s");
        jail.set_env("GATEWAY_TRANSPORTS", "websocket");
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        runtime.block_on(async {
            let server = TestServer::start(app()).await.expect("the app starts");
            let client = TestClient::connect_addr(server.addr())
                .await
                .expect("websocket connects");
            // The Engine.IO handshake carries what the server runs with.
            assert_eq!(client.handshake()["pingInterval"], 1234);
            assert_eq!(client.handshake()["pingTimeout"], 4000);
            let socket = client.namespace("/configured", None).await.expect("joins");
            assert_eq!(socket.call("ping", ()).await.expect("ack")["data"], "pong");
        });

        jail.set_env("GATEWAY_TRANSPORTS", "carrier-pigeon");
        let err = runtime
            .block_on(app().build())
            .err()
            .expect("a bad value stops startup");
        assert_eq!(
            err.to_string(),
            "configuration: GATEWAY_TRANSPORTS: unknown transport `carrier-pigeon`; expected `websocket`, `polling`, or both comma-separated"
        );
        Ok(())
    });
}

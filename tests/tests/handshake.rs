//! The handshake request a socket keeps (`socket.req_parts()`, what guards read with
//! `cx.header` and `cx.cookie`): the app copies its URI and headers out of hyper's read
//! buffer before Socket.IO keeps them (app/owned_head.rs), so an idle connection no
//! longer pins that buffer. The copy is the request as sent: path and query, every
//! header, several values of one header in order, custom names, and what a guard reads.

use serde_json::{Value, json};
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{TestClient, TestServer};

#[derive(Default)]
struct Echo;

/// Refuses a connection without the `x-team` header.
struct TeamGuard;

impl Guard for TeamGuard {
    async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        match (cx.header("x-team"), cx.cookie("seat")) {
            (Some("blue"), Some("12")) => Ok(()),
            _ => Err(WsError::forbidden("blue team, seat 12 only")),
        }
    }
}

#[gateway(namespace = "/echo")]
#[guard(TeamGuard)]
impl Echo {
    /// The handshake as the socket kept it.
    #[subscribe("handshake")]
    async fn handshake(&self, socket: SocketRef) -> Value {
        let parts = socket.req_parts();
        let all = |name: &str| -> Vec<&str> {
            parts
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect()
        };
        json!({
            "path": parts.uri.path(),
            "query": parts.uri.query(),
            "x-tag": all("x-tag"),
            "x-custom-header-name": all("x-custom-header-name"),
            "cookie": all("cookie"),
        })
    }
}

#[tokio::test]
async fn the_kept_handshake_is_the_request_as_sent() {
    let server = TestServer::start(GatewayApp::explicit().link::<Echo>())
        .await
        .expect("server starts");
    let client = TestClient::builder(&server.url())
        .header("x-team", "blue")
        .header("x-tag", "first")
        .header("x-tag", "second")
        .header("x-custom-header-name", "kept")
        .header("cookie", "theme=dark; seat=12")
        .query("room", "lobby")
        .connect()
        .await
        .expect("connects");
    let socket = client
        .namespace("/echo", None)
        .await
        .expect("the guard admits it");
    let seen = socket.call("handshake", ()).await.expect("ack");
    let data = &seen["data"];
    assert_eq!(data["path"], "/socket.io/");
    let query = data["query"].as_str().expect("a query");
    assert!(
        query.contains("room=lobby") && query.contains("EIO=4"),
        "{query}"
    );
    assert_eq!(data["x-tag"], json!(["first", "second"]));
    assert_eq!(data["x-custom-header-name"], json!(["kept"]));
    assert_eq!(data["cookie"], json!(["theme=dark; seat=12"]));

    // The guard reads the same copy: without the header it refuses.
    let refused = TestClient::builder(&server.url())
        .header("cookie", "seat=12")
        .connect()
        .await
        .expect("connects")
        .namespace("/echo", None)
        .await;
    assert!(refused.is_err(), "refused without `x-team`");
}

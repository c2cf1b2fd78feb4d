//! `#[fallback]`: one method of a gateway receives the events no handler of its namespace
//! claims, with their name and raw arguments, and its return value is their ack; without
//! one, unknown events keep their `not_found` ack; two in one namespace fail startup.

use serde_json::json;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::TestServer;
use socketioxide_gateway::{Args, EventName};

// ANCHOR: fallback
#[derive(Default)]
struct CatchAll;

#[gateway(namespace = "/any")]
impl CatchAll {
    #[subscribe("known")]
    async fn known(&self) -> &'static str {
        "the known handler"
    }

    /// Everything else: acks what it got.
    #[fallback]
    async fn anything(
        &self,
        EventName(name): EventName,
        args: Args,
    ) -> Result<serde_json::Value, WsError> {
        if name == "forbidden-thing" {
            return Err(WsError::forbidden("not that"));
        }
        let args: Vec<_> = args
            .into_inner()
            .into_iter()
            .filter_map(|a| a.into_json())
            .collect();
        Ok(json!({ "event": name, "args": args }))
    }
}
// ANCHOR_END: fallback

#[derive(Default)]
struct Plain;

#[gateway(namespace = "/plain")]
impl Plain {
    #[subscribe("known")]
    async fn known(&self) {}
}

#[tokio::test]
async fn unknown_events_reach_the_fallback_with_their_name_and_arguments() {
    let server = TestServer::start(GatewayApp::explicit().link::<CatchAll>().link::<Plain>())
        .await
        .expect("server starts");
    let socket = server.socket("/any").await.expect("connects");

    let ack = socket.call("whatever", (1, "two")).await.expect("ack");
    assert_eq!(
        ack,
        json!({"ok": true, "data": {"event": "whatever", "args": [1, "two"]}})
    );
    // A known event still goes to its own handler.
    let ack = socket.call("known", ()).await.expect("ack");
    assert_eq!(ack["data"], "the known handler");
    // The fallback's errors are acks like any handler's.
    let ack = socket.call("forbidden-thing", ()).await.expect("ack");
    assert_eq!(ack["error"]["code"], "forbidden");

    // A namespace without a fallback answers `not_found`, as before.
    let plain = server.socket("/plain").await.expect("connects");
    let ack = plain.call("whatever", ()).await.expect("ack");
    assert_eq!(ack["error"]["code"], "not_found");
}

#[derive(Default)]
struct AnotherCatchAll;

#[gateway(namespace = "/any")]
impl AnotherCatchAll {
    #[fallback]
    async fn other(&self) {}
}

#[tokio::test]
async fn two_fallbacks_on_one_namespace_fail_startup_naming_both() {
    let err = GatewayApp::explicit()
        .link::<CatchAll>()
        .link::<AnotherCatchAll>()
        .build()
        .await
        .err()
        .expect("startup fails");
    let message = err.to_string();
    assert!(
        message.contains("namespace `/any` has two `#[fallback]` handlers: "),
        "{message}"
    );
    for gateway in [
        "`CatchAll` at tests/tests/fallback.rs:",
        "`AnotherCatchAll` at tests/tests/fallback.rs:",
    ] {
        assert!(message.contains(gateway), "{message}");
    }
}

//! The crate's gateway over a real socket: payloads decoded, acks and server events encoded
//! and schemas exported, all by the prelude's derives, in a crate without serde.

use one_dependency::BoardGateway;
use socketioxide_gateway::GatewayApp;
use socketioxide_gateway::testing::{TestServer, json};

async fn board() -> (TestServer, socketioxide_gateway::testing::NsClient) {
    let server = TestServer::start(GatewayApp::explicit().link::<BoardGateway>())
        .await
        .expect("the app starts");
    let socket = server.socket("/board").await.expect("connects");
    (server, socket)
}

#[tokio::test]
async fn a_payload_decodes_with_serdes_attributes_and_the_ack_and_event_encode() {
    let (_server, mut socket) = board().await;
    let ack = socket
        .call(
            "post",
            json!({"roomId": "r1", "body": "hi", "pinned": true}),
        )
        .await
        .expect("acked");
    assert_eq!(
        ack,
        json!({"ok": true, "data": {"roomId": "r1", "body": "📌 hi"}})
    );
    let posted = socket.recv_event("posted").await.expect("the server event");
    assert_eq!(
        posted.json(0),
        Some(&json!({"roomId": "r1", "body": "📌 hi"}))
    );

    // `#[serde(default)]`: `pinned` may be left out.
    let ack = socket
        .call("post", json!({"roomId": "r1", "body": "plain"}))
        .await
        .expect("acked");
    assert_eq!(ack["data"]["body"], json!("plain"));
}

#[tokio::test]
async fn a_bad_payload_gets_serdes_own_message() {
    let (_server, socket) = board().await;
    // `deny_unknown_fields` and the camelCase names hold: `room_id` is unknown.
    let ack = socket
        .call("post", json!({"room_id": "r1", "body": "hi"}))
        .await
        .expect("acked");
    assert_eq!(ack["ok"], json!(false));
    assert_eq!(ack["error"]["code"], json!("bad_payload"));
    let message = ack["error"]["message"].as_str().expect("a message");
    assert!(
        message.contains("unknown field, expected one of `roomId`, `body`, `pinned`"),
        "{message}"
    );

    let ack = socket.call("post", json!(3)).await.expect("acked");
    let message = ack["error"]["message"].as_str().expect("a message");
    assert!(message.contains("expected struct Post"), "{message}");
}

#[tokio::test]
async fn enums_recursive_generic_and_newtype_types_round_trip() {
    let (_server, socket) = board().await;
    let shape = json!({"kind": "square", "side": 2.0});
    let ack = socket.call("shape", shape.clone()).await.expect("acked");
    assert_eq!(ack, json!({"ok": true, "data": shape}));

    let tree = json!({
        "label": "root",
        "children": [{"label": "a", "children": [], "first": null}],
        "first": {"label": "b", "children": [], "first": null},
    });
    let ack = socket.call("tree", tree.clone()).await.expect("acked");
    assert_eq!(ack, json!({"ok": true, "data": tree}));

    let ack = socket
        .call("page", json!({"items": [1, 2, 3]}))
        .await
        .expect("acked");
    // `skip_serializing_if`: no `next` key at all.
    assert_eq!(ack, json!({"ok": true, "data": {"items": [2, 4, 6]}}));

    let ack = socket
        .call("meters", json!({"items": [1.5, 2.0]}))
        .await
        .expect("acked");
    assert_eq!(ack, json!({"ok": true, "data": 3.5}));
}

#[test]
fn the_contracts_carry_the_schemas_with_their_docs() {
    let contracts = GatewayApp::explicit().link::<BoardGateway>().contracts();
    let ts = contracts.typescript();
    // The payload's schema: camelCase names, the optional default, the doc comments.
    assert!(ts.contains("roomId: string"), "{ts}");
    assert!(ts.contains("pinned?: boolean"), "{ts}");
    assert!(ts.contains("The room to post in."), "{ts}");
    // The tagged enum and the server event.
    assert!(ts.contains(r#"kind: "square""#), "{ts}");
    assert!(ts.contains(r#""posted""#), "{ts}");
    let yaml = contracts.asyncapi();
    assert!(yaml.contains("Tree"), "{yaml}");
}

#[test]
fn types_local_to_a_function_tuple_unit_and_defaulted_types_derive_too() {
    use socketioxide_gateway::prelude::*;

    /// Local to this function, where no module path reaches it.
    #[derive(Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
    #[serde(default)]
    struct Local {
        name: String,
        count: u32,
    }
    impl Default for Local {
        fn default() -> Self {
            Self {
                name: "nobody".to_owned(),
                count: 7,
            }
        }
    }
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Pair(u8, String);
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Unit;

    let local = Local::deserialize(json!({"name": "ada"})).expect("decodes");
    // The container default fills what is missing, from the type's own `Default`.
    assert_eq!(
        local,
        Local {
            name: "ada".to_owned(),
            count: 7
        }
    );
    let pair = Pair::deserialize(json!([1, "a"])).expect("decodes");
    assert_eq!(pair, Pair(1, "a".to_owned()));
    assert_eq!(Unit::deserialize(json!(null)).expect("decodes"), Unit);
    let err = Pair::deserialize(json!({})).expect_err("a map is no pair");
    assert!(err.to_string().contains("tuple struct Pair"), "{err}");
}

//! The app's gateway over a real socket: `TestServer` starts the app on 127.0.0.1 with a
//! free port, and the test client speaks the Socket.IO protocol as `socket.io-client` does.

use my_gateway_app::EchoGateway;
use socketioxide_gateway::GatewayApp;
use socketioxide_gateway::testing::{TestServer, json};

#[tokio::test]
async fn say_is_acked_and_broadcast_to_the_others() {
    // `explicit()` serves only the gateways linked here, so each test picks what it needs.
    let server = TestServer::start(GatewayApp::explicit().link::<EchoGateway>())
        .await
        .expect("the app starts");
    let alice = server.socket("/echo").await.expect("alice connects");
    let mut bob = server.socket("/echo").await.expect("bob connects");

    let ack = alice
        .call("say", json!({"text": "hi"}))
        .await
        .expect("acked");
    assert_eq!(ack, json!({"ok": true, "data": "you said hi"}));

    let said = bob.recv_event("said").await.expect("bob hears it");
    assert_eq!(
        said.json(0),
        Some(&json!({"from": alice.sid().expect("connected"), "text": "hi"}))
    );
}

#[tokio::test]
async fn an_empty_message_is_refused_before_the_handler() {
    let server = TestServer::start(GatewayApp::explicit().link::<EchoGateway>())
        .await
        .expect("the app starts");
    let socket = server.socket("/echo").await.expect("connects");

    let ack = socket
        .call("say", json!({"text": ""}))
        .await
        .expect("acked");
    assert_eq!(ack["ok"], json!(false));
    assert_eq!(ack["error"]["code"], json!("validation_failed"));
}

//! The chapter "Testing your gateways": each test below is shown in the book.

use std::sync::Arc;
use std::time::Duration;

use example_guide::providers::{Clock, TicketsGateway};
use serde_json::json;
use socketioxide_gateway::GatewayApp;
use socketioxide_gateway::testing::{TestClient, TestClientError, TestServer};

// ANCHOR: first-test
#[tokio::test]
async fn greet_acks_a_greeting() {
    // The app, served on a free port of 127.0.0.1 for this test.
    let server = TestServer::start(example_guide::gateways::app())
        .await
        .expect("the app starts");
    // A socket on the namespace, as socket.io-client would open it.
    let greeter = server.socket("/greeter").await.expect("connects");

    let ack = greeter.call("greet", "Ada").await.expect("an ack");

    assert_eq!(ack, json!({"ok": true, "data": "Hello, Ada!"}));
}
// ANCHOR_END: first-test

// ANCHOR: errors-test
#[tokio::test]
async fn a_payload_of_the_wrong_type_is_refused() {
    let server = TestServer::start(example_guide::gateways::app())
        .await
        .expect("the app starts");
    let greeter = server.socket("/greeter").await.expect("connects");

    let ack = greeter.call("greet", 42).await.expect("an ack");

    assert_eq!(ack["ok"], false);
    assert_eq!(ack["error"]["code"], "bad_payload");
}
// ANCHOR_END: errors-test

// ANCHOR: events-test
#[tokio::test]
async fn joining_a_room_tells_the_others_only() {
    let server = TestServer::start(example_guide::rooms::app())
        .await
        .expect("the app starts");
    let mut ada = server.socket("/rooms").await.expect("connects");
    let bob = server.socket("/rooms").await.expect("connects");
    let mut eve = server.socket("/rooms").await.expect("connects");
    ada.call("join-room", "tea").await.expect("acked");

    let ack = bob.call("join-room", "tea").await.expect("acked");
    assert_eq!(ack["data"], json!({"room": "tea", "members": 2}));

    // Ada, in the room, hears of it: the event, with its arguments.
    let joined = ada.recv_event("user-joined").await.expect("an event");
    assert_eq!(joined.json(0), Some(&json!(bob.sid().expect("connected"))));
    // Eve, who is not in the room, hears nothing.
    eve.expect_silence(Duration::from_millis(200))
        .await
        .expect("no event for Eve");
}
// ANCHOR_END: events-test

// ANCHOR: server-ack-test
#[tokio::test]
async fn the_server_can_ask_a_client() {
    let server = TestServer::start(example_guide::rooms::app())
        .await
        .expect("the app starts");
    let mut socket = server.socket("/rooms").await.expect("connects");
    let sid = socket
        .sid()
        .expect("connected")
        .parse()
        .expect("a socket id");

    // The server asks (in a task of its own, as a service would)...
    let notifier = example_guide::rooms::Notifier::new(server.io().clone());
    let asking = tokio::spawn(async move { notifier.ask(sid, "ready?").await });
    // ...the client gets the question and answers it with an ack...
    let question = socket.recv_event("question").await.expect("asked");
    assert_eq!(question.json(0), Some(&json!("ready?")));
    question.ack("yes").await.expect("answered");
    // ...and the server has its answer.
    assert_eq!(asking.await.expect("no panic").as_deref(), Some("yes"));
}
// ANCHOR_END: server-ack-test

// ANCHOR: fake-dependency
/// A clock that always says the same time.
struct FixedClock(u64);

impl Clock for FixedClock {
    fn now_ms(&self) -> u64 {
        self.0
    }
}

#[tokio::test]
async fn tickets_are_numbered_and_stamped_by_the_clock() {
    let clock: Arc<dyn Clock> = Arc::new(FixedClock(1_700_000_000_000));
    let server = TestServer::start(example_guide::providers::app(clock))
        .await
        .expect("the app starts");
    let desk = server.socket("/tickets").await.expect("connects");

    let first = desk.call("take-ticket", ()).await.expect("acked");
    let second = desk.call("take-ticket", ()).await.expect("acked");

    assert_eq!(
        first["data"],
        json!({"number": 1, "issuedAtMs": 1_700_000_000_000_u64})
    );
    assert_eq!(second["data"]["number"], 2);
}
// ANCHOR_END: fake-dependency

// ANCHOR: guard-test
#[tokio::test]
async fn the_private_namespace_wants_a_token() {
    let app = GatewayApp::explicit().link::<example_guide::clients::Private>();
    let server = TestServer::start(app).await.expect("the app starts");

    // The CONNECT auth payload is the second argument of `namespace`.
    let client = server.client().await.expect("an Engine.IO connection");
    let refused = client
        .namespace("/private", Some(json!({"token": "bad"})))
        .await;
    assert!(
        matches!(&refused, Err(TestClientError::ConnectRefused { message }) if message == "invalid token"),
        "{refused:?}"
    );

    let private = client
        .namespace("/private", Some(json!({"token": "good"})))
        .await
        .expect("let in");
    let ack = private.call("ping", ()).await.expect("acked");
    assert_eq!(ack["data"], "pong");
}
// ANCHOR_END: guard-test

// ANCHOR: emit-from-test
#[tokio::test]
async fn the_notifier_reaches_a_room() {
    let server = TestServer::start(example_guide::rooms::app())
        .await
        .expect("the app starts");
    let mut socket = server.socket("/rooms").await.expect("connects");
    socket.call("join-room", "ops").await.expect("acked");

    // The server's `SocketIo` handle, as a service would hold it.
    let notifier = example_guide::rooms::Notifier::new(server.io().clone());
    notifier
        .notify("ops", "disk almost full")
        .await
        .expect("sent");

    let event = socket.recv_event("notification").await.expect("an event");
    assert_eq!(event.json(0), Some(&json!("disk almost full")));
}
// ANCHOR_END: emit-from-test

// ANCHOR: missing-provider
#[tokio::test]
async fn a_missing_provider_fails_at_startup() {
    let app = GatewayApp::explicit().link::<TicketsGateway>();

    let err = TestServer::start(app).await.expect_err("no providers");

    assert!(
        err.to_string()
            .contains("gateway `TicketsGateway` (examples/guide/src/providers.rs:"),
        "{err}"
    );
    assert!(err.to_string().contains("no provider for `"), "{err}");
}
// ANCHOR_END: missing-provider

// ANCHOR: builder
#[tokio::test]
async fn a_client_with_a_header_and_a_short_timeout() {
    let clock: Arc<dyn Clock> = Arc::new(FixedClock(0));
    let server = TestServer::start(example_guide::providers::app(clock))
        .await
        .expect("the app starts");
    let client = TestClient::builder(&server.url())
        .header("authorization", "Bearer a-token")
        .timeout(Duration::from_secs(1))
        .connect()
        .await
        .expect("connects");
    let desk = client.namespace("/tickets", None).await.expect("joins");

    let ack = desk.call("settings", ()).await.expect("acked");

    assert_eq!(ack["data"]["deskName"], "Front desk");
}
// ANCHOR_END: builder

// ANCHOR: per-socket-test
#[tokio::test]
async fn each_connection_reads_the_feed_at_its_own_pace() {
    let server = TestServer::start(example_guide::providers::feed_app())
        .await
        .expect("the app starts");
    let join = |name: &'static str| {
        let addr = server.addr();
        async move {
            let client = TestClient::connect_addr(addr).await.expect("connects");
            client
                .namespace("/feed", Some(json!({ "name": name })))
                .await
                .expect("joins /feed")
        }
    };
    let ada = join("Ada").await;
    let bob = join("Bob").await;

    assert_eq!(
        ada.call("next", ()).await.expect("ack")["data"],
        "item 1 for Ada"
    );
    assert_eq!(
        ada.call("next", ()).await.expect("ack")["data"],
        "item 2 for Ada"
    );
    assert_eq!(
        bob.call("next", ()).await.expect("ack")["data"],
        "item 1 for Bob"
    );

    // No auth payload, no cursor: the connection is refused with the decode error.
    let anonymous = TestClient::connect_addr(server.addr())
        .await
        .expect("connects");
    match anonymous.namespace("/feed", None).await {
        Err(TestClientError::ConnectRefused { message }) => {
            assert!(message.contains("missing field `name`"), "{message}");
        }
        other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
    }
}
// ANCHOR_END: per-socket-test

//! `emit_event` (book/src/server-events.md): whatever a payload's shape, clients get the
//! event's name and the payload as its one argument, the shape the contracts declare, to
//! one socket and in a broadcast. socketioxide alone writes a newtype struct without the
//! event name (a packet clients refuse) and spreads a tuple struct into several
//! arguments.

use serde_json::json;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{Arg, TestServer};

/// A newtype.
#[derive(Serialize, JsonSchema, ServerEvent)]
#[event("joined")]
struct Joined(String);

/// A tuple struct: one argument, an array.
#[derive(Serialize, JsonSchema, ServerEvent)]
#[event("score")]
struct Score(String, u32);

/// A struct with named fields.
#[derive(Serialize, JsonSchema, ServerEvent)]
#[event("said")]
struct Said {
    text: String,
}

#[derive(Default)]
struct Room;

#[gateway(namespace = "/room", emits(Joined, Score, Said))]
impl Room {
    /// Each shape to the sender, then each to the namespace.
    #[subscribe("go")]
    async fn go(&self, socket: SocketRef, io: Inject<SocketIo>) {
        socket.emit_event(&Joined("ann".into())).ok();
        socket.emit_event(&Score("ann".into(), 3)).ok();
        socket.emit_event(&Said { text: "hi".into() }).ok();
        let room = || io.of("/room").expect("served");
        room().emit_event(&Joined("bob".into())).await.ok();
        room().emit_event(&Score("bob".into(), 4)).await.ok();
        io.emit_event(&Said { text: "all".into() }).await.ok();
    }
}

#[tokio::test]
async fn every_payload_shape_is_the_events_one_argument() {
    let server = TestServer::start(GatewayApp::explicit().link::<Room>())
        .await
        .expect("server starts");
    let mut socket = server.socket("/room").await.expect("connects");
    socket.emit("go", ()).await.expect("sent");
    let expected = [
        ("joined", json!("ann")),
        ("score", json!(["ann", 3])),
        ("said", json!({ "text": "hi" })),
        ("joined", json!("bob")),
        ("score", json!(["bob", 4])),
    ];
    for (event, arg) in expected {
        let got = socket.recv().await.expect("an event");
        assert_eq!(got.event, event);
        assert_eq!(got.args, vec![Arg::Json(arg)], "`{event}`");
    }
    // `io.emit_event` broadcasts on the main namespace: not this one.
    socket
        .expect_silence(std::time::Duration::from_millis(200))
        .await
        .expect("nothing else on /room");
    assert!(
        socket.closed_reason().is_none(),
        "the socket stays connected"
    );
}

//! Providers scoped to one socket (`GatewayApp::provide_per_socket`): built when the socket
//! connects, from its auth and the app-wide providers; injected into its handlers and
//! hooks, its own value and no other socket's; dropped when it disconnects; and a build
//! that fails refuses the connection with its message.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{TestClient, TestClientError, TestServer};
use socketioxide_gateway::{DefaultAdapter, Parts};

/// Counts the sessions alive: each one built adds one, each one dropped takes one away.
#[derive(Clone, Default)]
struct Live(Arc<AtomicUsize>);

/// One connection's session: who it is (from the CONNECT's auth) and what it has seen.
#[derive(Clone)]
struct Session {
    user: String,
    seen: Arc<Mutex<Vec<String>>>,
    _alive: Arc<Alive>,
}

/// Decrements the live count when the session's last clone goes.
struct Alive(Live);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[derive(serde::Deserialize)]
struct Login {
    user: String,
}

impl Session {
    fn build(parts: &mut Parts<'_, DefaultAdapter>) -> Result<Self, WsError> {
        let login: Login = parts.auth()?;
        if login.user == "mallory" {
            return Err(WsError::forbidden("no session for you"));
        }
        if login.user == "panic" {
            panic!("the session store is down");
        }
        let live = parts
            .providers()
            .get::<Live>()
            .map_err(|_| WsError::internal())?;
        live.0.fetch_add(1, Ordering::SeqCst);
        Ok(Self {
            user: login.user,
            seen: Arc::default(),
            _alive: Arc::new(Alive(live)),
        })
    }
}

#[derive(Default)]
struct SessionGateway;

#[gateway(namespace = "/session")]
impl SessionGateway {
    #[on_connect]
    async fn greet(&self, socket: SocketRef, Inject(session): Inject<Session>) {
        session
            .seen
            .lock()
            .expect("lock")
            .push("connect".to_owned());
        socket.emit("hello", &session.user).ok();
    }

    /// Appends to this connection's list and acks all of it.
    #[subscribe("see")]
    async fn see(&self, Inject(session): Inject<Session>, what: String) -> Vec<String> {
        let mut seen = session.seen.lock().expect("lock");
        seen.push(what);
        seen.clone()
    }

    #[subscribe("whoami")]
    async fn whoami(&self, Inject(session): Inject<Session>) -> String {
        session.user
    }
}

async fn server(live: &Live) -> TestServer {
    TestServer::start(
        GatewayApp::explicit()
            .link::<SessionGateway>()
            .provide(live.clone())
            .provide_per_socket(Session::build),
    )
    .await
    .expect("server starts")
}

async fn connect(
    server: &TestServer,
    user: &str,
) -> Result<socketioxide_gateway::testing::NsClient, TestClientError> {
    let client = TestClient::connect_addr(server.addr()).await?;
    client
        .namespace("/session", Some(json!({ "user": user })))
        .await
}

#[tokio::test]
async fn each_socket_gets_its_own_value_built_at_connect() {
    let live = Live::default();
    let server = server(&live).await;
    let mut ada = connect(&server, "ada").await.expect("ada connects");
    let bob = connect(&server, "bob").await.expect("bob connects");
    assert_eq!(live.0.load(Ordering::SeqCst), 2, "one session per socket");

    // The connect hook saw it too.
    let hello = ada.recv_event("hello").await.expect("greeted");
    assert_eq!(hello.json(0), Some(&json!("ada")));

    assert_eq!(
        ada.call("whoami", ()).await.expect("ack")["data"],
        json!("ada")
    );
    assert_eq!(
        bob.call("whoami", ()).await.expect("ack")["data"],
        json!("bob")
    );
    ada.call("see", "a1").await.expect("ack");
    let ack = ada.call("see", "a2").await.expect("ack");
    // State kept across events of one socket, starting with what the connect hook saw.
    assert_eq!(ack["data"], json!(["connect", "a1", "a2"]));
    let ack = bob.call("see", "b1").await.expect("ack");
    assert_eq!(ack["data"], json!(["connect", "b1"]), "bob's is his own");
}

#[tokio::test]
async fn the_value_is_dropped_when_its_socket_disconnects() {
    let live = Live::default();
    let server = server(&live).await;
    let ada = connect(&server, "ada").await.expect("ada connects");
    let bob = connect(&server, "bob").await.expect("bob connects");
    assert_eq!(live.0.load(Ordering::SeqCst), 2);

    ada.disconnect().await.expect("disconnects");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while live.0.load(Ordering::SeqCst) != 1 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "ada's session was not dropped: {} alive",
            live.0.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Bob's is untouched.
    assert_eq!(
        bob.call("whoami", ()).await.expect("ack")["data"],
        json!("bob")
    );
}

#[tokio::test]
async fn a_build_that_fails_refuses_the_connection_with_its_message() {
    let live = Live::default();
    let server = server(&live).await;
    for (user, expected) in [
        ("mallory", "no session for you"),
        ("panic", "internal server error"),
    ] {
        match connect(&server, user).await {
            Err(TestClientError::ConnectRefused { message }) => assert_eq!(message, expected),
            other => panic!("{user}: expected a refusal, got {:?}", other.map(|_| ())),
        }
    }
    // Without an auth payload the `Auth` extractor fails: refused, not connected.
    let client = TestClient::connect_addr(server.addr())
        .await
        .expect("engine.io connects");
    match client.namespace("/session", None).await {
        Err(TestClientError::ConnectRefused { .. }) => {}
        other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
    }
    assert_eq!(live.0.load(Ordering::SeqCst), 0, "nothing was built");
    // The server still serves others.
    let ada = connect(&server, "ada").await.expect("ada connects");
    assert_eq!(
        ada.call("whoami", ()).await.expect("ack")["data"],
        json!("ada")
    );
}

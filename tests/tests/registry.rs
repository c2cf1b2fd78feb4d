//! Registration (ARCHITECTURE.md, "Invariants"), dependencies and lifecycle, over real sockets.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::TestServer;
use socketioxide_gateway::{Inject, StartupError};

// ---- two gateways on one namespace ----

#[derive(Default)]
struct RoomsGateway;

#[gateway(namespace = "/shared")]
impl RoomsGateway {
    #[subscribe("join")]
    async fn join(&self, socket: SocketRef, room: String) -> Vec<String> {
        socket.join(room);
        socket.rooms().into_iter().map(|r| r.to_string()).collect()
    }
}

#[derive(Default)]
struct PingGateway;

#[gateway(namespace = "/shared")]
impl PingGateway {
    #[on_connect]
    async fn hello(&self, socket: SocketRef) {
        socket.emit("welcome", "from PingGateway").ok();
    }

    #[subscribe("ping")]
    async fn ping(&self) -> &'static str {
        "pong"
    }
}

#[tokio::test]
async fn gateways_sharing_a_namespace_are_merged() {
    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<RoomsGateway>()
            .link::<PingGateway>(),
    )
    .await
    .expect("server starts");
    let mut socket = server.socket("/shared").await.expect("connects");
    let welcome = socket.recv_event("welcome").await.expect("on_connect ran");
    assert_eq!(welcome.json(0), Some(&json!("from PingGateway")));
    assert_eq!(
        socket.call("ping", ()).await.expect("ack"),
        json!({"ok": true, "data": "pong"})
    );
    assert_eq!(
        socket.call("join", "r1").await.expect("ack")["data"],
        json!(["r1"])
    );
}

// ---- duplicates ----

#[derive(Default)]
struct DupA;

#[gateway(namespace = "/dup")]
impl DupA {
    #[subscribe("same")]
    async fn same(&self) {}
}

#[derive(Default)]
struct DupB;

#[gateway(namespace = "/dup")]
impl DupB {
    #[subscribe("same")]
    async fn also_same(&self) {}
}

/// The 1-based lines of this file containing `needle`.
fn lines_of(needle: &str) -> Vec<usize> {
    include_str!("registry.rs")
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim() == needle)
        .map(|(i, _)| i + 1)
        .collect()
}

#[tokio::test]
async fn a_duplicate_event_fails_startup_naming_both_locations() {
    let result = GatewayApp::explicit()
        .link::<DupA>()
        .link::<DupB>()
        .build()
        .await;
    let Err(err @ StartupError::DuplicateEvents(_)) = result else {
        panic!("expected a duplicate-event error");
    };
    let message = err.to_string();
    let lines = lines_of("#[subscribe(\"same\")]");
    assert_eq!(lines.len(), 2);
    assert!(
        message.contains("event `same` on namespace `/dup` has two handlers"),
        "{message}"
    );
    for (gateway, line) in ["DupA", "DupB"].iter().zip(&lines) {
        let location = format!("`{gateway}` at tests/tests/registry.rs:{line}:");
        assert!(
            message.contains(&location),
            "{location} missing from: {message}"
        );
    }
}

#[tokio::test]
async fn an_empty_registry_explains_the_linker_pitfall() {
    let err = GatewayApp::explicit().build().await.err().expect("fails");
    assert!(matches!(err, StartupError::EmptyRegistry));
    let message = err.to_string();
    assert!(message.contains("no gateway is registered"), "{message}");
    assert!(
        message.contains("GatewayApp::new().link::<my_crate::ChatGateway>()"),
        "{message}"
    );
}

// ---- a gateway from a library crate ----

#[tokio::test]
async fn a_library_crates_gateway_is_pulled_in_with_link() {
    let server = TestServer::start(GatewayApp::explicit().link::<fixture_gateways::LibGateway>())
        .await
        .expect("server starts");
    let socket = server.socket("/lib").await.expect("connects");
    assert_eq!(
        socket.call("lib:whoami", ()).await.expect("ack"),
        json!({"ok": true, "data": "fixture-gateways"})
    );
    assert_eq!(
        socket.call("lib:add", (i64::MAX, 1)).await.expect("ack"),
        json!({"ok": false, "error": {"code": "overflow", "message": "the sum does not fit in an i64"}})
    );
}

// ---- no race between connect and the first event ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_sent_right_after_connect_is_handled() {
    let server = TestServer::start(GatewayApp::explicit().link::<PingGateway>())
        .await
        .expect("server starts");
    // The client emits the moment it reads the server's CONNECT, like socket.io-client
    // flushing its buffer on `connect`. Handlers are installed in the connect middleware,
    // before that CONNECT is sent, so none of these may be lost.
    for _ in 0..100 {
        let socket = server.socket("/shared").await.expect("connects");
        assert_eq!(
            socket.call("ping", ()).await.expect("ack")["data"],
            json!("pong")
        );
    }
}

// ---- dependencies ----

#[derive(Debug, Default)]
struct Counter(AtomicUsize);

#[derive(Debug, Default)]
struct Journal(Mutex<Vec<String>>);

impl Journal {
    fn push(&self, entry: impl Into<String>) {
        self.0.lock().expect("journal lock").push(entry.into());
    }
    fn entries(&self) -> Vec<String> {
        self.0.lock().expect("journal lock").clone()
    }
}

#[derive(Injectable)]
struct CountingGateway {
    counter: Arc<Counter>,
    journal: Arc<Journal>,
}

#[gateway(namespace = "/count")]
impl CountingGateway {
    #[on_init]
    async fn init(&self, io: SocketIo, Inject(journal): Inject<Arc<Journal>>) {
        journal.push(format!("init, {} namespaces", io.nsps().len()));
    }

    #[on_connect]
    async fn connected(&self, socket: SocketRef) {
        self.journal.push(format!("connect {}", socket.ns()));
    }

    #[subscribe("hit")]
    async fn hit(&self, Inject(label): Inject<String>) -> String {
        let n = self.counter.0.fetch_add(1, Ordering::SeqCst) + 1;
        format!("{label} {n}")
    }

    #[on_disconnect]
    async fn left(&self, reason: DisconnectReason) {
        self.journal.push(format!("disconnect {reason:?}"));
    }
}

#[tokio::test]
async fn gateways_are_built_from_providers_and_hooks_run() {
    let counter = Arc::new(Counter::default());
    let journal = Arc::new(Journal::default());
    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<CountingGateway>()
            .provide(counter.clone())
            .provide(journal.clone())
            .provide(String::from("hit")),
    )
    .await
    .expect("server starts");
    let socket = server.socket("/count").await.expect("connects");
    assert_eq!(
        socket.call("hit", ()).await.expect("ack")["data"],
        json!("hit 1")
    );
    assert_eq!(
        socket.call("hit", ()).await.expect("ack")["data"],
        json!("hit 2")
    );
    assert_eq!(counter.0.load(Ordering::SeqCst), 2);
    socket.disconnect().await.expect("disconnects");
    wait_until(|| journal.entries().len() == 3).await;
    assert_eq!(
        journal.entries(),
        [
            "init, 1 namespaces",
            "connect /count",
            "disconnect ClientNSDisconnect"
        ]
    );
}

async fn wait_until(mut condition: impl FnMut() -> bool) {
    for _ in 0..200 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("condition not met within 2 s");
}

#[tokio::test]
async fn a_missing_provider_fails_startup_with_the_type_and_the_gateway() {
    let err = GatewayApp::explicit()
        .link::<CountingGateway>()
        .provide(Arc::new(Counter::default()))
        .build()
        .await
        .err()
        .expect("fails");
    let message = err.to_string();
    assert!(
        message.starts_with("gateway `CountingGateway` (tests/tests/registry.rs:"),
        "{message}"
    );
    assert!(
        message.contains("no provider for `alloc::sync::Arc<registry::Journal>`"),
        "{message}"
    );
}

/// Neither `Injectable` nor `Default`: must be handed in.
struct Greeter {
    greeting: &'static str,
}

#[gateway(namespace = "/greet")]
impl Greeter {
    #[subscribe("greet")]
    async fn greet(&self, name: String) -> String {
        format!("{}, {name}", self.greeting)
    }
}

#[tokio::test]
async fn a_gateway_can_be_handed_in_explicitly() {
    let err = GatewayApp::explicit()
        .link::<Greeter>()
        .build()
        .await
        .err()
        .expect("fails");
    assert!(
        err.to_string()
            .contains("gateway `Greeter` (tests/tests/registry.rs:"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("hand one in with `GatewayApp::gateway(...)`"),
        "{err}"
    );

    let server = TestServer::start(GatewayApp::explicit().gateway(Greeter {
        greeting: "Bonjour",
    }))
    .await
    .expect("server starts");
    let socket = server.socket("/greet").await.expect("connects");
    assert_eq!(
        socket.call("greet", "Ada").await.expect("ack")["data"],
        json!("Bonjour, Ada")
    );
}

// ---- emitting from outside handlers, and shutdown ----

#[tokio::test]
async fn a_service_emits_to_a_namespace_room() {
    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<RoomsGateway>()
            .link::<PingGateway>(),
    )
    .await
    .expect("server starts");
    let mut member = server.socket("/shared").await.expect("connects");
    let mut outsider = server.socket("/shared").await.expect("connects");
    member.call("join", "news").await.expect("joined");
    // What a background service holding the `SocketIo` handle does.
    let io = server.io().clone();
    io.of("/shared")
        .expect("namespace exists")
        .to("news")
        .emit("headline", &json!({"title": "hello"}))
        .await
        .expect("emitted");
    let event = member
        .recv_event("headline")
        .await
        .expect("member receives");
    assert_eq!(event.json(0), Some(&json!({"title": "hello"})));
    outsider.recv_event("welcome").await.expect("welcome first");
    outsider
        .expect_silence(Duration::from_millis(200))
        .await
        .expect("outsider receives nothing");
}

#[tokio::test]
async fn shutdown_disconnects_every_client() {
    let server = TestServer::start(GatewayApp::explicit().link::<PingGateway>())
        .await
        .expect("server starts");
    let mut a = server.socket("/shared").await.expect("connects");
    let mut b = server.socket("/shared").await.expect("connects");
    server.shutdown().await.expect("stops cleanly");
    for socket in [&mut a, &mut b] {
        let reason = socket
            .closed_within(Duration::from_secs(2))
            .await
            .expect("closed");
        assert!(
            reason == "io server disconnect" || reason == "transport close",
            "{reason}"
        );
    }
}

// ---- mounting into an existing axum app, and settings ----

#[tokio::test]
async fn the_gateways_mount_into_an_existing_axum_router() {
    use socketioxide_gateway::testing::TestClient;

    let gateways = GatewayApp::explicit()
        .link::<PingGateway>()
        .path("/realtime")
        .build()
        .await
        .expect("builds");
    let app =
        gateways.mount(axum::Router::new().route("/health", axum::routing::get(|| async { "ok" })));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });

    // HTTP next to Socket.IO.
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");

    // Socket.IO on the configured path.
    let client = TestClient::builder(&format!("http://{addr}"))
        .path("/realtime")
        .connect()
        .await
        .expect("engine.io connects on /realtime");
    let socket = client.namespace("/shared", None).await.expect("joins");
    assert_eq!(
        socket.call("ping", ()).await.expect("ack")["data"],
        json!("pong")
    );
    assert!(
        TestClient::connect(&format!("http://{addr}"))
            .await
            .is_err(),
        "the default path is not served when another is configured"
    );
}

#[tokio::test]
async fn ping_settings_reach_the_engine_io_handshake() {
    use socketioxide_gateway::testing::TestClient;

    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<PingGateway>()
            .ping_interval(Duration::from_millis(300))
            .ping_timeout(Duration::from_millis(200))
            .max_payload(2048),
    )
    .await
    .expect("server starts");
    let client = TestClient::connect(&server.url()).await.expect("connects");
    let handshake = client.handshake();
    assert_eq!(handshake["pingInterval"], json!(300));
    assert_eq!(handshake["pingTimeout"], json!(200));
    assert_eq!(handshake["maxPayload"], json!(2048));
    // Heartbeats are answered by the client: the socket outlives several intervals.
    let socket = client.namespace("/shared", None).await.expect("joins");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        socket.call("ping", ()).await.expect("ack")["data"],
        json!("pong")
    );
}

// ---- providers built once the server exists ----

/// A service that emits: it holds the server handle, which exists only at startup.
#[derive(Clone)]
struct Notifier {
    io: SocketIo,
    channel: &'static str,
}

impl Notifier {
    /// Built at startup, from the server handle and the channel provided before it.
    fn build(
        providers: &socketioxide_gateway::Providers,
    ) -> Result<Self, socketioxide_gateway::MissingProvider> {
        Ok(Notifier {
            io: providers.get::<SocketIo>()?,
            channel: providers.get::<&'static str>()?,
        })
    }

    async fn announce(&self, news: &str) -> usize {
        // `io.of` is consumed by its first use: ask once per operation.
        let reached = self.io.of("/announce").map_or(0, |ns| ns.sockets().len());
        if let Some(ns) = self.io.of("/announce") {
            ns.emit(self.channel, news).await.ok();
        }
        reached
    }
}

#[derive(Injectable)]
struct Announcer {
    notifier: Notifier,
}

#[gateway(namespace = "/announce")]
impl Announcer {
    #[subscribe("announce")]
    async fn announce(&self, news: String) -> usize {
        self.notifier.announce(&news).await
    }
}

#[tokio::test]
async fn a_provider_built_with_the_server_handle_emits_to_every_socket() {
    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<Announcer>()
            .provide("news")
            .provide_with(Notifier::build),
    )
    .await
    .expect("server starts");
    let sender = server.socket("/announce").await.expect("connects");
    let mut listener = server.socket("/announce").await.expect("connects");
    let ack = sender.call("announce", "hello").await.expect("ack");
    assert_eq!(ack["data"], json!(2), "{ack}");
    let news = listener.recv_event("news").await.expect("the news");
    assert_eq!(news.json(0), Some(&json!("hello")));
}

#[tokio::test]
async fn a_provider_that_cannot_be_built_fails_startup_naming_it() {
    let err = GatewayApp::explicit()
        .link::<Announcer>()
        .provide_with(Notifier::build)
        .build()
        .await
        .err()
        .expect("fails");
    let message = err.to_string();
    assert!(
        message
            .starts_with("provider `registry::Notifier` cannot be built: no provider for `&str`"),
        "{message}"
    );
}

//! Guards and rate limits (book/src/guards-and-authentication.md, throttling-and-limits.md), over real sockets.

use std::time::{Duration, Instant};

use serde_json::json;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{TestClient, TestClientError, TestServer};

/// The role a connection guard learnt from the handshake, kept in the socket's extensions.
#[derive(Clone, Debug, PartialEq)]
struct Role(String);

/// Lets in clients whose auth payload carries a known key; remembers their role.
struct ApiKey;

impl Guard for ApiKey {
    async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        let role = match cx.auth().and_then(|auth| auth["key"].as_str()) {
            Some("admin-key") => "admin",
            Some("user-key") => "user",
            Some("panic") => panic!("guard bug"),
            Some(_) => return Err(WsError::unauthorized("unknown key")),
            None => return Err(WsError::unauthorized("a key is required")),
        };
        cx.extensions().insert(Role(role.to_owned()));
        Ok(())
    }
}

/// Event guard: the connection's role must be `0`.
struct RequireRole(&'static str);

impl Guard for RequireRole {
    async fn check_event(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        match cx.extensions().get::<Role>() {
            Some(Role(role)) if role == self.0 => Ok(()),
            Some(_) => Err(WsError::forbidden(format!(
                "`{}` needs the {} role",
                cx.event().unwrap_or(""),
                self.0
            ))),
            None => Err(WsError::unauthorized("not authenticated")),
        }
    }
}

/// An event guard that really waits (a lookup elsewhere, say) before it decides.
struct SlowRole(&'static str);

impl Guard for SlowRole {
    async fn check_event(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        tokio::time::sleep(Duration::from_millis(20)).await;
        RequireRole(self.0).check_event(cx).await
    }
}

/// An event guard with a bug, before or after its first await.
struct PanicsOnEvent {
    after_await: bool,
}

impl Guard for PanicsOnEvent {
    async fn check_event(&self, _cx: &GuardContext<'_>) -> Result<(), WsError> {
        if self.after_await {
            tokio::task::yield_now().await;
        }
        panic!("event guard bug")
    }
}

#[derive(Default)]
struct Admin;

#[gateway(namespace = "/admin")]
#[guard(ApiKey)]
impl Admin {
    #[subscribe("whoami")]
    async fn whoami(&self, socket: SocketRef) -> String {
        socket
            .extensions
            .get::<Role>()
            .map(|r| r.0)
            .unwrap_or_default()
    }

    #[subscribe("purge")]
    #[guard(RequireRole("admin"))]
    async fn purge(&self) -> &'static str {
        "purged"
    }

    #[subscribe("slow_purge")]
    #[guard(SlowRole("admin"))]
    async fn slow_purge(&self) -> &'static str {
        "purged"
    }

    /// An awaiting guard, then one that decides at once.
    #[subscribe("slow_then_admin")]
    #[guard(SlowRole("user"))]
    #[guard(RequireRole("admin"))]
    async fn slow_then_admin(&self) -> &'static str {
        "unreachable for everyone"
    }

    #[subscribe("guard_panics_now")]
    #[guard(PanicsOnEvent { after_await: false })]
    async fn guard_panics_now(&self) {}

    #[subscribe("guard_panics_later")]
    #[guard(PanicsOnEvent { after_await: true })]
    async fn guard_panics_later(&self) {}

    /// A room join checked by the handler itself: only your own `user:` room.
    #[subscribe("join")]
    async fn join(&self, socket: SocketRef, room: String) -> Result<String, WsError> {
        let role = socket
            .extensions
            .get::<Role>()
            .map(|r| r.0)
            .unwrap_or_default();
        if room != format!("user:{role}") {
            return Err(WsError::forbidden("you cannot join that room"));
        }
        socket.join(room.clone());
        Ok(room)
    }
}

#[derive(Default)]
struct Limited;

#[gateway(namespace = "/limited")]
impl Limited {
    #[subscribe("tick")]
    #[throttle(limit = 10, per = "1s")]
    async fn tick(&self) {}

    #[subscribe("free")]
    async fn free(&self) {}
}

#[derive(Default)]
struct Strict;

#[gateway(namespace = "/strict")]
#[throttle(limit = 5, per = "1m", disconnect_after = 20)]
impl Strict {
    #[subscribe("a")]
    async fn a(&self) {}

    #[subscribe("b")]
    async fn b(&self) {}
}

async fn server() -> TestServer {
    TestServer::start(
        GatewayApp::explicit()
            .link::<Admin>()
            .link::<Limited>()
            .link::<Strict>(),
    )
    .await
    .expect("server starts")
}

async fn connect(
    server: &TestServer,
    key: Option<&str>,
) -> Result<socketioxide_gateway::testing::NsClient, TestClientError> {
    let client = TestClient::connect(&server.url()).await?;
    client
        .namespace("/admin", key.map(|key| json!({ "key": key })))
        .await
}

#[tokio::test]
async fn a_connection_guard_refuses_with_a_clean_connect_error() {
    let server = server().await;
    for (key, expected) in [
        (None, "a key is required"),
        (Some("wrong"), "unknown key"),
        (Some("panic"), "internal server error"),
    ] {
        match connect(&server, key).await {
            Err(TestClientError::ConnectRefused { message }) => assert_eq!(message, expected),
            other => panic!("{key:?}: expected a refusal, got {other:?}"),
        }
    }
    let socket = connect(&server, Some("user-key")).await.expect("connects");
    assert_eq!(
        socket.call("whoami", ()).await.expect("ack")["data"],
        json!("user")
    );
}

#[tokio::test]
async fn an_event_guard_answers_forbidden_and_the_handler_does_not_run() {
    let server = server().await;
    let user = connect(&server, Some("user-key")).await.expect("connects");
    assert_eq!(
        user.call("purge", ()).await.expect("ack"),
        json!({"ok": false, "error": {"code": "forbidden", "message": "`purge` needs the admin role"}})
    );
    let admin = connect(&server, Some("admin-key")).await.expect("connects");
    assert_eq!(
        admin.call("purge", ()).await.expect("ack"),
        json!({"ok": true, "data": "purged"})
    );
}

#[tokio::test]
async fn event_guards_that_await_or_panic_answer_once_with_their_verdict() {
    let server = server().await;
    let user = connect(&server, Some("user-key")).await.expect("connects");
    let admin = connect(&server, Some("admin-key")).await.expect("connects");

    // A guard that awaits before deciding lets the admin through and refuses the user.
    assert_eq!(
        admin.call("slow_purge", ()).await.expect("ack"),
        json!({"ok": true, "data": "purged"})
    );
    assert_eq!(
        user.call("slow_purge", ()).await.expect("ack"),
        json!({"ok": false, "error": {"code": "forbidden", "message": "`slow_purge` needs the admin role"}})
    );

    // The guards after an awaiting one still run, in order: each client is stopped by a
    // different one.
    assert_eq!(
        user.call("slow_then_admin", ()).await.expect("ack")["error"]["message"],
        json!("`slow_then_admin` needs the admin role")
    );
    assert_eq!(
        admin.call("slow_then_admin", ()).await.expect("ack")["error"]["message"],
        json!("`slow_then_admin` needs the user role")
    );

    // A panicking guard, before or after an await, is an `internal` error, and the socket
    // goes on.
    for event in ["guard_panics_now", "guard_panics_later"] {
        assert_eq!(
            user.call(event, ()).await.expect("ack")["error"]["code"],
            json!("internal"),
            "{event}"
        );
    }
    assert_eq!(
        user.call("whoami", ()).await.expect("ack")["data"],
        json!("user")
    );
}

#[tokio::test]
async fn a_room_outside_the_users_rooms_is_refused() {
    let server = server().await;
    let user = connect(&server, Some("user-key")).await.expect("connects");
    assert_eq!(
        user.call("join", "user:admin").await.expect("ack")["error"]["code"],
        json!("forbidden")
    );
    assert_eq!(
        user.call("join", "user:user").await.expect("ack")["data"],
        json!("user:user")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_gets_the_bucket_capacity_plus_refill_and_rate_limited_acks() {
    let server = server().await;
    let socket = server.socket("/limited").await.expect("connects");
    let bystander = server.socket("/limited").await.expect("connects");
    let started = Instant::now();
    let acks = futures_util::future::join_all((0..100).map(|_| socket.call("tick", ()))).await;
    let elapsed = started.elapsed();
    let mut handled = 0;
    for ack in acks {
        let ack = ack.expect("every emit is acked");
        if ack["ok"] == json!(true) {
            handled += 1;
        } else {
            assert_eq!(ack["error"]["code"], json!("rate_limited"), "{ack}");
            let retry = ack["error"]["details"]["retry_after_ms"]
                .as_u64()
                .expect("retry delay");
            assert!((1..=100).contains(&retry), "{ack}");
        }
    }
    // Capacity 10, refilled at 10/s over the burst.
    let expected = 10.0 + elapsed.as_secs_f64() * 10.0;
    assert!(
        (f64::from(handled) - expected).abs() <= 1.0 + 1e-9,
        "handled {handled}, expected {expected:.2} (burst took {elapsed:?})"
    );
    // Other sockets have their own bucket, and other events are not limited.
    assert_eq!(
        bystander.call("tick", ()).await.expect("ack")["ok"],
        json!(true)
    );
    assert_eq!(
        socket.call("free", ()).await.expect("ack")["ok"],
        json!(true)
    );
}

#[tokio::test]
async fn a_gateway_wide_limit_is_shared_by_its_events_and_disconnects_a_flooder() {
    let server = server().await;
    let mut socket = server.socket("/strict").await.expect("connects");
    let mut codes = Vec::new();
    for event in ["a", "b", "a", "b", "a", "b"] {
        codes.push(socket.call(event, ()).await.expect("ack")["ok"].clone());
    }
    assert_eq!(
        codes,
        [true, true, true, true, true, false].map(|b| json!(b))
    );
    for _ in 0..30 {
        if socket.emit("a", ()).await.is_err() {
            break;
        }
    }
    let reason = socket
        .closed_within(Duration::from_secs(3))
        .await
        .expect("disconnected");
    assert_eq!(reason, "io server disconnect");
    let fresh = server
        .socket("/strict")
        .await
        .expect("others still connect");
    assert_eq!(fresh.call("a", ()).await.expect("ack")["ok"], json!(true));
}

// ---- origin allowlist ----

async fn http_get(addr: std::net::SocketAddr, path: &str, origin: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    let request = format!(
        "GET {path} HTTP/1.1\r\nhost: {addr}\r\norigin: {origin}\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    response
}

#[tokio::test]
async fn a_handshake_from_a_disallowed_origin_fails_and_an_allowed_one_works() {
    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<Limited>()
            .allowed_origins(["https://app.example"]),
    )
    .await
    .expect("server starts");
    let polling = "/socket.io/?EIO=4&transport=polling";

    // Long-polling, as a browser on another origin would open it.
    let refused = http_get(server.addr(), polling, "https://evil.example").await;
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
    let allowed = http_get(server.addr(), polling, "https://app.example").await;
    assert!(allowed.starts_with("HTTP/1.1 200"), "{allowed}");
    assert!(
        allowed
            .to_ascii_lowercase()
            .contains("access-control-allow-origin: https://app.example"),
        "{allowed}"
    );

    // WebSocket: browsers do not apply CORS to it, the server must check `Origin`.
    let evil = TestClient::builder(&server.url())
        .header("origin", "https://evil.example")
        .connect()
        .await;
    assert!(evil.is_err(), "a disallowed origin must not connect");
    let good = TestClient::builder(&server.url())
        .header("origin", "https://app.example")
        .connect()
        .await
        .expect("allowed origin connects");
    let socket = good.namespace("/limited", None).await.expect("joins");
    assert_eq!(
        socket.call("free", ()).await.expect("ack")["ok"],
        json!(true)
    );

    // The server's own origin is always allowed: a page it serves, and clients such as
    // python-socketio over WebSocket, which send `Origin: http://<host>:<port>`.
    let own = format!("http://{}", server.addr());
    let same = http_get(server.addr(), polling, &own).await;
    assert!(same.starts_with("HTTP/1.1 200"), "{same}");
    let same_ws = TestClient::builder(&server.url())
        .header("origin", &own)
        .connect()
        .await
        .expect("the server's own origin connects");
    let socket = same_ws.namespace("/limited", None).await.expect("joins");
    assert_eq!(
        socket.call("free", ()).await.expect("ack")["ok"],
        json!(true)
    );
    let other_port = format!("http://127.0.0.1:{}", server.addr().port() ^ 1);
    let refused = http_get(server.addr(), polling, &other_port).await;
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");

    // Non-browser clients send no Origin and are not affected.
    let native = server
        .socket("/limited")
        .await
        .expect("connects without Origin");
    assert_eq!(
        native.call("free", ()).await.expect("ack")["ok"],
        json!(true)
    );
}

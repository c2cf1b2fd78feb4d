//! Ordering (book/src/ordering.md) and interceptors (book/src/interceptors.md), over real sockets.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::json;
use socketioxide_gateway::intercept::{EventInfo, Interceptor, Outcome};
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::TestServer;

#[derive(Default)]
struct Log(Mutex<Vec<u32>>);

#[derive(Injectable)]
struct Fifo {
    log: Arc<Log>,
}

#[gateway(namespace = "/fifo")]
#[ordered]
impl Fifo {
    /// Some events take longer than others: without FIFO they would overtake each other.
    #[subscribe("push")]
    async fn push(&self, n: u32) {
        if n.is_multiple_of(7) {
            tokio::time::sleep(Duration::from_millis(2)).await;
        } else if n.is_multiple_of(3) {
            tokio::task::yield_now().await;
        }
        self.log.0.lock().expect("lock").push(n);
    }

    /// Ordered too: it runs after every `push` sent before it.
    #[subscribe("log")]
    async fn log(&self) -> Vec<u32> {
        self.log.0.lock().expect("lock").clone()
    }
}

#[derive(Default)]
struct Concurrent;

#[gateway(namespace = "/concurrent")]
impl Concurrent {
    #[subscribe("sleep")]
    async fn sleep(&self, ms: u64) -> u64 {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        ms
    }

    /// One handler opts in; the others stay concurrent.
    #[subscribe("sleep-ordered")]
    #[ordered]
    async fn sleep_ordered(&self, ms: u64) -> u64 {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        ms
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_fifo_mode_a_thousand_emits_are_handled_in_order() {
    let log = Arc::new(Log::default());
    let server = TestServer::start(GatewayApp::explicit().link::<Fifo>().provide(log.clone()))
        .await
        .expect("server starts");
    let socket = server.socket("/fifo").await.expect("connects");
    for n in 0..1000u32 {
        socket.emit("push", n).await.expect("sent");
    }
    let handled = socket.call("log", ()).await.expect("ack");
    assert_eq!(handled["data"], json!((0..1000).collect::<Vec<u32>>()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_default_handlers_run_concurrently_and_acks_can_overtake() {
    let server = TestServer::start(GatewayApp::explicit().link::<Concurrent>())
        .await
        .expect("server starts");
    let socket = server.socket("/concurrent").await.expect("connects");
    // Sent in this order; the short one finishes first.
    let (slow, fast, order) = {
        let finished = Mutex::new(Vec::new());
        let slow = async {
            let ack = socket.call("sleep", 300).await;
            finished.lock().expect("lock").push(300);
            ack
        };
        let fast = async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let ack = socket.call("sleep", 10).await;
            finished.lock().expect("lock").push(10);
            ack
        };
        let (slow, fast) = tokio::join!(slow, fast);
        (slow, fast, finished.into_inner().expect("lock"))
    };
    assert_eq!(slow.expect("ack")["data"], json!(300));
    assert_eq!(fast.expect("ack")["data"], json!(10));
    assert_eq!(order, [10, 300], "the later, faster event is acked first");

    // The same two through an `#[ordered]` handler: the second waits for the first.
    let finished = Mutex::new(Vec::new());
    let slow = async {
        let ack = socket.call("sleep-ordered", 300).await;
        finished.lock().expect("lock").push(300);
        ack
    };
    let fast = async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let ack = socket.call("sleep-ordered", 10).await;
        finished.lock().expect("lock").push(10);
        ack
    };
    let (slow, fast) = tokio::join!(slow, fast);
    assert!(slow.is_ok() && fast.is_ok());
    assert_eq!(finished.into_inner().expect("lock"), [300, 10]);
}

// ---- interceptors ----

#[derive(Default)]
struct Seen(Mutex<Vec<String>>);

/// Records `before:<event>` and `after:<event>:<ok|code>`.
struct Recorder(Arc<Seen>, &'static str);

impl Interceptor for Recorder {
    fn before(&self, event: &EventInfo<'_>) {
        self.0
            .0
            .lock()
            .expect("lock")
            .push(format!("{}:before:{}", self.1, event.event));
    }

    fn after(&self, event: &EventInfo<'_>, outcome: &Outcome<'_>) {
        let result = match outcome.result {
            Ok(()) => "ok".to_owned(),
            Err(err) => err.code().to_owned(),
        };
        assert!(outcome.elapsed < Duration::from_secs(5));
        self.0
            .0
            .lock()
            .expect("lock")
            .push(format!("{}:after:{}:{result}", self.1, event.event));
    }
}

#[derive(Deserialize, Validate)]
struct Named {
    #[validate(length(min = 1))]
    name: String,
}

struct Watched;

#[gateway(namespace = "/watched")]
#[intercept(Recorder(SEEN.with(Arc::clone), "gateway"))]
impl Watched {
    #[subscribe("ok")]
    async fn ok(&self) {}

    #[subscribe("invalid")]
    async fn invalid(&self, Valid(named): Valid<Named>) -> String {
        named.name
    }

    #[subscribe("panic")]
    async fn panic(&self) {
        panic!("boom")
    }

    #[subscribe("limited")]
    #[throttle(limit = 1, per = "1m")]
    async fn limited(&self) {}
}

thread_local! {
    /// The gateway-level interceptor's sink (the attribute takes an expression).
    static SEEN: Arc<Seen> = Arc::new(Seen::default());
}

#[tokio::test]
async fn interceptors_see_every_event_and_its_outcome() {
    let app_seen = Arc::new(Seen::default());
    let gateway_seen = SEEN.with(Arc::clone);
    let server = TestServer::start(
        GatewayApp::explicit()
            .gateway(Watched)
            .intercept(Recorder(app_seen.clone(), "app")),
    )
    .await
    .expect("server starts");
    let socket = server.socket("/watched").await.expect("connects");
    for (event, payload) in [
        ("ok", json!(null)),
        ("invalid", json!({"name": ""})),
        ("panic", json!(null)),
        ("limited", json!(null)),
        ("limited", json!(null)),
    ] {
        socket.call(event, payload).await.expect("acked");
    }
    let app: Vec<String> = app_seen.0.lock().expect("lock").clone();
    assert_eq!(
        app,
        [
            "app:before:ok",
            "app:after:ok:ok",
            "app:before:invalid",
            "app:after:invalid:validation_failed",
            "app:before:panic",
            "app:after:panic:internal",
            "app:before:limited",
            "app:after:limited:ok",
            "app:before:limited",
            "app:after:limited:rate_limited",
        ]
    );
    let gateway: Vec<String> = gateway_seen.0.lock().expect("lock").clone();
    assert_eq!(gateway.len(), 10, "{gateway:?}");
    assert_eq!(gateway[3], "gateway:after:invalid:validation_failed");
}

// ---- failures around the queue ----

/// Panics in `before` for `boom-before` and in `after` for `boom-after`.
struct Panicky;

impl Interceptor for Panicky {
    fn before(&self, event: &EventInfo<'_>) {
        assert_ne!(event.event, "boom-before", "interceptor bug");
    }

    fn after(&self, event: &EventInfo<'_>, _: &Outcome<'_>) {
        assert_ne!(event.event, "boom-after", "interceptor bug");
    }
}

#[derive(Injectable)]
struct Steps {
    log: Arc<Log>,
}

#[gateway(namespace = "/steps")]
#[ordered]
impl Steps {
    #[subscribe("boom-before")]
    async fn boom_before(&self, n: u32) -> u32 {
        self.log.0.lock().expect("lock").push(n);
        n
    }

    #[subscribe("boom-after")]
    async fn boom_after(&self, n: u32) -> u32 {
        self.log.0.lock().expect("lock").push(n);
        n
    }

    #[subscribe("step")]
    async fn step(&self, n: u32) -> u32 {
        self.log.0.lock().expect("lock").push(n);
        n
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_interceptor_costs_no_ack_and_does_not_stop_the_queue() {
    let log = Arc::new(Log::default());
    let seen = Arc::new(Seen::default());
    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<Steps>()
            .provide(log.clone())
            .intercept(Panicky)
            .intercept(Recorder(seen.clone(), "next")),
    )
    .await
    .expect("server starts");
    let socket = server.socket("/steps").await.expect("connects");
    let acks = futures_util::future::join_all([
        socket.call("step", 1),
        socket.call("boom-before", 2),
        socket.call("boom-after", 3),
        socket.call("step", 4),
    ])
    .await;
    let acks: Vec<_> = acks.into_iter().map(|ack| ack.expect("acked")).collect();
    assert_eq!(
        acks,
        (1..=4)
            .map(|n| json!({"ok": true, "data": n}))
            .collect::<Vec<_>>()
    );
    assert_eq!(*log.0.lock().expect("lock"), [1, 2, 3, 4]);
    // The interceptor after the panicking one still saw every event.
    let next: Vec<String> = seen.0.lock().expect("lock").clone();
    assert_eq!(next.len(), 8, "{next:?}");
    assert_eq!(socket.stray_acks(), 0);
}

/// Lets a test hold the handler that is running.
struct Gate {
    started: tokio::sync::Notify,
    release: tokio::sync::Semaphore,
}

impl Default for Gate {
    fn default() -> Self {
        Self {
            started: tokio::sync::Notify::new(),
            release: tokio::sync::Semaphore::new(0),
        }
    }
}

#[derive(Injectable)]
struct Held {
    gate: Arc<Gate>,
    log: Arc<Log>,
}

#[gateway(namespace = "/held")]
impl Held {
    #[subscribe("work")]
    #[ordered]
    async fn work(&self, n: u32) -> u32 {
        self.gate.started.notify_one();
        self.gate.release.acquire().await.expect("open").forget();
        self.log.0.lock().expect("lock").push(n);
        n
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_ordered_backlog_answers_rate_limited_at_once() {
    let gate = Arc::new(Gate::default());
    let log = Arc::new(Log::default());
    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<Held>()
            .provide(gate.clone())
            .provide(log.clone())
            .max_ordered_backlog(4),
    )
    .await
    .expect("server starts");
    let socket = Arc::new(server.socket("/held").await.expect("connects"));
    let bystander = server.socket("/held").await.expect("connects");

    // Event 0 runs and blocks; 1-4 fill the backlog; 5-9 are refused while it is held.
    let first = tokio::spawn({
        let socket = socket.clone();
        async move { socket.call("work", 0).await }
    });
    gate.started.notified().await;
    for n in 1..5 {
        socket.emit("work", n).await.expect("sent");
    }
    let refused: Vec<_> = futures_util::future::join_all((5..10).map(|n| socket.call("work", n)))
        .await
        .into_iter()
        .map(|ack| ack.expect("acked"))
        .collect();
    let rate_limited = json!({
        "ok": false,
        "error": {
            "code": "rate_limited",
            "message": "too many events, slow down",
            "details": {"retry_after_ms": 100}
        }
    });
    assert_eq!(refused, vec![rate_limited; 5]);
    assert!(
        log.0.lock().expect("lock").is_empty(),
        "the held handler ran"
    );

    gate.release.add_permits(6);
    let first = first.await.expect("task").expect("acked");
    assert_eq!(first, json!({"ok": true, "data": 0}));
    // Once the backlog drains, the socket's events are queued again.
    assert_eq!(
        socket.call("work", 10).await.expect("acked"),
        json!({"ok": true, "data": 10})
    );
    assert_eq!(*log.0.lock().expect("lock"), [0, 1, 2, 3, 4, 10]);
    // The other socket has a queue of its own.
    gate.release.add_permits(1);
    assert_eq!(
        bystander.call("work", 42).await.expect("acked"),
        json!({"ok": true, "data": 42})
    );
    assert_eq!(socket.stray_acks(), 0);
}

/// What a `login` stores on the socket.
#[derive(Clone)]
struct LoggedIn;

/// Event guard: the socket must have logged in.
struct RequireLogin;

impl Guard for RequireLogin {
    async fn check_event(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        match cx.extensions().get::<LoggedIn>() {
            Some(LoggedIn) => Ok(()),
            None => Err(WsError::unauthorized("log in first")),
        }
    }
}

#[derive(Default)]
struct Session;

#[gateway(namespace = "/session")]
impl Session {
    /// Slow on purpose: an event sent right after it arrives while it is still running.
    #[subscribe("login")]
    #[ordered]
    async fn login(&self, socket: SocketRef) -> bool {
        tokio::time::sleep(Duration::from_millis(200)).await;
        socket.extensions.insert(LoggedIn);
        true
    }

    #[subscribe("secret")]
    #[ordered]
    #[guard(RequireLogin)]
    async fn secret(&self) -> &'static str {
        "the secret"
    }

    #[subscribe("secret-unordered")]
    #[guard(RequireLogin)]
    async fn secret_unordered(&self) -> &'static str {
        "the secret"
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ordered_events_guards_see_what_the_earlier_events_did() {
    let server = TestServer::start(GatewayApp::explicit().link::<Session>())
        .await
        .expect("server starts");

    // Both sent back to back (each call writes its packet before it first waits): the
    // ordered `secret` is checked after `login` has run.
    let socket = server.socket("/session").await.expect("connects");
    let (login, secret) = tokio::join!(socket.call("login", ()), socket.call("secret", ()));
    assert_eq!(login.expect("ack"), json!({"ok": true, "data": true}));
    assert_eq!(
        secret.expect("ack"),
        json!({"ok": true, "data": "the secret"})
    );

    // Without `#[ordered]`, the guard runs as the event arrives, while `login` sleeps.
    let socket = server.socket("/session").await.expect("connects");
    let (login, secret) = tokio::join!(
        socket.call("login", ()),
        socket.call("secret-unordered", ())
    );
    assert_eq!(login.expect("ack"), json!({"ok": true, "data": true}));
    assert_eq!(
        secret.expect("ack"),
        json!({"ok": false, "error": {"code": "unauthorized", "message": "log in first"}})
    );
}

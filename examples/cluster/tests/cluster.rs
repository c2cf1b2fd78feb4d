//! The cluster example as it runs in production: node processes (this package's binary)
//! sharing a real Redis, behind a real nginx running `deploy/nginx/nginx.conf`, driven by
//! our protocol-level test client and the official Node `socket.io-client`.
//!
//! Needs `redis-server` (>= 7) and `nginx` (Debian packages; `.ci/run` installs them).
//! Each test starts its own Redis and nginx on free ports.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use gateway_tests::process::{Output, Run, kill, run_bounded};
use gateway_tests::services::{Nginx, Redis, free_port, http, wait_for_port};
use serde_json::{Value, json};
use socketioxide_gateway::testing::{NsClient, TestClient};

/// One node: `example-cluster --node NAME --port PORT`.
struct Node {
    name: &'static str,
    port: u16,
    child: Option<Child>,
    stdout: Output,
    stderr: Output,
}

impl Node {
    fn start(name: &'static str, redis: Option<&str>) -> Node {
        Self::start_with(name, redis, "info", &[])
    }

    fn start_with(
        name: &'static str,
        redis: Option<&str>,
        log_filter: &str,
        env: &[(&str, &str)],
    ) -> Node {
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_example-cluster"));
        command
            .args(["--node", name, "--port", &port.to_string()])
            .env("RUST_LOG", log_filter)
            .env("NO_COLOR", "1")
            .env_remove(socketioxide_gateway::REDIS_URL_ENV)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(url) = redis {
            command.env(socketioxide_gateway::REDIS_URL_ENV, url);
        }
        command.envs(env.iter().copied());
        let mut child = command
            .spawn()
            .expect("cannot start the example-cluster binary");
        let stdout = Output::capture(child.stdout.take().expect("piped stdout"));
        let stderr = Output::capture(child.stderr.take().expect("piped stderr"));
        let node = Node {
            name,
            port,
            child: Some(child),
            stdout,
            stderr,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while http(port, "GET", "/node", None).is_err() {
            assert!(
                Instant::now() < deadline,
                "node {name} did not start:\n{}",
                node.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        node
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log(&self) -> String {
        format!("{}{}", self.stdout.text(), self.stderr.text())
    }

    async fn socket(&self) -> NsClient {
        let client = TestClient::connect(&self.url())
            .await
            .unwrap_or_else(|e| panic!("connect to node {}: {e}", self.name));
        client
            .namespace("/cluster", None)
            .await
            .unwrap_or_else(|e| panic!("join /cluster on node {}: {e}", self.name))
    }

    fn sigterm(&self) {
        let pid = self.child.as_ref().expect("running").id().to_string();
        let status = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Waits for the process to exit on its own.
    fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = child.try_wait().expect("try_wait") {
                return status;
            }
            if Instant::now() > deadline {
                kill(&mut child);
                panic!(
                    "node {} did not exit within {timeout:?}:\n{}",
                    self.name,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn assert_no_panic(&self) {
        let log = self.log();
        assert!(
            !log.contains("panicked"),
            "node {} panicked:\n{log}",
            self.name
        );
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill(&mut child);
        }
    }
}

/// The data of a successful envelope ack.
async fn ok(socket: &NsClient, event: &str, args: Value) -> Value {
    let reply = socket
        .call(event, args)
        .await
        .unwrap_or_else(|e| panic!("{event}: {e}"));
    assert_eq!(reply["ok"], json!(true), "{event}: {reply}");
    reply["data"].clone()
}

/// Skips `message` events until one with `text` arrives.
async fn wait_text(socket: &mut NsClient, text: &str) {
    loop {
        if message_text(socket).await == text {
            return;
        }
    }
}

async fn message_text(socket: &mut NsClient) -> String {
    let event = socket.recv_event("message").await.expect("a message event");
    event.json(0).expect("json")["text"]
        .as_str()
        .expect("text")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_share_rooms_broadcasts_and_room_counts_through_redis() {
    let redis = Redis::start();
    let a = Node::start("a", Some(&redis.url()));
    let b = Node::start("b", Some(&redis.url()));

    let mut on_a = a.socket().await;
    let on_b = b.socket().await;
    assert_eq!(ok(&on_a, "whoami", json!([])).await, json!("a"));
    assert_eq!(ok(&on_b, "whoami", json!([])).await, json!("b"));
    ok(&on_a, "join", json!("r")).await;
    ok(&on_b, "join", json!("r")).await;

    // A handler on B broadcasts; the member on A receives it.
    ok(
        &on_b,
        "broadcast",
        json!({"room": "r", "text": "from a handler on b"}),
    )
    .await;
    assert_eq!(message_text(&mut on_a).await, "from a handler on b");

    // An HTTP route on B broadcasts; the member on A receives it.
    let (status, _) = http(
        b.port,
        "POST",
        "/rooms/r/messages",
        Some(r#"{"text":"from a route on b"}"#),
    )
    .expect("POST to node b");
    assert_eq!(status, 202);
    assert_eq!(message_text(&mut on_a).await, "from a route on b");

    // Room counts include both nodes, asked from either node, by a handler or a route.
    assert_eq!(ok(&on_a, "room-size", json!("r")).await, json!(2));
    assert_eq!(ok(&on_b, "room-size", json!("r")).await, json!(2));
    assert_eq!(
        http(a.port, "GET", "/rooms/r/size", None).expect("GET").1,
        "2"
    );

    // Remote join: B moves every member of `r` (the socket on A too) into `r2`.
    ok(&on_b, "move-room", json!({"from": "r", "to": "r2"})).await;
    assert_eq!(ok(&on_a, "room-size", json!("r2")).await, json!(2));
    ok(&on_b, "broadcast", json!({"room": "r2", "text": "to r2"})).await;
    assert_eq!(message_text(&mut on_a).await, "to r2");

    // Leaving is seen cluster-wide too.
    ok(&on_a, "leave", json!("r")).await;
    assert_eq!(ok(&on_b, "room-size", json!("r")).await, json!(1));

    a.assert_no_panic();
    b.assert_no_panic();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_outage_keeps_local_service_and_cross_node_delivery_resumes() {
    let mut redis = Redis::start();
    let a = Node::start("a", Some(&redis.url()));
    let b = Node::start("b", Some(&redis.url()));
    let mut a1 = a.socket().await;
    let mut a2 = a.socket().await;
    let mut b1 = b.socket().await;
    for socket in [&a1, &a2, &b1] {
        ok(socket, "join", json!("r")).await;
    }
    assert_eq!(ok(&a1, "room-size", json!("r")).await, json!(3));

    redis.stop();

    // Node A keeps serving: a broadcast from A reaches A's members and is acked.
    ok(
        &a1,
        "broadcast",
        json!({"room": "r", "text": "during the outage"}),
    )
    .await;
    assert_eq!(message_text(&mut a1).await, "during the outage");
    assert_eq!(message_text(&mut a2).await, "during the outage");
    // Room counts fall back to this node's members.
    assert_eq!(ok(&a1, "room-size", json!("r")).await, json!(2));
    // New clients connect and are served.
    let fresh = a.socket().await;
    assert_eq!(ok(&fresh, "whoami", json!([])).await, json!("a"));
    // The HTTP route too.
    let (status, _) = http(
        a.port,
        "POST",
        "/rooms/r/messages",
        Some(r#"{"text":"route during the outage"}"#),
    )
    .expect("POST to node a");
    assert_eq!(status, 202);
    assert_eq!(message_text(&mut a2).await, "route during the outage");

    redis.restart();
    let restarted = Instant::now();

    // Cross-node delivery resumes: B's broadcasts reach A again (retried until the nodes
    // have noticed Redis is back; messages sent before that are lost, at most once).
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let text = format!("after the outage #{attempt}");
        ok(&b1, "broadcast", json!({"room": "r", "text": text})).await;
        match tokio::time::timeout(Duration::from_millis(400), a1.recv_event("message")).await {
            Ok(Ok(event)) if event.json(0).is_some_and(|m| m["text"] == json!(text)) => break,
            _ => assert!(
                Instant::now() < deadline,
                "cross-node delivery did not resume within 20 s\nnode a:\n{}\nnode b:\n{}",
                a.log(),
                b.log()
            ),
        }
    }
    // A figure for the guide, not an assertion: how long the nodes took to notice.
    eprintln!(
        "cross-node delivery resumed {:?} after Redis restarted ({attempt} broadcasts tried)",
        restarted.elapsed()
    );
    // And counts span both nodes again.
    assert_eq!(ok(&b1, "room-size", json!("r")).await, json!(3));
    let (status, _) = http(
        b.port,
        "POST",
        "/rooms/r/messages",
        Some(r#"{"text":"route after"}"#),
    )
    .expect("POST to node b");
    assert_eq!(status, 202);
    wait_text(&mut a2, "route after").await;
    // B's own member got every broadcast it was in the room for.
    assert!(b1.recv_event("message").await.is_ok());

    assert!(a.log().contains("Redis unreachable"), "{}", a.log());
    assert!(a.log().contains("Redis reachable again"), "{}", a.log());
    a.assert_no_panic();
    b.assert_no_panic();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_in_flight_acks_arrive_then_disconnects_and_exits_0() {
    let mut node = Node::start("a", None);
    let mut sockets = Vec::new();
    for _ in 0..3 {
        sockets.push(node.socket().await);
    }
    // Three slow events in flight (1.5 s each), and, meanwhile, SIGTERM.
    let started = Instant::now();
    let in_flight =
        futures_util::future::join_all(sockets.iter().map(|s| s.call("work", json!(1500))));
    let during_drain = async {
        // Let the handlers start, then SIGTERM.
        tokio::time::sleep(Duration::from_millis(300)).await;
        node.sigterm();
        tokio::time::sleep(Duration::from_millis(200)).await;
        // While draining: new events are answered `unavailable`, new connections refused.
        let refused = sockets[0].call("whoami", json!([])).await.expect("an ack");
        assert_eq!(refused["ok"], json!(false), "{refused}");
        assert_eq!(refused["error"]["code"], json!("unavailable"), "{refused}");
        assert!(
            TestClient::connect(&node.url()).await.is_err(),
            "a draining node must not accept connections"
        );
    };
    let (replies, ()) = tokio::join!(in_flight, during_drain);
    // The in-flight acks arrive, with their results.
    for reply in replies {
        assert_eq!(
            reply.expect("the in-flight ack"),
            json!({"ok": true, "data": 1500})
        );
    }
    assert!(started.elapsed() >= Duration::from_millis(1400));
    // Then every client sees the server's disconnect.
    for socket in &mut sockets {
        assert_eq!(socket.closed().await, "io server disconnect");
    }
    let status = node.wait(Duration::from_secs(15));
    assert_eq!(
        status.code(),
        Some(0),
        "exit status {status}:\n{}",
        node.log()
    );
    let log = node.log();
    assert!(log.contains("waiting for events in flight"), "{log}");
    node.assert_no_panic();
    for socket in &sockets {
        assert_eq!(socket.stray_acks(), 0);
    }
}

/// The value of a Prometheus sample line `name{labels} value` (labels as written).
fn sample(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_move_under_load() {
    let redis = Redis::start();
    let node = Node::start("a", Some(&redis.url()));
    let scrape = || {
        let (status, body) = http(node.port, "GET", "/metrics", None).expect("GET /metrics");
        assert_eq!(status, 200);
        body
    };
    let before = scrape();
    let mut sockets = Vec::new();
    for _ in 0..4 {
        let socket = node.socket().await;
        ok(&socket, "join", json!("lobby")).await;
        sockets.push(socket);
    }
    for socket in &sockets {
        for _ in 0..25 {
            ok(socket, "whoami", json!([])).await;
        }
        // A bad payload: counted under its error code.
        let bad = socket
            .call("broadcast", json!({"room": ""}))
            .await
            .expect("ack");
        assert_eq!(bad["error"]["code"], json!("bad_payload"), "{bad}");
    }
    let after = scrape();

    let whoami = r#"gateway_events_total{namespace="/cluster",event="whoami",outcome="ok"}"#;
    assert_eq!(
        sample(&after, whoami) - sample(&before, whoami),
        100.0,
        "{after}"
    );
    let bad = r#"gateway_acks_total{namespace="/cluster",code="bad_payload"}"#;
    assert_eq!(sample(&after, bad) - sample(&before, bad), 4.0, "{after}");
    let acked = r#"gateway_acks_total{namespace="/cluster",code="ok"}"#;
    assert_eq!(
        sample(&after, acked) - sample(&before, acked),
        104.0,
        "{after}"
    );
    let latency = r#"gateway_event_duration_seconds_count{namespace="/cluster",event="whoami"}"#;
    assert_eq!(
        sample(&after, latency) - sample(&before, latency),
        100.0,
        "{after}"
    );
    assert!(after.contains("gateway_event_duration_seconds_bucket{namespace=\"/cluster\",event=\"whoami\",le=\"0.001\"}"), "{after}");
    assert_eq!(
        sample(&after, r#"gateway_connected_sockets{namespace="/cluster"}"#),
        4.0,
        "{after}"
    );
    assert_eq!(
        sample(
            &after,
            r#"gateway_room_sockets{namespace="/cluster",room="lobby"}"#
        ),
        4.0,
        "{after}"
    );
    assert_eq!(sample(&after, "gateway_redis_up"), 1.0, "{after}");
    node.assert_no_panic();
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_io_client_through_nginx_polls_then_upgrades_and_stays_sticky() {
    let root = repo_root();
    let redis = Redis::start();
    let a = Node::start("a", Some(&redis.url()));
    let b = Node::start("b", Some(&redis.url()));

    // The committed config, with free ports instead of 8080/3001/3002.
    let committed = std::fs::read_to_string(root.join("deploy/nginx/nginx.conf"))
        .expect("deploy/nginx/nginx.conf");
    let port = free_port();
    let config = committed
        .replace("listen 8080;", &format!("listen 127.0.0.1:{port};"))
        .replace(
            "server 127.0.0.1:3001;",
            &format!("server 127.0.0.1:{};", a.port),
        )
        .replace(
            "server 127.0.0.1:3002;",
            &format!("server 127.0.0.1:{};", b.port),
        );
    assert_ne!(config, committed, "the config's ports were not found");
    let nginx = Nginx::start(&config, port);
    wait_for_port(port, "nginx", Duration::from_secs(5));

    let interop = root.join("tests/interop");
    assert!(
        interop.join("node_modules/socket.io-client").exists(),
        "run `npm ci --prefix tests/interop` first (scripts/test.sh does)"
    );
    let clients = 40;
    let mut command = Command::new("node");
    command
        .arg(interop.join("cluster_nginx.test.mjs"))
        .current_dir(&interop)
        .env("NGINX_URL", nginx.url())
        .env("CLIENTS", clients.to_string());
    let out = match run_bounded(command, Duration::from_secs(60)).await {
        Run::Finished {
            status,
            stdout,
            stderr,
        } => {
            assert!(
                status.success(),
                "node script failed ({status}):\n{stdout}\n{stderr}\nnginx:\n{}",
                nginx.log()
            );
            stdout
        }
        Run::TimedOut { stdout, stderr } => {
            panic!("the node script took over 60 s:\n{stdout}\n{stderr}")
        }
    };
    let summary: Value = serde_json::from_str(out.lines().last().unwrap_or("")).expect(&out);
    assert_eq!(summary["startedOnPolling"], json!(clients), "{summary}");
    assert_eq!(summary["upgraded"], json!(clients), "{summary}");
    assert_eq!(summary["sticky"], json!(clients), "{summary}");
    assert_eq!(summary["roomSize"], json!(clients), "{summary}");
    assert_eq!(summary["delivered"], json!(clients), "{summary}");
    let on_a = summary["nodes"]["a"].as_u64().unwrap_or(0);
    let on_b = summary["nodes"]["b"].as_u64().unwrap_or(0);
    assert_eq!(on_a + on_b, clients, "{summary}");
    assert!(
        on_a > 0 && on_b > 0,
        "nginx sent every client to one node: {summary}"
    );
    a.assert_no_panic();
    b.assert_no_panic();
}

#[test]
fn an_unreachable_redis_fails_startup_with_a_clear_error() {
    let closed = free_port();
    let out = Command::new(env!("CARGO_BIN_EXE_example-cluster"))
        .args(["--node", "a", "--port", &free_port().to_string()])
        .env(
            socketioxide_gateway::REDIS_URL_ENV,
            format!("redis://:hunter2@127.0.0.1:{closed}"),
        )
        .env("NO_COLOR", "1")
        .output()
        .expect("run example-cluster");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains(&format!(
            "cannot start: cannot use Redis at redis://:***@127.0.0.1:{closed}"
        )),
        "{text}"
    );
    assert!(
        text.contains("Check that Redis (>= 7) runs there"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "the password leaked: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_gets_a_tracing_span_with_its_outcome_and_latency() {
    let node = Node::start_with("a", None, "info,socketioxide_gateway::event=debug", &[]);
    let socket = node.socket().await;
    ok(&socket, "whoami", json!([])).await;
    let bad = socket.call("room-size", json!("")).await.expect("ack");
    assert_eq!(bad["error"]["code"], json!("bad_payload"), "{bad}");
    let deadline = Instant::now() + Duration::from_secs(5);
    let (handled_ok, handled_bad) = loop {
        let log = node.log();
        let line = |outcome: &str, event: &str| {
            log.lines()
                .find(|l| {
                    l.contains("event handled")
                        && l.contains(&format!("event=\"{event}\""))
                        && l.contains(&format!("outcome=\"{outcome}\""))
                })
                .map(str::to_owned)
        };
        if let (Some(ok), Some(bad)) = (line("ok", "whoami"), line("bad_payload", "room-size")) {
            break (ok, bad);
        }
        assert!(Instant::now() < deadline, "no span lines in:\n{log}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    for line in [&handled_ok, &handled_bad] {
        assert!(line.contains("namespace=\"/cluster\""), "{line}");
        assert!(line.contains("sid="), "{line}");
        assert!(line.contains("latency_us="), "{line}");
    }
}

/// bcrypt (cost 4) of `changeit`, the Admin UI's password in the test below.
const ADMIN_HASH: &str = "$2a$04$Wd7XdY1Fj1yDY9NN.WqIFew7pKTjwehkl1E7CcTRp.HWqhExYBYT6";

/// The Admin UI across two nodes sharing Redis (`GATEWAY_ADMIN_UI_*` on each): a dashboard
/// connected to node a lists the socket of node b, gets both nodes' `server_stats`, each
/// with its own server id, and its action reaches that socket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_ui_sees_both_nodes_and_acts_on_either() {
    let redis = Redis::start();
    let admin_env = |id: &'static str| {
        [
            ("GATEWAY_ADMIN_UI_USER", "admin"),
            ("GATEWAY_ADMIN_UI_PASSWORD_HASH", ADMIN_HASH),
            ("GATEWAY_ADMIN_UI_SERVER_ID", id),
        ]
    };
    let a = Node::start_with("a", Some(&redis.url()), "info", &admin_env("node-a"));
    let b = Node::start_with("b", Some(&redis.url()), "info", &admin_env("node-b"));

    let mut on_b = b.socket().await;
    let sid_b = on_b.sid().expect("a socket id");
    let dashboard = TestClient::connect(&a.url()).await.expect("connects to a");
    let mut admin = dashboard
        .namespace(
            "/admin",
            Some(json!({"username": "admin", "password": "changeit"})),
        )
        .await
        .expect("logs in on a");

    // The socket list has the socket of node b (fetched through Redis).
    let listed = admin.recv_event("all_sockets").await.expect("the list");
    let sockets = listed
        .json(0)
        .and_then(|l| l.as_array())
        .cloned()
        .unwrap_or_default();
    assert!(
        sockets
            .iter()
            .any(|s| s["id"] == json!(sid_b) && s["nsp"] == "/cluster"),
        "{sid_b} not in {sockets:?}"
    );

    let mut servers = std::collections::BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while servers.len() < 2 {
        assert!(Instant::now() < deadline, "stats from {servers:?} only");
        let stats = admin.recv_event("server_stats").await.expect("stats");
        let id = stats
            .json(0)
            .and_then(|s| s["serverId"].as_str())
            .unwrap_or_default();
        servers.insert(id.to_owned());
    }
    assert_eq!(
        servers.into_iter().collect::<Vec<_>>(),
        ["node-a", "node-b"]
    );

    // From the dashboard on a, to one socket on b: its id is a room, spanned by Redis.
    admin
        .emit(
            "emit",
            ("/cluster", sid_b.as_str(), "notice", "from node a"),
        )
        .await
        .expect("sent");
    let notice = on_b.recv_event("notice").await.expect("b's socket gets it");
    assert_eq!(notice.json(0), Some(&json!("from node a")));
    a.assert_no_panic();
    b.assert_no_panic();
}

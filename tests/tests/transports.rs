//! `GatewayApp::transports` and `GatewayApp::http_compression`, over real HTTP: raw
//! Engine.IO requests made with curl (what a proxy or a load balancer sees), and the
//! official `socket.io-client` (tests/interop/transports.test.mjs).

use std::process::Command;
use std::time::Duration;

use gateway_tests::process::run_bounded;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{TestClient, TestServer};
use socketioxide_gateway::{GatewayApp, Transports};

/// The payload `big` sends: well above the 1 KB compression threshold.
fn big_text() -> String {
    "all work and no play makes a dull socket; ".repeat(100)
}

#[derive(Default)]
struct TransportGateway;

#[gateway(namespace = "/t")]
impl TransportGateway {
    #[subscribe("ping")]
    async fn ping(&self) -> &'static str {
        "pong"
    }

    /// Sends a large event to the sender, for the compression test.
    #[subscribe("big")]
    async fn big(&self, socket: SocketRef) {
        socket.emit("big", &big_text()).ok();
    }
}

async fn server(configure: impl FnOnce(GatewayApp) -> GatewayApp) -> TestServer {
    TestServer::start(configure(GatewayApp::explicit().link::<TransportGateway>()))
        .await
        .expect("server starts")
}

/// An HTTP exchange made with curl: the status, the headers (lowercased names) and the
/// body exactly as sent (not decompressed).
struct Exchange {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Exchange {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `curl` with `args` (plus `-s -i`), off the runtime's threads.
async fn curl(args: Vec<String>) -> Exchange {
    let output = tokio::task::spawn_blocking(move || {
        Command::new("curl")
            .args(["-s", "-i", "--max-time", "10"])
            .args(&args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run curl (is it installed?): {e}"))
    })
    .await
    .expect("curl ran");
    assert!(output.status.success(), "curl failed: {output:?}");
    let raw = output.stdout;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Exchange {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn polling_url(server: &TestServer, sid: Option<&str>) -> String {
    let mut url = format!("{}/socket.io/?EIO=4&transport=polling", server.url());
    if let Some(sid) = sid {
        url.push_str("&sid=");
        url.push_str(sid);
    }
    url
}

/// Opens an Engine.IO session over long-polling; returns its sid.
async fn polling_handshake(server: &TestServer) -> String {
    let open = curl(vec![polling_url(server, None)]).await;
    assert_eq!(open.status, 200, "{}", String::from_utf8_lossy(&open.body));
    let body = String::from_utf8(open.body).expect("text");
    let json = body.strip_prefix('0').expect("an OPEN packet");
    let open: serde_json::Value = serde_json::from_str(json).expect("JSON");
    open["sid"].as_str().expect("a sid").to_owned()
}

async fn post(server: &TestServer, sid: &str, body: &str) {
    let sent = curl(vec![
        "-X".into(),
        "POST".into(),
        "-H".into(),
        "Content-Type: text/plain;charset=UTF-8".into(),
        "--data-binary".into(),
        body.into(),
        polling_url(server, Some(sid)),
    ])
    .await;
    assert_eq!(sent.status, 200, "{}", String::from_utf8_lossy(&sent.body));
}

#[tokio::test]
async fn a_websocket_only_server_refuses_polling_with_engineios_error() {
    let server = server(|app| app.transports(Transports::WebSocket)).await;
    let refused = curl(vec![polling_url(&server, None)]).await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        String::from_utf8_lossy(&refused.body),
        r#"{"code":"3","message":"Bad request"}"#
    );
    // WebSocket still works.
    let client = TestClient::connect_addr(server.addr())
        .await
        .expect("websocket connects");
    let socket = client.namespace("/t", None).await.expect("joins /t");
    assert_eq!(socket.call("ping", ()).await.expect("ack")["data"], "pong");
}

#[tokio::test]
async fn a_polling_only_server_refuses_websocket() {
    let server = server(|app| app.transports(Transports::Polling)).await;
    assert!(
        TestClient::connect_addr(server.addr()).await.is_err(),
        "a WebSocket handshake must be refused"
    );
    // Polling still works.
    polling_handshake(&server).await;
}

/// GETs until a payload holds a packet starting with `prefix` (socketioxide sends a PING
/// first); returns that exchange and its packets, decompressed when it came compressed.
async fn poll_for(
    server: &TestServer,
    sid: &str,
    gzip: bool,
    prefix: &str,
) -> (Exchange, Vec<String>) {
    for _ in 0..5 {
        let mut args = vec![polling_url(server, Some(sid))];
        if gzip {
            args.insert(0, "Accept-Encoding: gzip".into());
            args.insert(0, "-H".into());
        }
        let got = curl(args).await;
        assert_eq!(got.status, 200, "{}", String::from_utf8_lossy(&got.body));
        let text = match got.header("content-encoding") {
            Some("gzip") => gunzip(&got.body),
            Some(other) => panic!("unexpected encoding {other}"),
            None => String::from_utf8(got.body.clone()).expect("text"),
        };
        // Engine.IO v4 joins the packets of one payload with the record separator.
        let packets: Vec<String> = text.split('\u{1e}').map(str::to_owned).collect();
        if packets.iter().any(|p| p.starts_with(prefix)) {
            return (got, packets);
        }
    }
    panic!("no packet starting with {prefix:?} in 5 polls")
}

#[tokio::test]
async fn long_polling_responses_above_1_kb_are_compressed_when_asked() {
    let server = server(|app| app.http_compression(true)).await;
    let sid = polling_handshake(&server).await;
    post(&server, &sid, "40/t,").await;
    // The namespace CONNECT's answer: small, so never compressed.
    let (connected, _) = poll_for(&server, &sid, true, "40/t,").await;
    assert_eq!(connected.header("content-encoding"), None);

    let expected = format!(
        "42/t,{}",
        serde_json::to_string(&("big", big_text())).expect("json")
    );
    post(&server, &sid, r#"42/t,["big"]"#).await;
    let (big, packets) = poll_for(&server, &sid, true, "42/t,").await;
    assert_eq!(big.header("content-encoding"), Some("gzip"));
    assert!(packets.contains(&expected), "decompressed, the same packet");
    assert!(
        big.body.len() < expected.len() / 4,
        "{} compressed bytes for {} bytes of packets",
        big.body.len(),
        expected.len()
    );

    // Without `Accept-Encoding`, the same packet comes back as it is.
    post(&server, &sid, r#"42/t,["big"]"#).await;
    let (plain, packets) = poll_for(&server, &sid, false, "42/t,").await;
    assert_eq!(plain.header("content-encoding"), None);
    assert!(packets.contains(&expected));
}

#[tokio::test]
async fn without_the_setting_nothing_is_compressed() {
    let server = server(|app| app).await;
    let sid = polling_handshake(&server).await;
    post(&server, &sid, "40/t,").await;
    poll_for(&server, &sid, true, "40/t,").await;
    post(&server, &sid, r#"42/t,["big"]"#).await;
    let (big, _) = poll_for(&server, &sid, true, "42/t,").await;
    assert_eq!(big.header("content-encoding"), None);
}

/// gzip -d, through the system's gzip.
fn gunzip(bytes: &[u8]) -> String {
    use std::io::Write as _;
    let mut child = Command::new("gzip")
        .arg("-dc")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("written");
    let out = child.wait_with_output().expect("gzip finishes");
    assert!(out.status.success(), "not gzip data");
    String::from_utf8(out.stdout).expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_client_connects_on_the_allowed_transport_only() {
    let interop = gateway_tests::interop::dir_with("socket.io-client");
    let ws = server(|app| app.transports(Transports::WebSocket)).await;
    let polling = server(|app| app.transports(Transports::Polling)).await;
    let mut node = Command::new("node");
    node.args(["--test", "transports.test.mjs"])
        .current_dir(&interop)
        .env("WS_URL", ws.url())
        .env("POLLING_URL", polling.url());
    run_bounded(node, Duration::from_secs(60))
        .await
        .assert_passed("node --test transports.test.mjs");
}

#[tokio::test]
async fn a_compressed_request_body_is_not_inflated_and_costs_only_its_session() {
    let server = server(|app| app.http_compression(true)).await;
    let sid = polling_handshake(&server).await;
    // 10 MB of zeros gzip to about 10 KB: a decompression bomb if the server inflated
    // request bodies. It does not: the bytes are read as they are, are no Engine.IO
    // payload, and close that session only.
    let bomb = gzip(&vec![b'0'; 10_000_000]);
    assert!(bomb.len() < 20_000, "{} bytes", bomb.len());
    let path = std::env::temp_dir().join(format!("gateway-bomb-{}.gz", std::process::id()));
    std::fs::write(&path, &bomb).expect("written");
    let refused = curl(vec![
        "-X".into(),
        "POST".into(),
        "-H".into(),
        "Content-Encoding: gzip".into(),
        "-H".into(),
        "Content-Type: text/plain;charset=UTF-8".into(),
        "--data-binary".into(),
        format!("@{}", path.display()),
        polling_url(&server, Some(&sid)),
    ])
    .await;
    std::fs::remove_file(&path).ok();
    assert_eq!(
        refused.status,
        400,
        "{}",
        String::from_utf8_lossy(&refused.body)
    );
    // The server serves a new session as before.
    let other = polling_handshake(&server).await;
    post(&server, &other, "40/t,").await;
    poll_for(&server, &other, false, "40/t,").await;
}

/// gzip, through the system's gzip.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut child = Command::new("gzip")
        .arg("-c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("gzip finishes");
    writer.join().expect("writer").expect("written");
    out.stdout
}

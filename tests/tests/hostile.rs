//! Hostile input, one test per attack, over real sockets on 127.0.0.1.
//!
//! After every attack: the server is still up; a bystander that connected before the attack
//! still gets its acks; a packet that breaks the protocol closes its sender's connection
//! only; and every well-formed emit that asked for an ack got exactly one structured ack.
//!
//! Most attacks go through [`NsClient::send_raw`] (WebSocket). Where the exact ack of a raw
//! packet matters, or where the attack is at the HTTP level, [`Polling`] speaks Engine.IO
//! long-polling over plain HTTP/1.0 requests, so the test sees every byte the server sends.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::future::join_all;
use serde_json::json;
use socketioxide_gateway::testing::{Arg, NsClient, TestClient, TestClientError, TestServer};
use socketioxide_gateway::{Auth, prelude::*};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{sleep, timeout};

// ==== the gateways under attack ====

#[derive(Debug, Deserialize, Validate)]
struct Note {
    #[validate(length(min = 1, max = 10))]
    text: String,
}

#[derive(Default)]
struct Target;

#[gateway(namespace = "/hostile")]
impl Target {
    #[subscribe("echo")]
    async fn echo(&self, value: serde_json::Value) -> serde_json::Value {
        value
    }

    #[subscribe("add")]
    async fn add(&self, a: f64, b: f64) -> f64 {
        a + b
    }

    #[subscribe("note")]
    async fn note(&self, Valid(note): Valid<Note>) -> usize {
        note.text.len()
    }

    /// Four binary attachments in, their sizes out.
    #[subscribe("sizes")]
    async fn sizes(&self, a: Bytes, b: Bytes, c: Bytes, d: Bytes) -> [usize; 4] {
        [a.len(), b.len(), c.len(), d.len()]
    }
}

/// Lets in clients whose auth payload is `{"key": "open-sesame"}`.
struct KeyGuard;

impl Guard for KeyGuard {
    async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        match cx
            .auth()
            .and_then(|auth| auth.get("key"))
            .and_then(|k| k.as_str())
        {
            Some("open-sesame") => Ok(()),
            _ => Err(WsError::unauthorized("a valid key is required")),
        }
    }
}

#[derive(Default)]
struct Locked;

#[gateway(namespace = "/locked")]
#[guard(KeyGuard)]
impl Locked {
    #[subscribe("echo")]
    async fn echo(&self, value: serde_json::Value) -> serde_json::Value {
        value
    }
}

#[derive(Debug, Deserialize)]
struct Hello {
    name: String,
}

/// An `#[on_connect]` hook that reads the auth payload.
#[derive(Default)]
struct Greeter;

#[gateway(namespace = "/greet")]
impl Greeter {
    #[on_connect]
    async fn hello(&self, socket: SocketRef, Auth(hello): Auth<Hello>) {
        socket.emit("welcome", &hello.name).ok();
    }

    #[subscribe("ping")]
    async fn ping(&self) -> &'static str {
        "pong"
    }
}

// ==== helpers ====

fn config(edit: impl FnOnce(&mut GatewayConfig)) -> GatewayConfig {
    let mut config = GatewayConfig::default();
    edit(&mut config);
    config
}

async fn server_with(config: GatewayConfig) -> TestServer {
    let app = GatewayApp::explicit()
        .config(config)
        .link::<Target>()
        .link::<Locked>()
        .link::<Greeter>();
    TestServer::start(app).await.expect("server starts")
}

async fn server() -> TestServer {
    server_with(GatewayConfig::default()).await
}

/// A new connection joined to `/hostile`.
async fn join(server: &TestServer) -> NsClient {
    server.socket("/hostile").await.expect("joins /hostile")
}

/// The bystander (or the attacker, when it must have survived) still gets its acks, and no
/// ack ever arrived twice or unasked on its connection.
async fn assert_alive(socket: &NsClient) {
    assert_eq!(
        socket.call("add", (1, 2)).await.expect("ack"),
        json!({"ok": true, "data": 3.0}),
        "the socket no longer gets its acks"
    );
    assert_eq!(socket.stray_acks(), 0, "an ack arrived twice or unasked");
}

/// The server closed this socket's Engine.IO connection (not just its namespace).
async fn assert_dropped(socket: &mut NsClient, what: &str) {
    let reason = socket
        .closed_within(Duration::from_secs(2))
        .await
        .unwrap_or_else(|e| panic!("{what}: the sender was not disconnected: {e}"));
    assert!(
        reason.starts_with("transport"),
        "{what}: closed for {reason:?}"
    );
}

/// Nothing more arrives on `socket`, in particular no second ack.
async fn assert_quiet(socket: &mut NsClient) {
    socket
        .expect_silence(Duration::from_millis(150))
        .await
        .expect("no stray event");
    assert_eq!(socket.stray_acks(), 0, "an ack arrived twice or unasked");
}

/// Sends each packet on a fresh connection and checks that it costs that connection only.
async fn each_drops_its_sender(server: &TestServer, bystander: &NsClient, packets: &[&str]) {
    for packet in packets {
        let mut attacker = join(server).await;
        attacker.send_raw(packet).await.expect("sent");
        assert_dropped(&mut attacker, &format!("packet {packet:?}")).await;
        assert_alive(bystander).await;
    }
}

/// `[[[...]]]`, `depth` arrays deep.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

// ==== a raw Engine.IO long-polling session ====

/// One Engine.IO session over HTTP long-polling, each request on its own HTTP/1.0
/// connection: raw packets out, raw packets in.
struct Polling {
    addr: SocketAddr,
    sid: String,
    inbox: VecDeque<String>,
}

/// One HTTP/1.0 exchange; returns the status and the body.
async fn http(addr: SocketAddr, method: &str, sid: Option<&str>, body: &str) -> (u16, String) {
    let sid = sid.map(|sid| format!("&sid={sid}")).unwrap_or_default();
    let request = format!(
        "{method} /socket.io/?EIO=4&transport=polling{sid} HTTP/1.0\r\nHost: {addr}\r\n\
         Content-Type: text/plain;charset=UTF-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await?;
        Ok::<_, std::io::Error>(response)
    };
    let response = timeout(Duration::from_secs(3), exchange)
        .await
        .unwrap_or_else(|_| panic!("no HTTP answer to {method} {sid}"))
        .unwrap_or_else(|e| panic!("HTTP {method} {sid} failed: {e}"));
    let response = String::from_utf8_lossy(&response);
    let (head, body) = response
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, body.to_owned())
}

impl Polling {
    /// The handshake: an Engine.IO session that has joined no namespace yet.
    async fn open(addr: SocketAddr) -> Self {
        let (status, body) = http(addr, "GET", None, "").await;
        assert_eq!(status, 200, "handshake: {body}");
        let open: serde_json::Value = body
            .strip_prefix('0')
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_else(|| panic!("not an OPEN packet: {body:?}"));
        let sid = open["sid"].as_str().expect("sid").to_owned();
        Self {
            addr,
            sid,
            inbox: VecDeque::new(),
        }
    }

    /// A session joined to `/hostile`.
    async fn join(addr: SocketAddr) -> Self {
        let mut session = Self::open(addr).await;
        session.post(&["40/hostile,"]).await;
        let connect = session.recv().await.expect("CONNECT answer");
        assert!(connect.starts_with("40/hostile,{\"sid\":"), "{connect}");
        session
    }

    /// POSTs Engine.IO packets (`4...` for a Socket.IO packet); returns the HTTP status.
    async fn post_status(&self, packets: &[&str]) -> (u16, String) {
        http(self.addr, "POST", Some(&self.sid), &packets.join("\x1e")).await
    }

    /// POSTs Engine.IO packets, which the server must accept.
    async fn post(&self, packets: &[&str]) {
        let (status, body) = self.post_status(packets).await;
        assert_eq!((status, body.as_str()), (200, "ok"), "POST {packets:?}");
    }

    /// POSTs Socket.IO packets (each gets the Engine.IO `4`).
    async fn send(&self, packets: &[&str]) {
        let packets: Vec<String> = packets.iter().map(|p| format!("4{p}")).collect();
        let packets: Vec<&str> = packets.iter().map(String::as_str).collect();
        self.post(&packets).await;
    }

    /// The next Engine.IO packet other than a ping (pings are answered); `Err` with what the
    /// server said when the session is gone.
    async fn recv(&mut self) -> Result<String, String> {
        loop {
            if let Some(packet) = self.inbox.pop_front() {
                if packet == "2" {
                    self.post(&["3"]).await;
                    continue;
                }
                if packet == "1" {
                    return Err("CLOSE packet".to_owned());
                }
                return Ok(packet);
            }
            let (status, body) = http(self.addr, "GET", Some(&self.sid), "").await;
            if status != 200 || body.is_empty() {
                return Err(format!("{status} {body}"));
            }
            self.inbox.extend(body.split('\x1e').map(str::to_owned));
        }
    }

    /// Sends a Socket.IO packet and returns the next packet received (its ack, typically).
    async fn exchange(&mut self, packet: &str) -> String {
        self.send(&[packet]).await;
        self.recv()
            .await
            .unwrap_or_else(|e| panic!("no answer to {packet:?}: {e}"))
    }

    /// Whether the server has dropped this session.
    async fn is_gone(&self) -> bool {
        let (status, body) = http(self.addr, "GET", Some(&self.sid), "").await;
        status == 400 && body.contains("Session ID unknown")
    }
}

/// Splits an EVENT or ACK packet into its header (type, namespace, id) and its JSON data,
/// to compare the data as JSON (key order is not part of the contract).
fn split_packet(packet: &str) -> (&str, serde_json::Value) {
    let start = packet
        .find(['[', '{'])
        .unwrap_or_else(|| panic!("no data in {packet:?}"));
    let data = serde_json::from_str(&packet[start..])
        .unwrap_or_else(|e| panic!("bad JSON in {packet:?}: {e}"));
    (&packet[..start], data)
}

/// Asserts that `packet` is the ack `id` on `ns`, with exactly one argument, `body`.
#[track_caller]
fn assert_ack(packet: &str, ns: &str, id: &str, body: serde_json::Value) {
    let (header, data) = split_packet(packet);
    assert_eq!(header, format!("43{ns},{id}"), "{packet}");
    assert_eq!(data, json!([body]), "{packet}");
}

// ==== malformed packets ====

#[tokio::test]
async fn garbage_after_the_message_type_drops_its_sender_only() {
    let server = server().await;
    let bystander = join(&server).await;
    each_drops_its_sender(
        &server,
        &bystander,
        &["garbage", "", "\u{1F4A5}", "/hostile,[\"echo\"]", "   "],
    )
    .await;
}

#[tokio::test]
async fn a_bad_packet_type_drops_its_sender_only() {
    let server = server().await;
    let bystander = join(&server).await;
    each_drops_its_sender(
        &server,
        &bystander,
        &[
            "7/hostile,[\"echo\",1]",
            "9",
            // CONNECT_ERROR is server-to-client only.
            "4/hostile,{\"message\":\"x\"}",
            // An ACK without an id.
            "3/hostile,[1]",
            // BINARY_EVENT without an attachment count.
            "5/hostile,[\"echo\",1]",
            "5x-/hostile,[\"echo\",1]",
        ],
    )
    .await;
}

#[tokio::test]
async fn broken_json_drops_its_sender_only() {
    let server = server().await;
    let bystander = join(&server).await;
    each_drops_its_sender(
        &server,
        &bystander,
        &[
            "2/hostile,1[\"echo\",{\"a\":",
            "2/hostile,1[\"echo\",]",
            "2/hostile,1[\"echo\" 1]",
            "2/hostile,1[\"echo\",tru]",
            "2/hostile,1[\"ech",
        ],
    )
    .await;
}

#[tokio::test]
async fn event_data_that_is_not_an_array_drops_its_sender_only() {
    let server = server().await;
    let bystander = join(&server).await;
    each_drops_its_sender(
        &server,
        &bystander,
        &[
            "2/hostile,1{\"event\":\"echo\"}",
            "2/hostile,1\"echo\"",
            "2/hostile,1true",
            "2/hostile,1null",
            "2/hostile,",
        ],
    )
    .await;
}

#[tokio::test]
async fn an_event_name_that_is_not_a_string_drops_its_sender_only() {
    let server = server().await;
    let bystander = join(&server).await;
    each_drops_its_sender(
        &server,
        &bystander,
        &[
            "2/hostile,1[42,\"x\"]",
            "2/hostile,1[null]",
            "2/hostile,1[{\"name\":\"echo\"}]",
            "2/hostile,1[[\"echo\"]]",
            "2/hostile,1[]",
        ],
    )
    .await;
}

#[tokio::test]
async fn a_negative_ack_id_drops_its_sender_only() {
    let server = server().await;
    let bystander = join(&server).await;
    each_drops_its_sender(
        &server,
        &bystander,
        &[
            "2/hostile,-1[\"echo\",1]",
            "2/hostile,-9223372036854775808[\"echo\",1]",
            // An ACK whose id cannot be read has no id: malformed.
            "3/hostile,-1[\"unasked\"]",
            "3/hostile,99999999999999999999[\"unasked\"]",
        ],
    )
    .await;
}

#[tokio::test]
async fn an_ack_id_beyond_i64_runs_the_event_without_an_ack() {
    let server = server().await;
    let bystander = join(&server).await;
    let mut attacker = join(&server).await;
    for id in ["9223372036854775808", "99999999999999999999999999999999"] {
        attacker
            .send_raw(&format!("2/hostile,{id}[\"echo\",1]"))
            .await
            .expect("sent");
    }
    // No ack can carry that id: none is sent, and the connection stays up.
    assert_quiet(&mut attacker).await;
    assert_alive(&attacker).await;
    assert_alive(&bystander).await;
}

#[tokio::test]
async fn the_largest_ack_id_gets_its_ack() {
    let server = server().await;
    let bystander = join(&server).await;
    let mut attacker = Polling::join(server.addr()).await;
    let max = i64::MAX.to_string();
    let packet = attacker
        .exchange(&format!("2/hostile,{max}[\"echo\",\"far\"]"))
        .await;
    assert_ack(
        &packet,
        "/hostile",
        &max,
        json!({"ok": true, "data": "far"}),
    );
    // Exactly one ack: the next packet is the answer to the next emit.
    let packet = attacker.exchange("2/hostile,0[\"add\",1,1]").await;
    assert_ack(&packet, "/hostile", "0", json!({"ok": true, "data": 2.0}));
    assert_alive(&bystander).await;
}

#[tokio::test]
async fn an_ack_for_nothing_is_ignored() {
    let server = server().await;
    let bystander = join(&server).await;
    let mut attacker = join(&server).await;
    for id in [0, 12345, i64::MAX] {
        attacker
            .send_raw(&format!("3/hostile,{id}[\"unasked\"]"))
            .await
            .expect("sent");
    }
    assert_quiet(&mut attacker).await;
    assert_alive(&attacker).await;
    assert_alive(&bystander).await;
}

/// An event name with a JSON escape (a quote, a backslash, a control character): a JS
/// client sends `socket.emit('say "hi"')` as `["say \"hi\""]`. socketioxide 0.18 reads the
/// name as a borrowed `&str`, fails on the escape and closes that connection before any
/// handler (or our not-found fallback) sees the event; `#[subscribe]` refuses such names at
/// compile time (`ui/fail/escaped-event.rs`). What must hold: it costs the sender only, no
/// ack is ever sent twice, and a name that needs no escape (`café`) is routed normally.
#[tokio::test]
async fn an_event_name_with_escapes_drops_its_sender_only() {
    let server = server().await;
    let bystander = join(&server).await;
    for name in ["say \"hi\"", "back\\slash", "tab\there"] {
        let mut attacker = join(&server).await;
        let outcome = attacker.call(name, 1).await;
        assert!(outcome.is_err(), "{name:?} was acked: {outcome:?}");
        assert_dropped(&mut attacker, &format!("event {name:?}")).await;
        assert_eq!(attacker.stray_acks(), 0);
        assert_alive(&bystander).await;
    }
    let unicode = join(&server).await;
    assert_eq!(
        unicode.call("caf\u{e9}", 1).await.expect("ack"),
        json!({"ok": false, "error": {"code": "not_found", "message": "no handler for event `caf\u{e9}`"}})
    );
}

// ==== wrong payloads, unknown events and namespaces ====

#[tokio::test]
async fn wrong_payload_types_get_structured_errors() {
    let server = server().await;
    let bystander = join(&server).await;
    let mut attacker = join(&server).await;
    let bad =
        |message: &str| json!({"ok": false, "error": {"code": "bad_payload", "message": message}});
    let cases: Vec<(&str, Vec<Arg>, serde_json::Value)> = vec![
        (
            "add",
            vec![Arg::from("two"), Arg::from(3)],
            bad("invalid type: string, expected f64"),
        ),
        (
            "add",
            vec![Arg::Json(json!({})), Arg::Json(json!([]))],
            bad("invalid type: map, expected f64"),
        ),
        (
            "add",
            vec![Arg::Json(json!(null)), Arg::from(1)],
            bad("invalid type: null, expected f64"),
        ),
        (
            "add",
            vec![],
            bad("invalid length 0, expected a tuple of size 2"),
        ),
        (
            "add",
            // The attachment's placeholder is what fails to decode.
            vec![Arg::Binary(Bytes::from_static(b"\x01")), Arg::from(1)],
            bad("invalid type: map, expected f64"),
        ),
        (
            "note",
            vec![Arg::from("text")],
            bad("invalid type: string, expected struct Note"),
        ),
        (
            "note",
            vec![Arg::Json(json!({"text": 5}))],
            bad("invalid type: integer, expected a string"),
        ),
        (
            "note",
            vec![Arg::Json(json!({"txet": "x"}))],
            bad("missing field `text`"),
        ),
        (
            "note",
            vec![Arg::Json(json!({"text": ""}))],
            json!({"ok": false, "error": {
                "code": "validation_failed",
                "message": "payload failed validation",
                "details": {"text": [{"code": "length", "message": "failed the `length` check (max: 10, min: 1)"}]},
            }}),
        ),
        (
            "sizes",
            vec![Arg::from(1), Arg::from(2), Arg::from(3), Arg::from(4)],
            bad("invalid type: integer, expected a binary payload"),
        ),
    ];
    for (event, args, expected) in cases {
        let got = attacker
            .call(event, args.clone())
            .await
            .unwrap_or_else(|e| panic!("{event} {args:?}: {e}"));
        assert_eq!(got, expected, "{event} {args:?}");
    }
    assert_quiet(&mut attacker).await;
    assert_alive(&attacker).await;
    assert_alive(&bystander).await;
}

#[tokio::test]
async fn unknown_events_get_not_found_when_they_ask_for_an_ack() {
    let server = server().await;
    let bystander = join(&server).await;
    let mut attacker = join(&server).await;
    let long = "x".repeat(4096);
    for name in ["nope", "", "Echo", "echo ", long.as_str()] {
        assert_eq!(
            attacker.call(name, ("a", 1)).await.expect("ack"),
            json!({"ok": false, "error": {
                "code": "not_found",
                "message": format!("no handler for event `{name}`"),
            }}),
            "event {name:?}"
        );
    }
    // Without an ack: nothing comes back (no `exception` event by default), nothing breaks.
    for name in ["nope", "", long.as_str()] {
        attacker.emit(name, ("a", 1)).await.expect("sent");
    }
    assert_quiet(&mut attacker).await;
    assert_alive(&attacker).await;
    assert_alive(&bystander).await;
}

#[tokio::test]
async fn an_unknown_namespace_is_refused_and_the_connection_lives_on() {
    let server = server().await;
    let bystander = join(&server).await;
    let client = TestClient::connect(&server.url()).await.expect("connects");
    for ns in ["/nope", "/hostile/sub", "/HOSTILE", "/", "/\u{1F4A5}"] {
        match client.namespace(ns, None).await {
            Err(TestClientError::ConnectRefused { message }) => {
                assert_eq!(message, "Invalid namespace", "{ns}");
            }
            other => panic!("{ns}: expected a refusal, got {other:?}"),
        }
    }
    let mut socket = client.namespace("/hostile", None).await.expect("joins");
    // An event for a namespace that does not exist is ignored (as socket.io does).
    socket.send_raw("2/nope,7[\"echo\",1]").await.expect("sent");
    assert_quiet(&mut socket).await;
    assert_alive(&socket).await;
    assert_alive(&bystander).await;
}

#[tokio::test]
async fn an_event_for_a_namespace_not_joined_drops_its_sender_only() {
    let server = server().await;
    let bystander = join(&server).await;
    // `/locked` exists, but this connection never joined it.
    each_drops_its_sender(&server, &bystander, &["2/locked,3[\"echo\",1]"]).await;
}

// ==== resource exhaustion ====

#[tokio::test]
async fn a_10k_deep_payload_gets_bad_payload() {
    let server = server().await;
    let bystander = join(&server).await;
    let mut attacker = Polling::join(server.addr()).await;
    let malformed =
        json!({"ok": false, "error": {"code": "bad_payload", "message": "malformed payload"}});
    let wrong_type = json!({"ok": false, "error": {
        "code": "bad_payload",
        "message": "invalid type: sequence, expected a string",
    }});
    let deep_array = nested(10_000);
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let accepted = json!({"ok": true, "data": 2});
    let cases = [
        ("1", format!("[\"echo\",{deep_array}]"), &malformed),
        ("2", format!("[\"echo\",{deep_object}]"), &malformed),
        // 40 times deeper, just under `max_payload` (1 MB).
        ("3", format!("[\"echo\",{}]", nested(400_000)), &malformed),
        // In a `Valid<T>` payload: a field that is too deep...
        (
            "4",
            format!("[\"note\",{{\"text\":{deep_array}}}]"),
            &wrong_type,
        ),
        // ... or one that is ignored: skipped without recursion, no limit needed.
        (
            "5",
            format!("[\"note\",{{\"text\":\"ok\",\"extra\":{deep_object}}}]"),
            &accepted,
        ),
        // After the arguments the handler reads.
        ("6", format!("[\"add\",1,2,{deep_array}]"), &malformed),
    ];
    for (id, data, expected) in cases {
        let packet = attacker.exchange(&format!("2/hostile,{id}{data}")).await;
        assert_ack(&packet, "/hostile", id, expected.clone());
    }
    // For an unknown event, the payload is never decoded.
    let packet = attacker
        .exchange(&format!("2/hostile,7[\"nope\",{deep_array}]"))
        .await;
    assert_ack(
        &packet,
        "/hostile",
        "7",
        json!({"ok": false, "error": {"code": "not_found", "message": "no handler for event `nope`"}}),
    );
    let packet = attacker.exchange("2/hostile,8[\"add\",1,1]").await;
    assert_ack(&packet, "/hostile", "8", json!({"ok": true, "data": 2.0}));
    assert_alive(&bystander).await;
}

#[tokio::test]
async fn a_10k_deep_event_name_drops_its_sender_only() {
    let server = server().await;
    let bystander = join(&server).await;
    let packet = format!("2/hostile,1[{}]", nested(10_000));
    each_drops_its_sender(&server, &bystander, &[packet.as_str()]).await;
}

#[tokio::test]
async fn an_oversized_payload_drops_its_sender_only() {
    let server = server_with(config(|c| c.max_payload = 4 * 1024)).await;
    let bystander = join(&server).await;
    let big = "x".repeat(8 * 1024);

    // WebSocket: the message is refused and the connection closed.
    let mut attacker = join(&server).await;
    assert_alive(&attacker).await;
    attacker.emit("echo", big.as_str()).await.ok();
    assert_dropped(&mut attacker, "an 8 KiB message").await;
    assert_alive(&bystander).await;

    // Long-polling: the POST is refused with 413 and the session closed.
    let attacker = Polling::join(server.addr()).await;
    let (status, _) = attacker
        .post_status(&[&format!("42/hostile,1[\"echo\",\"{big}\"]")])
        .await;
    assert_eq!(status, 413);
    assert!(attacker.is_gone().await, "the session survived");
    assert_alive(&bystander).await;

    // Just under the limit is fine.
    let fits = "x".repeat(3 * 1024);
    let socket = join(&server).await;
    assert_eq!(
        socket.call("echo", fits.as_str()).await.expect("ack"),
        json!({"ok": true, "data": fits})
    );
}

fn binary_limits() -> GatewayConfig {
    config(|c| {
        c.max_binary_attachments = 4;
        c.max_binary_size = 1024;
        c.binary_completion_timeout = Duration::from_millis(200);
    })
}

fn blobs(sizes: &[usize]) -> Vec<Arg> {
    sizes
        .iter()
        .map(|&n| Arg::Binary(Bytes::from(vec![7u8; n])))
        .collect()
}

#[tokio::test]
async fn too_many_binary_attachments_drop_their_sender_only() {
    let server = server_with(binary_limits()).await;
    let bystander = join(&server).await;
    let mut attacker = join(&server).await;
    // At the limit: answered.
    assert_eq!(
        attacker
            .call("sizes", blobs(&[1, 2, 3, 4]))
            .await
            .expect("ack"),
        json!({"ok": true, "data": [1, 2, 3, 4]})
    );
    // One more: the connection is closed, the handler never runs.
    let err = attacker
        .emit_with_ack("sizes", blobs(&[1, 2, 3, 4, 5]))
        .await
        .expect_err("no ack");
    assert!(matches!(err, TestClientError::Closed), "{err}");
    assert_dropped(&mut attacker, "5 attachments").await;
    assert_alive(&bystander).await;

    // Announced without the frames: refused on the header alone.
    each_drops_its_sender(
        &server,
        &bystander,
        &[
            "55-/hostile,1[\"sizes\",1]",
            "51000000-/hostile,1[\"sizes\",1]",
        ],
    )
    .await;
}

#[tokio::test]
async fn binary_attachments_over_the_size_limit_drop_their_sender_only() {
    let server = server_with(binary_limits()).await;
    let bystander = join(&server).await;
    let mut attacker = join(&server).await;
    assert_eq!(
        attacker
            .call("sizes", blobs(&[256, 256, 256, 256]))
            .await
            .expect("ack"),
        json!({"ok": true, "data": [256, 256, 256, 256]})
    );
    attacker.emit("sizes", blobs(&[1, 1, 1, 1022])).await.ok();
    assert_dropped(&mut attacker, "1025 bytes of attachments").await;
    assert_alive(&bystander).await;
}

const ANNOUNCE_ONE: &str = "51-/hostile,1[\"sizes\",{\"_placeholder\":true,\"num\":0}]";

#[tokio::test]
async fn attachments_announced_but_never_sent_block_only_their_sender() {
    let server = server_with(binary_limits()).await;
    let bystander = join(&server).await;
    let mut attacker = join(&server).await;
    attacker.send_raw(ANNOUNCE_ONE).await.expect("sent");
    // The packet waits for its attachment: the handler does not run, no ack.
    assert_quiet(&mut attacker).await;
    assert_alive(&bystander).await;
    // A text packet instead of the attachment breaks the protocol.
    attacker.send_raw("2/hostile,2[\"add\",1,1]").await.ok();
    assert_dropped(&mut attacker, "a text packet instead of the attachment").await;
    assert_alive(&bystander).await;
}

/// socketioxide checks `binary_completion_timeout` when an attachment arrives, not on a
/// timer: a sender that announces attachments and never sends them keeps its connection
/// (and at most `max_binary_size` bytes) until it leaves, like any idle client; one whose
/// attachment arrives after the timeout is dropped.
#[tokio::test]
async fn an_attachment_after_the_completion_timeout_drops_its_sender() {
    let server = server_with(binary_limits()).await;
    let bystander = join(&server).await;
    let mut attacker = join(&server).await;
    attacker.send_raw(ANNOUNCE_ONE).await.expect("sent");
    // `binary_completion_timeout` is 200 ms.
    sleep(Duration::from_millis(400)).await;
    attacker.send_raw_binary(vec![7u8; 4]).await.ok();
    assert_dropped(&mut attacker, "an attachment after the completion timeout").await;
    assert_eq!(attacker.stray_acks(), 0);
    assert_alive(&bystander).await;
}

#[tokio::test]
async fn a_flood_of_connections_that_never_join_is_dropped_after_the_connect_timeout() {
    const TIMEOUT: Duration = Duration::from_millis(500);
    let server = server_with(config(|c| c.connect_timeout = TIMEOUT)).await;
    let bystander = join(&server).await;

    // 100 WebSocket and 100 long-polling Engine.IO connections that never send CONNECT.
    let url = server.url();
    let ws = join_all((0..100).map(|_| TestClient::connect(&url))).await;
    let ws: Vec<TestClient> = ws.into_iter().map(|c| c.expect("connects")).collect();
    let polling = join_all((0..100).map(|_| Polling::open(server.addr()))).await;
    let flooded = Instant::now();
    assert_eq!(ws.len() + polling.len(), 200);

    // Within the timeout, a connection that has not joined yet is kept.
    let early = Polling::open(server.addr()).await;
    assert!(!early.is_gone().await, "dropped before the connect timeout");

    // After it, every one is gone.
    let deadline = flooded + TIMEOUT + Duration::from_secs(2);
    while ws.iter().any(|c| !c.is_closed()) && Instant::now() < deadline {
        sleep(Duration::from_millis(20)).await;
    }
    let open = ws.iter().filter(|c| !c.is_closed()).count();
    assert_eq!(
        open, 0,
        "{open} WebSocket connections outlived the connect timeout"
    );
    sleep(
        (flooded + TIMEOUT + Duration::from_millis(200)).saturating_duration_since(Instant::now()),
    )
    .await;
    // One GET per session: a live one answers at once with its first PING.
    let kept = join_all(polling.iter().map(Polling::is_gone))
        .await
        .into_iter()
        .filter(|gone| !gone)
        .count();
    assert_eq!(
        kept, 0,
        "{kept} polling sessions outlived the connect timeout"
    );

    // The bystander had joined: it is kept, and new clients are still served.
    assert_alive(&bystander).await;
    assert_alive(&join(&server).await).await;
}

// ==== auth payloads ====

#[tokio::test]
async fn an_auth_payload_that_is_not_an_object_is_refused_by_a_guard() {
    let server = server().await;
    let bystander = join(&server).await;
    // Raw CONNECTs (`40/locked,<auth>`), so that the auth can be any text.
    let mut attacker = Polling::open(server.addr()).await;
    let refused = |message: &str| format!("44/locked,{}", json!({ "message": message }));
    let deep = nested(10_000);
    let cases = [
        ("\"open-sesame\"", "a valid key is required"),
        ("[\"open-sesame\"]", "a valid key is required"),
        ("[{\"key\":\"open-sesame\"}]", "a valid key is required"),
        ("42", "a valid key is required"),
        ("null", "a valid key is required"),
        ("true", "a valid key is required"),
        ("{\"key\":[\"open-sesame\"]}", "a valid key is required"),
        ("{\"key\":", "the auth payload does not decode"),
        ("open-sesame", "the auth payload does not decode"),
        (deep.as_str(), "the auth payload does not decode"),
    ];
    for (auth, message) in cases {
        assert_eq!(
            attacker.exchange(&format!("0/locked,{auth}")).await,
            refused(message),
            "auth {auth:.40}"
        );
    }
    assert_alive(&bystander).await;
    // A refusal is not a disconnection: the same session can still authenticate.
    let connect = attacker
        .exchange("0/locked,{\"key\":\"open-sesame\"}")
        .await;
    assert!(connect.starts_with("40/locked,{\"sid\":"), "{connect}");
    let packet = attacker.exchange("2/locked,1[\"echo\",\"in\"]").await;
    assert_ack(&packet, "/locked", "1", json!({"ok": true, "data": "in"}));
}

#[tokio::test]
async fn an_auth_payload_that_is_not_an_object_skips_the_connect_hook_only() {
    let server = server().await;
    let bystander = join(&server).await;
    let client = TestClient::connect(&server.url()).await.expect("connects");
    let mut greeted = client
        .namespace("/greet", Some(json!({"name": "ada"})))
        .await
        .expect("joins");
    let welcome = greeted.recv_event("welcome").await.expect("welcome");
    assert_eq!(welcome.json(0), Some(&json!("ada")));

    // Not an object: the hook cannot read it and is skipped; the socket is served. (An
    // array is serde's positional form of a struct: the hook reads `["ada"]`.)
    let cases = [
        (json!("ada"), None),
        (json!(["ada"]), Some("ada")),
        (json!([42]), None),
        (json!(42), None),
        (json!(null), None),
    ];
    let mut sockets = Vec::new();
    for (auth, welcome) in cases {
        let client = TestClient::connect(&server.url()).await.expect("connects");
        let mut socket = client
            .namespace("/greet", Some(auth.clone()))
            .await
            .unwrap_or_else(|e| panic!("auth {auth}: {e}"));
        if let Some(name) = welcome {
            let event = socket.recv_event("welcome").await.expect("welcome");
            assert_eq!(event.json(0), Some(&json!(name)), "auth {auth}");
        }
        assert_eq!(
            socket.call("ping", ()).await.expect("ack"),
            json!({"ok": true, "data": "pong"}),
            "auth {auth}"
        );
        sockets.push(socket);
    }
    // No (late) welcome for the others, no second ack for anyone.
    join_all(sockets.iter_mut().map(assert_quiet)).await;

    // Not JSON at all, or too deep to read: the same.
    let deep = nested(10_000);
    for auth in ["{\"name\":", deep.as_str()] {
        let mut attacker = Polling::open(server.addr()).await;
        let connect = attacker.exchange(&format!("0/greet,{auth}")).await;
        assert!(connect.starts_with("40/greet,{\"sid\":"), "{connect}");
        let packet = attacker.exchange("2/greet,1[\"ping\"]").await;
        assert_ack(&packet, "/greet", "1", json!({"ok": true, "data": "pong"}));
    }
    assert_alive(&bystander).await;
}

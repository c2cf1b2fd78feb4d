//! The conformance example (`examples/conformance`): the server side of the official
//! Socket.IO v5 protocol test suite, checked over real sockets on 127.0.0.1.
//!
//! - over WebSocket with the framework's [`TestClient`] (raw Engine.IO/Socket.IO): the
//!   `auth` event, refused namespaces, `message` / `message-with-ack` / `emit-with-ack` with
//!   mixed JSON and binary arguments, `41` on one namespace, malformed packets, the
//!   handshake and the connect timeout;
//! - over HTTP long-polling with a few lines of raw HTTP on a `TcpStream`: HTTP 400 for bad
//!   requests, and the exact bytes the test suite compares (`42["auth",{}]`,
//!   `421["emit-with-ack",...]`, `bAQID` attachments, ...).

use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::{Value, json};
use socketioxide_gateway::testing::{Arg, NsClient, TestClient, TestClientError, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Every raw HTTP exchange and every polling wait is bounded by this.
const WAIT: Duration = Duration::from_secs(3);

async fn server() -> TestServer {
    TestServer::start(example_conformance::app())
        .await
        .expect("the conformance example starts")
}

/// The app with the test suite's settings but a 25 s / 20 s heartbeat, for the raw
/// long-polling tests: with the suite's 300 ms / 200 ms, a pong later than 200 ms after a
/// ping (a busy test machine between two polls) would end the session mid-test. The bytes
/// checked do not depend on the heartbeat; the handshake test checks the real settings.
async fn polling_server() -> TestServer {
    let settings = example_conformance::Settings {
        ping_interval: Duration::from_secs(25),
        ping_timeout: Duration::from_secs(20),
        ..Default::default()
    };
    TestServer::start(example_conformance::app_with(&settings))
        .await
        .expect("the conformance example starts")
}

/// Joins `ns` and reads the `auth` event the server sends right after CONNECT.
async fn join(client: &TestClient, ns: &str, auth: Option<Value>) -> (NsClient, Value) {
    let mut socket = client
        .namespace(ns, auth)
        .await
        .unwrap_or_else(|e| panic!("joins {ns}: {e}"));
    let event = socket.recv().await.expect("the first event");
    assert_eq!(event.event, "auth", "the first event on {ns}");
    assert!(!event.wants_ack());
    assert_eq!(
        event.args.len(),
        1,
        "auth has one argument: {:?}",
        event.args
    );
    let auth = event.json(0).cloned().expect("auth is JSON");
    (socket, auth)
}

fn bin(bytes: &'static [u8]) -> Arg {
    Arg::Binary(Bytes::from_static(bytes))
}

/// Arguments of every JSON type, binary attachments among them.
fn mixed_args() -> Vec<Arg> {
    vec![
        Arg::from(1),
        Arg::from("2"),
        Arg::Json(json!({"3": [true]})),
        bin(&[1, 2, 3]),
        Arg::Json(Value::Null),
        Arg::from(-1.5),
        Arg::from(false),
        Arg::Json(json!([1, [2, "x"], {"k": null}])),
        bin(&[4, 5, 6]),
        Arg::Json(json!({})),
        Arg::Json(json!([])),
        Arg::from(""),
    ]
}

/// Argument lists that must come back exactly as sent.
fn cases() -> Vec<(&'static str, Vec<Arg>)> {
    vec![
        ("mixed JSON and binary", mixed_args()),
        ("no argument", Vec::new()),
        (
            "one array (stays one argument)",
            vec![Arg::Json(json!([1, 2]))],
        ),
        ("binary only", vec![bin(&[0, 255]), bin(b"\x00\x01")]),
        ("one object", vec![Arg::Json(json!({"token": "123"}))]),
    ]
}

// ==== connect ====

#[tokio::test]
async fn auth_echoes_the_auth_payload_or_an_empty_object_on_both_namespaces() {
    let server = server().await;
    let client = server.client().await.expect("connects");
    for ns in ["/", "/custom"] {
        let (socket, auth) = join(&client, ns, None).await;
        assert_eq!(auth, json!({}), "{ns} without auth payload");
        assert!(socket.sid().is_some_and(|sid| !sid.is_empty()));
        socket.disconnect().await.expect("leaves");

        let payload = json!({"token": "123", "nested": {"list": [1, "two", null]}});
        let (socket, auth) = join(&client, ns, Some(payload.clone())).await;
        assert_eq!(auth, payload, "{ns} with an auth payload");
        socket.disconnect().await.expect("leaves");
    }
    assert!(!client.is_closed());
    client.close().await;
}

#[tokio::test]
async fn an_unknown_namespace_is_refused_and_the_connection_stays() {
    let server = server().await;
    let client = server.client().await.expect("connects");
    for ns in ["/random", "/custom/sub", "/Custom"] {
        match client.namespace(ns, None).await {
            Err(TestClientError::ConnectRefused { message }) => {
                assert_eq!(message, "Invalid namespace", "{ns}");
            }
            other => panic!("{ns}: expected a refusal, got {other:?}"),
        }
    }
    // The Engine.IO connection is still usable.
    let (mut socket, _) = join(&client, "/", None).await;
    socket.emit("message", "still here").await.expect("sent");
    let back = socket.recv_event("message-back").await.expect("echo");
    assert_eq!(back.args, [Arg::from("still here")]);
    client.close().await;
}

// ==== events ====

#[tokio::test]
async fn message_is_sent_back_as_message_back_with_the_same_arguments() {
    let server = server().await;
    let client = server.client().await.expect("connects");
    for ns in ["/", "/custom"] {
        let (mut socket, _) = join(&client, ns, None).await;
        for (what, args) in cases() {
            socket.emit("message", args.clone()).await.expect("sent");
            let back = socket.recv().await.expect("message-back");
            assert_eq!(back.event, "message-back", "{ns}, {what}");
            assert!(!back.wants_ack(), "{ns}, {what}");
            assert_eq!(back.args, args, "{ns}, {what}");
        }
        // An ack asked on `message` is not part of the contract; nothing else arrives.
        socket
            .expect_silence(Duration::from_millis(100))
            .await
            .expect("nothing more");
    }
    client.close().await;
}

#[tokio::test]
async fn message_with_ack_acks_the_same_arguments_spread() {
    let server = server().await;
    let client = server.client().await.expect("connects");
    for ns in ["/", "/custom"] {
        let (mut socket, _) = join(&client, ns, None).await;
        for (what, args) in cases() {
            let reply = socket
                .emit_with_ack_reply("message-with-ack", args.clone())
                .await
                .unwrap_or_else(|e| panic!("{ns}, {what}: {e}"));
            assert_eq!(reply.args, args, "{ns}, {what}");
            let sent: Vec<_> = args.iter().filter_map(Arg::as_binary).cloned().collect();
            assert_eq!(reply.attachments, sent, "{ns}, {what}: binary stays binary");
        }
        socket
            .expect_silence(Duration::from_millis(100))
            .await
            .expect("no event besides the acks");
        assert_eq!(socket.stray_acks(), 0);
    }
    client.close().await;
}

#[tokio::test]
async fn emit_with_ack_asks_the_client_then_sends_the_ack_arguments_back() {
    let server = server().await;
    let client = server.client().await.expect("connects");
    for ns in ["/", "/custom"] {
        let (mut socket, _) = join(&client, ns, None).await;
        for (what, args) in cases() {
            socket
                .emit("emit-with-ack", args.clone())
                .await
                .expect("sent");
            let asked = socket.recv().await.expect("emit-with-ack");
            assert_eq!(asked.event, "emit-with-ack", "{ns}, {what}");
            assert!(
                asked.wants_ack(),
                "{ns}, {what}: the server asks for an ack"
            );
            assert_eq!(asked.args, args, "{ns}, {what}");

            // Answer with other arguments: the second emit carries the ack's, not the event's.
            let mut answer = args.clone();
            answer.reverse();
            answer.push(bin(b"ack"));
            answer.push(Arg::from("from the ack"));
            asked.ack(answer.clone()).await.expect("acked");

            let back = socket.recv().await.expect("emit-with-ack, again");
            assert_eq!(back.event, "emit-with-ack", "{ns}, {what}");
            assert!(
                !back.wants_ack(),
                "{ns}, {what}: no ack asked the second time"
            );
            assert_eq!(back.args, answer, "{ns}, {what}");
        }
        // An empty ack gives an emit without arguments.
        socket.emit("emit-with-ack", (1, 2)).await.expect("sent");
        let asked = socket.recv_event("emit-with-ack").await.expect("asked");
        asked.ack(()).await.expect("acked");
        let back = socket.recv_event("emit-with-ack").await.expect("back");
        assert_eq!(back.args, []);
    }
    client.close().await;
}

#[tokio::test]
async fn a_large_binary_argument_round_trips() {
    let server = server().await;
    let client = server.client().await.expect("connects");
    let (socket, _) = join(&client, "/", None).await;
    let big: Vec<u8> = (0..200_000_u32).map(|i| (i % 251) as u8).collect();
    let args = vec![Arg::Binary(Bytes::from(big)), Arg::from("tail")];
    let reply = socket
        .emit_with_ack("message-with-ack", args.clone())
        .await
        .expect("acked");
    assert_eq!(reply, args);
    client.close().await;
}

// ==== disconnect ====

#[tokio::test]
async fn leaving_one_namespace_keeps_the_other_on_the_same_connection() {
    let server = server().await;
    for leave in ["/custom", "/"] {
        let client = server.client().await.expect("connects");
        let (main, _) = join(&client, "/", None).await;
        let (custom, _) = join(&client, "/custom", None).await;
        let (gone, mut kept) = if leave == "/" {
            (main, custom)
        } else {
            (custom, main)
        };
        gone.disconnect().await.expect("sends 41");

        kept.emit("message", ("message to the other namespace", 1, 2))
            .await
            .expect("sent");
        let back = kept.recv_event("message-back").await.expect("echo");
        assert_eq!(
            back.args,
            [
                Arg::from("message to the other namespace"),
                Arg::from(1),
                Arg::from(2)
            ],
            "after leaving {leave}"
        );
        assert_eq!(
            kept.call("message-with-ack", "ack").await.expect("ack"),
            json!("ack")
        );
        assert!(!client.is_closed(), "after leaving {leave}");

        // The namespace left can be joined again.
        let (again, auth) = join(&client, leave, Some(json!({"again": true}))).await;
        assert_eq!(auth, json!({"again": true}));
        assert_eq!(
            again.call("message-with-ack", 7).await.expect("ack"),
            json!(7)
        );
        client.close().await;
    }
}

// ==== malformed packets ====

#[tokio::test]
async fn malformed_packets_close_the_connection() {
    let server = server().await;
    // What follows the Engine.IO `4`: the test suite's three cases, and a few more.
    let malformed = [
        "abc",                                             // unknown packet type
        "2{}",                                             // payload not an array
        r#"2abc["message-with-ack",1,"2",{"3":[false]}]"#, // invalid ack id
        r#"2["message""#,                                  // truncated JSON
        "9",                                               // packet type out of range
    ];
    for packet in malformed {
        let client = server.client().await.expect("connects");
        let (mut socket, _) = join(&client, "/", None).await;
        socket.send_raw(packet).await.expect("sent");
        let reason = socket
            .closed_within(WAIT)
            .await
            .unwrap_or_else(|e| panic!("{packet:?} did not close the connection: {e}"));
        assert!(reason.contains("transport"), "{packet:?}: {reason}");
        assert!(client.is_closed(), "{packet:?}");
    }
    // Other connections are not affected.
    let bystander = server.socket("/").await.expect("connects");
    assert_eq!(
        bystander.call("message-with-ack", "ok").await.expect("ack"),
        json!("ok")
    );
}

// ==== Engine.IO ====

#[tokio::test]
async fn the_handshake_announces_the_test_suite_settings() {
    let server = server().await;
    let client = server.client().await.expect("connects");
    let handshake = client.handshake().clone();
    let mut keys: Vec<_> = handshake
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "maxPayload",
            "pingInterval",
            "pingTimeout",
            "sid",
            "upgrades"
        ]
    );
    assert_eq!(handshake["pingInterval"], json!(300));
    assert_eq!(handshake["pingTimeout"], json!(200));
    assert_eq!(handshake["maxPayload"], json!(1_000_000));
    assert_eq!(
        handshake["upgrades"],
        json!([]),
        "nothing to upgrade to from WebSocket"
    );
    client.close().await;

    let (_, handshake) = Polling::open(server.addr()).await;
    assert_eq!(handshake["pingInterval"], json!(300));
    assert_eq!(handshake["pingTimeout"], json!(200));
    assert_eq!(handshake["maxPayload"], json!(1_000_000));
    assert_eq!(handshake["upgrades"], json!(["websocket"]));
}

#[tokio::test]
async fn a_client_that_joins_no_namespace_is_closed_after_the_connect_timeout() {
    let server = server().await;
    let start = Instant::now();
    let idle = server.client().await.expect("connects");
    let joined = server.client().await.expect("connects");
    let (socket, _) = join(&joined, "/", None).await;

    // Pings are answered in the background, so only the connect timeout (1 s) can end it:
    // still open after two ping rounds (a missed pong would close it within 500 ms).
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!idle.is_closed(), "closed before the connect timeout");
    while !idle.is_closed() {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "still open {:?} after connecting",
            start.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let after = start.elapsed();
    assert!(
        after >= Duration::from_millis(900),
        "closed after {after:?}"
    );

    // A client in a namespace stays, heartbeats and all.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(!joined.is_closed());
    assert_eq!(
        socket.call("message-with-ack", "alive").await.expect("ack"),
        json!("alive")
    );
    joined.close().await;
}

#[tokio::test]
async fn bad_engine_io_requests_get_http_400_from_socketioxide() {
    let server = polling_server().await;
    let addr = server.addr();
    let (polling, _) = Polling::open(addr).await;
    let cases = [
        (
            "GET",
            "/socket.io/?transport=polling",
            "Unsupported protocol version",
        ),
        (
            "GET",
            "/socket.io/?EIO=abc&transport=polling",
            "Unsupported protocol version",
        ),
        ("GET", "/socket.io/?EIO=4", "Transport unknown"),
        (
            "GET",
            "/socket.io/?EIO=4&transport=abc",
            "Transport unknown",
        ),
        (
            "GET",
            "/socket.io/?EIO=4&transport=polling&sid=nope",
            "Session ID unknown",
        ),
        (
            "POST",
            "/socket.io/?EIO=4&transport=polling&sid=nope",
            "Session ID unknown",
        ),
        (
            "POST",
            "/socket.io/?EIO=4&transport=polling",
            "Bad handshake method",
        ),
        (
            "PUT",
            "/socket.io/?EIO=4&transport=polling",
            "Bad handshake method",
        ),
    ];
    for (method, path, message) in cases {
        let (status, body) = http(addr, method, path, b"").await;
        assert_eq!(status, 400, "{method} {path}");
        // engine.io's error body: proof that socketioxide answered, not a router in front.
        let body: Value = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("{method} {path}: body is not JSON ({e})"));
        assert_eq!(body["message"], json!(message), "{method} {path}: {body}");
    }
    // A real session next to them is fine.
    polling.send(&["40"]).await;
    let packets = polling.recv(2).await;
    assert!(packets[0].starts_with("40{"), "{packets:?}");
    assert_eq!(packets[1], r#"42["auth",{}]"#);
}

// ==== the test suite's exact bytes, over HTTP long-polling ====

#[tokio::test]
async fn polling_connect_and_auth_packets_are_byte_exact() {
    let server = polling_server().await;
    let (polling, _) = Polling::open(server.addr()).await;

    polling.send(&[r#"40{"token":"123"}"#]).await;
    let packets = polling.recv(2).await;
    let handshake: Value =
        serde_json::from_str(packets[0].strip_prefix("40").expect("CONNECT")).expect("JSON");
    let keys: Vec<_> = handshake.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["sid"], "the CONNECT reply carries only `sid`");
    assert!(handshake["sid"].is_string());
    assert_eq!(packets[1], r#"42["auth",{"token":"123"}]"#);

    polling.send(&["40/custom,"]).await;
    let packets = polling.recv(2).await;
    let handshake: Value = serde_json::from_str(
        packets[0]
            .strip_prefix("40/custom,")
            .expect("CONNECT /custom"),
    )
    .expect("JSON");
    assert_eq!(
        handshake
            .as_object()
            .expect("object")
            .keys()
            .collect::<Vec<_>>(),
        ["sid"]
    );
    assert_eq!(packets[1], r#"42/custom,["auth",{}]"#);

    polling.send(&["40/random,"]).await;
    assert_eq!(
        polling.recv(1).await,
        [r#"44/random,{"message":"Invalid namespace"}"#]
    );
}

#[tokio::test]
async fn polling_events_and_acks_are_byte_exact() {
    let server = polling_server().await;
    let (polling, _) = Polling::open(server.addr()).await;
    polling.send(&["40"]).await;
    polling.recv(2).await; // CONNECT, auth

    polling.send(&[r#"42["message",1,"2",{"3":[true]}]"#]).await;
    assert_eq!(
        polling.recv(1).await,
        [r#"42["message-back",1,"2",{"3":[true]}]"#]
    );

    polling
        .send(&[r#"42456["message-with-ack",1,"2",{"3":[false]}]"#])
        .await;
    assert_eq!(polling.recv(1).await, [r#"43456[1,"2",{"3":[false]}]"#]);

    polling.send(&[r#"427["message-with-ack"]"#]).await;
    assert_eq!(
        polling.recv(1).await,
        ["437[]"],
        "zero arguments ack as `[]`"
    );

    polling.send(&[r#"42["message"]"#]).await;
    assert_eq!(polling.recv(1).await, [r#"42["message-back"]"#]);

    // Ack ids of server emits start at 1, per socket.
    polling
        .send(&[r#"42["emit-with-ack",1,"2",{"3":[true]}]"#])
        .await;
    assert_eq!(
        polling.recv(1).await,
        [r#"421["emit-with-ack",1,"2",{"3":[true]}]"#]
    );
    polling.send(&[r#"431[1,"2",{"3":[true]}]"#]).await;
    assert_eq!(
        polling.recv(1).await,
        [r#"42["emit-with-ack",1,"2",{"3":[true]}]"#]
    );
}

#[tokio::test]
async fn polling_binary_events_and_acks_are_byte_exact() {
    let server = polling_server().await;
    let (polling, _) = Polling::open(server.addr()).await;
    polling.send(&["40"]).await;
    polling.recv(2).await;

    // Binary attachments travel as `b` + base64 over polling: [1,2,3] is `bAQID`.
    const P: &str = r#"{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}"#;
    let (one, two) = ("bAQID", "bBAUG");

    polling
        .send(&[&format!(r#"452-["message",1,{P}]"#), one, two])
        .await;
    assert_eq!(
        polling.recv(3).await,
        [format!(r#"452-["message-back",1,{P}]"#).as_str(), one, two]
    );

    polling
        .send(&[&format!(r#"452-789["message-with-ack",1,{P}]"#), one, two])
        .await;
    assert_eq!(
        polling.recv(3).await,
        [format!("462-789[1,{P}]").as_str(), one, two]
    );

    let data = format!(r#"{P},"test""#);
    polling
        .send(&[&format!(r#"452-["emit-with-ack",{data}]"#), one, two])
        .await;
    assert_eq!(
        polling.recv(3).await,
        [
            format!(r#"452-1["emit-with-ack",{data}]"#).as_str(),
            one,
            two
        ]
    );
    polling.send(&[&format!("462-1[{data}]"), one, two]).await;
    assert_eq!(
        polling.recv(3).await,
        [
            format!(r#"452-["emit-with-ack",{data}]"#).as_str(),
            one,
            two
        ]
    );
}

#[tokio::test]
async fn polling_41_leaves_one_namespace_only() {
    let server = polling_server().await;
    let (polling, _) = Polling::open(server.addr()).await;
    polling.send(&["40"]).await;
    polling.recv(2).await;
    polling.send(&["40/custom,"]).await;
    polling.recv(2).await;

    polling
        .send(&[
            "41/custom,",
            r#"42["message","message to main namespace",1,2]"#,
        ])
        .await;
    assert_eq!(
        polling.recv(1).await,
        [r#"42["message-back","message to main namespace",1,2]"#]
    );
}

#[tokio::test]
async fn polling_malformed_packets_close_the_session() {
    let server = polling_server().await;
    for packet in [
        "4abc",
        "42{}",
        r#"42abc["message-with-ack",1,"2",{"3":[false]}]"#,
    ] {
        let (polling, _) = Polling::open(server.addr()).await;
        polling.send(&["40"]).await;
        polling.recv(2).await;
        polling.post(packet).await;
        polling.expect_closed(packet).await;
    }
    // Before any namespace too (the suite's "invalid handshake").
    let (polling, _) = Polling::open(server.addr()).await;
    polling.post("4abc").await;
    polling.expect_closed("4abc before CONNECT").await;
}

// ==== raw HTTP ====

/// One HTTP/1.1 request on a fresh connection (`Connection: close`); returns the status and
/// the body. Panics on any failure or after [`WAIT`].
async fn http(addr: std::net::SocketAddr, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
    try_http(addr, method, path, body)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// [`http`], with failures (and no response within [`WAIT`]) as an error message.
async fn try_http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: &[u8],
) -> Result<(u16, Vec<u8>), String> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             Content-Type: text/plain;charset=UTF-8\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await?;
        Ok::<_, std::io::Error>(response)
    };
    let response = timeout(WAIT, exchange)
        .await
        .map_err(|_| format!("{method} {path}: no response within {WAIT:?}"))?
        .map_err(|e| format!("{method} {path}: {e}"))?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{method} {path}: no end of headers"))?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let raw_body = &response[split + 4..];
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("{method} {path}: bad status line in {head:?}"))?;
    let chunked = head.lines().any(|l| {
        l.to_ascii_lowercase()
            .starts_with("transfer-encoding: chunked")
    });
    let body = if chunked {
        dechunk(raw_body)
    } else {
        raw_body.to_vec()
    };
    Ok((status, body))
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") else {
            return body;
        };
        let size = std::str::from_utf8(&raw[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            return body;
        }
        let start = eol + 2;
        body.extend_from_slice(&raw[start..(start + size).min(raw.len())]);
        raw = raw.get(start + size + 2..).unwrap_or(&[]);
    }
}

/// An Engine.IO v4 session over HTTP long-polling, packets as the exact strings on the wire.
struct Polling {
    addr: std::net::SocketAddr,
    url: String,
}

impl Polling {
    /// Opens a session; returns it and the OPEN packet's JSON.
    async fn open(addr: std::net::SocketAddr) -> (Self, Value) {
        let (status, body) = http(addr, "GET", "/socket.io/?EIO=4&transport=polling", b"").await;
        assert_eq!(status, 200, "handshake: {}", String::from_utf8_lossy(&body));
        let body = String::from_utf8(body).expect("UTF-8 handshake");
        let open: Value = serde_json::from_str(body.strip_prefix('0').expect("an OPEN packet"))
            .expect("JSON handshake");
        let sid = open["sid"].as_str().expect("a sid").to_owned();
        let url = format!("/socket.io/?EIO=4&transport=polling&sid={sid}");
        (Self { addr, url }, open)
    }

    /// POSTs a raw body; returns the status.
    async fn post(&self, body: &str) -> u16 {
        http(self.addr, "POST", &self.url, body.as_bytes()).await.0
    }

    /// POSTs packets (joined with the record separator); the server must answer `ok`.
    async fn send(&self, packets: &[&str]) {
        let body = packets.join("\x1e");
        let (status, reply) = http(self.addr, "POST", &self.url, body.as_bytes()).await;
        assert_eq!(
            (status, reply.as_slice()),
            (200, b"ok".as_slice()),
            "POST {body:?}: {}",
            String::from_utf8_lossy(&reply)
        );
    }

    /// Polls until `n` packets other than pings arrived (answering each ping with a pong);
    /// fails if more arrive or after [`WAIT`].
    async fn recv(&self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        let mut packets = Vec::new();
        while packets.len() < n {
            assert!(
                Instant::now() < deadline,
                "got {packets:?}, expected {n} packets within {WAIT:?}"
            );
            let (status, body) = http(self.addr, "GET", &self.url, b"").await;
            let body = String::from_utf8(body).expect("polling bodies are text");
            assert_eq!(status, 200, "poll: {body}");
            for packet in body.split('\x1e') {
                if packet == "2" {
                    self.send(&["3"]).await;
                } else {
                    packets.push(packet.to_owned());
                }
            }
        }
        assert_eq!(packets.len(), n, "more packets than expected: {packets:?}");
        packets
    }

    /// The session ends: polls may still get a CLOSE (`1`) or NOOP (`6`) packet, then HTTP
    /// 400 (unknown sid).
    async fn expect_closed(&self, what: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            assert!(Instant::now() < deadline, "{what}: session still open");
            let (status, body) = try_http(self.addr, "GET", &self.url, b"")
                .await
                .unwrap_or_else(|e| panic!("{what}: session still open ({e})"));
            if status == 400 {
                return;
            }
            let body = String::from_utf8_lossy(&body).into_owned();
            for packet in body.split('\x1e') {
                match packet {
                    "1" | "6" => {}
                    "2" => {
                        self.send(&["3"]).await;
                    }
                    other => panic!("{what}: unexpected packet {other:?} on a closing session"),
                }
            }
        }
    }
}

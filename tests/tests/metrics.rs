//! Prometheus metrics over the wire (a test binary of their own: the recorder is
//! process-wide, so each test uses namespaces of its own): a dynamic namespace's series are
//! labelled by the pattern `/room/{room}`, never by the concrete path a client joined, so
//! a label per room cannot grow without bound; and events are counted the same with the
//! msgpack parser.

use gateway_tests::services::http;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{TestClient, TestServer};
use socketioxide_gateway::{GatewayApp, Parser};

#[derive(Default)]
struct Rooms;

#[gateway(namespace = "/room/{room}")]
impl Rooms {
    #[subscribe("join")]
    async fn join(&self, socket: SocketRef, NsParams(room): NsParams<String>) -> String {
        socket.join("inside");
        room
    }
}

/// `GET /metrics` on the server's port.
async fn scrape(server: &TestServer) -> String {
    let port = server.addr().port();
    let (status, body) = tokio::task::spawn_blocking(move || http(port, "GET", "/metrics", None))
        .await
        .expect("joined")
        .expect("GET /metrics");
    assert_eq!(status, 200, "{body}");
    body
}

#[derive(Default)]
struct Packed;

#[gateway(namespace = "/packed")]
impl Packed {
    #[subscribe("check")]
    async fn check(&self, n: u32) -> Result<u32, WsError> {
        if n > 10 {
            return Err(WsError::bad_payload("too big"));
        }
        Ok(n)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_counted_with_the_msgpack_parser() {
    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<Packed>()
            .parser(Parser::MsgPack)
            .metrics("/metrics"),
    )
    .await
    .expect("the app starts");
    let client = TestClient::builder(&server.url())
        .parser(Parser::MsgPack)
        .connect()
        .await
        .expect("connects");
    let ns = client.namespace("/packed", None).await.expect("joins");
    for n in [1, 2, 50] {
        ns.call("check", (n,)).await.expect("acked");
    }
    let body = scrape(&server).await;
    for series in [
        r#"gateway_events_total{namespace="/packed",event="check",outcome="ok"} 2"#,
        r#"gateway_events_total{namespace="/packed",event="check",outcome="bad_payload"} 1"#,
        r#"gateway_acks_total{namespace="/packed",code="ok"} 2"#,
        r#"gateway_connected_sockets{namespace="/packed"} 1"#,
    ] {
        assert!(
            body.lines().any(|line| line == series),
            "{series} missing:\n{body}"
        );
    }
    client.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn series_are_labelled_by_the_pattern() {
    let server = TestServer::start(GatewayApp::explicit().link::<Rooms>().metrics("/metrics"))
        .await
        .expect("the app starts");
    let mut clients = Vec::new();
    for room in ["a", "b", "c"] {
        let client = TestClient::connect(&server.url()).await.expect("connects");
        let ns = client
            .namespace(&format!("/room/{room}"), None)
            .await
            .expect("joins");
        assert_eq!(
            ns.call("join", ()).await.expect("acked")["data"],
            serde_json::json!(room)
        );
        clients.push((client, ns));
    }
    let body = scrape(&server).await;
    for series in [
        r#"gateway_connected_sockets{namespace="/room/{room}"} 3"#,
        r#"gateway_rooms{namespace="/room/{room}"} 3"#,
        r#"gateway_room_sockets{namespace="/room/{room}",room="inside"} 3"#,
    ] {
        assert!(
            body.lines().any(|line| line == series),
            "{series} missing:\n{body}"
        );
    }
    assert!(
        body.lines().any(|l| l.starts_with("gateway_events_total{")
            && l.contains(r#"namespace="/room/{room}""#)
            && l.contains(r#"event="join""#)
            && l.ends_with(" 3")),
        "{body}"
    );
    for concrete in ["/room/a", "/room/b", "/room/c"] {
        assert!(!body.contains(concrete), "{concrete} is a label:\n{body}");
    }
    for (client, _) in clients {
        client.close().await;
    }
}

//! Prometheus metrics of a dynamic namespace (its own test binary: the recorder is
//! process-wide): every series is labelled by the pattern `/room/{room}`, never by the
//! concrete path a client joined, so a label per room cannot grow without bound.

use gateway_tests::services::http;
use socketioxide_gateway::GatewayApp;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{TestClient, TestServer};

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
    let port = server.addr().port();
    let (status, body) = tokio::task::spawn_blocking(move || http(port, "GET", "/metrics", None))
        .await
        .expect("joined")
        .expect("GET /metrics");
    assert_eq!(status, 200, "{body}");
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

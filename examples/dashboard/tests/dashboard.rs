//! The dashboard over real sockets: `state` on connect, room subscriptions, actions acked
//! and broadcast as deltas to their room only, sensor readings, validation, the rate limit
//! of 10 events a second, and the page's routes.

use std::time::Duration;

use example_dashboard::{ClientBundle, Options};
use serde_json::{Value, json};
use socketioxide_gateway::testing::{NsClient, TestServer};

/// The dashboard with sensor readings far apart (a test that wants them sets its own).
async fn dashboard() -> TestServer {
    dashboard_with(Duration::from_secs(3600)).await
}

async fn dashboard_with(sensor_interval: Duration) -> TestServer {
    let options = Options {
        client: ClientBundle::Cdn,
        sensor_interval,
    };
    TestServer::start(example_dashboard::app_with(options))
        .await
        .expect("the dashboard starts")
}

/// Joins `namespace` and reads the `state` sent on connect.
async fn join(server: &TestServer, namespace: &str) -> (NsClient, Value) {
    let mut socket = server.socket(namespace).await.expect("connects");
    let state = socket.recv_event("state").await.expect("state on connect");
    (socket, state.json(0).cloned().expect("a JSON state"))
}

/// Subscribes to `room`: a `state` with the room's devices, then an ack.
async fn subscribe(socket: &mut NsClient, room: &str) -> Value {
    let ack = socket.call("subscribe", room).await.expect("acked");
    assert_eq!(ack, json!({"ok": true, "data": null}));
    let state = socket.recv_event("state").await.expect("the room's state");
    state.json(0).cloned().expect("a JSON state")
}

// ANCHOR: state-test
#[tokio::test]
async fn every_client_starts_from_the_features_state() {
    let server = dashboard().await;
    let (_lights, state) = join(&server, "/lights").await;
    assert_eq!(state["rooms"], json!(["living-room", "kitchen", "bedroom"]));
    let lights = state["lights"].as_array().expect("a list");
    assert_eq!(lights.len(), 5);
    assert_eq!(
        lights[0],
        json!({"id": "bedroom-bedside", "room": "bedroom", "name": "Bedside lamp",
               "on": false, "brightness": 30, "version": 1})
    );
    let (_climate, state) = join(&server, "/climate").await;
    assert_eq!(state["thermostats"].as_array().map(Vec::len), Some(3));
}
// ANCHOR_END: state-test

// ANCHOR: action-test
#[tokio::test]
async fn an_action_is_acked_and_its_delta_reaches_the_room_only() {
    let server = dashboard().await;
    let (mut kitchen, _) = join(&server, "/lights").await;
    let (mut bedroom, _) = join(&server, "/lights").await;
    let (actor, _) = join(&server, "/lights").await;
    let snapshot = subscribe(&mut kitchen, "kitchen").await;
    assert_eq!(snapshot["rooms"], json!(["kitchen"]));
    assert_eq!(snapshot["lights"].as_array().map(Vec::len), Some(2));
    subscribe(&mut bedroom, "bedroom").await;

    let ack = actor
        .call("action", json!({"deviceId": "kitchen-ceiling", "on": true}))
        .await
        .expect("acked");
    let delta = json!({"deviceId": "kitchen-ceiling", "room": "kitchen", "version": 2, "on": true});
    assert_eq!(ack, json!({"ok": true, "data": delta}));

    let update = kitchen
        .recv_event("update")
        .await
        .expect("the kitchen hears of it");
    assert_eq!(update.json(0), Some(&delta));
    bedroom
        .expect_silence(Duration::from_millis(200))
        .await
        .expect("the bedroom does not");
}
// ANCHOR_END: action-test

#[tokio::test]
async fn after_unsubscribe_the_rooms_updates_stop() {
    let server = dashboard().await;
    let (mut watcher, _) = join(&server, "/lights").await;
    let (actor, _) = join(&server, "/lights").await;
    subscribe(&mut watcher, "living-room").await;
    actor
        .call(
            "action",
            json!({"deviceId": "living-room-lamp", "brightness": 70}),
        )
        .await
        .expect("acked");
    let update = watcher.recv_event("update").await.expect("subscribed");
    assert_eq!(update.json(0).map(|u| &u["brightness"]), Some(&json!(70)));

    let ack = watcher
        .call("unsubscribe", "living-room")
        .await
        .expect("acked");
    assert_eq!(ack, json!({"ok": true, "data": null}));
    actor
        .call(
            "action",
            json!({"deviceId": "living-room-lamp", "on": false}),
        )
        .await
        .expect("acked");
    watcher
        .expect_silence(Duration::from_millis(200))
        .await
        .expect("unsubscribed");
}

#[tokio::test]
async fn bad_actions_get_their_error_codes() {
    let server = dashboard().await;
    let (lights, _) = join(&server, "/lights").await;
    let (climate, _) = join(&server, "/climate").await;
    let code = |ack: Value| ack["error"]["code"].as_str().map(str::to_owned);

    let too_bright = lights
        .call(
            "action",
            json!({"deviceId": "kitchen-ceiling", "brightness": 150}),
        )
        .await
        .expect("acked");
    // 150 is a valid u8 but over the `range(max = 100)` rule.
    assert_eq!(
        code(too_bright.clone()).as_deref(),
        Some("validation_failed")
    );
    assert!(
        too_bright["error"]["details"]["brightness"].is_array(),
        "{too_bright}"
    );

    let unknown = lights
        .call("action", json!({"deviceId": "garage-door", "on": true}))
        .await
        .expect("acked");
    assert_eq!(code(unknown).as_deref(), Some("unknown_device"));

    let empty = lights
        .call("action", json!({"deviceId": "kitchen-ceiling"}))
        .await
        .expect("acked");
    assert_eq!(code(empty).as_deref(), Some("nothing_to_change"));

    let no_room = lights.call("subscribe", "garage").await.expect("acked");
    assert_eq!(code(no_room).as_deref(), Some("unknown_room"));

    let too_hot = climate
        .call(
            "action",
            json!({"deviceId": "kitchen-thermostat", "target": 35}),
        )
        .await
        .expect("acked");
    assert_eq!(code(too_hot).as_deref(), Some("validation_failed"));
}

#[tokio::test]
async fn a_thermostat_action_and_sensor_readings_reach_the_room() {
    let server = dashboard_with(Duration::from_millis(50)).await;
    let (mut watcher, _) = join(&server, "/climate").await;
    let (mut other, _) = join(&server, "/climate").await;
    subscribe(&mut watcher, "kitchen").await;

    let reading = watcher
        .recv_event("update")
        .await
        .expect("a sensor reading");
    let reading = reading.json(0).cloned().expect("JSON");
    assert_eq!(reading["deviceId"], "kitchen-thermostat");
    assert!(reading["temperature"].is_number() && reading["humidity"].is_number());
    assert!(
        reading.get("target").is_none(),
        "a reading carries no target: {reading}"
    );

    let ack = watcher
        .call(
            "action",
            json!({"deviceId": "kitchen-thermostat", "target": 22.5}),
        )
        .await
        .expect("acked");
    assert_eq!(ack["data"]["target"], json!(22.5));
    let version = ack["data"]["version"].as_u64().expect("a version");
    // Deltas of one device arrive in version order: readings before the action's delta
    // have smaller versions, and the delta itself comes through with its own.
    loop {
        let update = watcher.recv_event("update").await.expect("updates");
        let update = update.json(0).cloned().expect("JSON");
        let v = update["version"].as_u64().expect("a version");
        if update.get("target").is_some() {
            assert_eq!((v, &update["target"]), (version, &json!(22.5)));
            break;
        }
        assert!(
            v < version,
            "a reading newer than the action came first: {update}"
        );
    }
    other
        .expect_silence(Duration::from_millis(200))
        .await
        .expect("nothing for a socket that subscribed to no room");
}

// ANCHOR: throttle-test
#[tokio::test]
async fn a_client_may_send_ten_events_a_second() {
    let server = dashboard().await;
    let (lights, _) = join(&server, "/lights").await;
    let acks = futures_acks(&lights, 12).await;
    let refused: Vec<_> = acks
        .iter()
        .filter(|ack| ack["error"]["code"] == "rate_limited")
        .collect();
    assert_eq!(refused.len(), 2, "{acks:?}");
    assert!(refused[0]["error"]["details"]["retry_after_ms"].is_u64());
    // The bucket refills at 10 a second: after 100 ms there is a token again.
    tokio::time::sleep(Duration::from_millis(150)).await;
    let ack = lights.call("unsubscribe", "kitchen").await.expect("acked");
    assert_eq!(ack["ok"], true);
}
// ANCHOR_END: throttle-test

/// Sends `n` events at once and collects their acks.
async fn futures_acks(socket: &NsClient, n: usize) -> Vec<Value> {
    let calls = (0..n).map(|_| socket.call("unsubscribe", "kitchen"));
    futures_util::future::join_all(calls)
        .await
        .into_iter()
        .map(|ack| ack.expect("acked"))
        .collect()
}

mod page {
    //! The page and the client bundle, through the router without a socket.

    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use example_dashboard::{ClientBundle, Options};
    use tower::ServiceExt;

    // ANCHOR: http-test
    /// Sends one request to the app's router, without a socket: `into_router` then
    /// `tower::ServiceExt::oneshot`.
    async fn get(client: ClientBundle, uri: &str) -> (StatusCode, Option<String>, String) {
        let options = Options {
            client,
            sensor_interval: std::time::Duration::from_secs(3600),
        };
        let (router, _io) = example_dashboard::app_with(options)
            .into_router()
            .await
            .expect("builds");
        let response = router
            .oneshot(Request::get(uri).body(Body::empty()).expect("a request"))
            .await
            .expect("infallible");
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("a body");
        (
            status,
            location,
            String::from_utf8_lossy(&body).into_owned(),
        )
    }
    // ANCHOR_END: http-test

    #[tokio::test]
    async fn the_page_loads_the_official_client_from_the_server() {
        let (status, _, body) = get(ClientBundle::Cdn, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(r#"<script src="/socket.io-client/socket.io.min.js">"#));
    }

    #[tokio::test]
    async fn without_a_directory_the_client_comes_from_the_cdn() {
        let (status, location, _) =
            get(ClientBundle::Cdn, "/socket.io-client/socket.io.min.js").await;
        assert_eq!(status, StatusCode::TEMPORARY_REDIRECT);
        assert_eq!(
            location.as_deref(),
            Some("https://cdn.socket.io/4.8.1/socket.io.min.js")
        );
        let (status, _, _) = get(ClientBundle::Cdn, "/socket.io-client/other.js").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn with_a_directory_the_client_is_served_from_it() {
        let dir = std::env::temp_dir().join(format!("dashboard-client-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        std::fs::write(dir.join("socket.io.min.js"), "/* the bundle */").expect("written");
        let (status, _, body) = get(
            ClientBundle::Dir(dir.clone()),
            "/socket.io-client/socket.io.min.js",
        )
        .await;
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, "/* the bundle */")
        );
    }
}

//! Authentication with the `auth` example: JWT at connection, claims in handlers, roles,
//! room authorization, the header and cookie fallbacks.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use example_auth::{UserClaims, issue_token};
use serde_json::json;
use socketioxide_gateway::testing::{NsClient, TestClient, TestClientError, TestServer};

const SECRET: &str = "test-secret";

fn claims(sub: &str, roles: &[&str], exp_in: i64) -> UserClaims {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    UserClaims {
        sub: sub.to_owned(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        teams: vec!["core".to_owned()],
        exp: now.saturating_add_signed(exp_in),
    }
}

fn token(sub: &str, roles: &[&str]) -> String {
    issue_token(SECRET, &claims(sub, roles, 3600))
}

async fn server() -> TestServer {
    TestServer::start(example_auth::app(SECRET))
        .await
        .expect("server starts")
}

async fn connect(
    server: &TestServer,
    auth: Option<serde_json::Value>,
) -> Result<NsClient, TestClientError> {
    TestClient::connect(&server.url())
        .await?
        .namespace("/notifications", auth)
        .await
}

fn refusal(result: Result<NsClient, TestClientError>) -> String {
    match result {
        Err(TestClientError::ConnectRefused { message }) => message,
        Ok(_) => panic!("connected, expected a refusal"),
        Err(other) => panic!("expected a refusal, got {other}"),
    }
}

#[tokio::test]
async fn bad_tokens_are_refused_at_connection_with_clean_messages() {
    let server = server().await;
    let expired = issue_token(SECRET, &claims("ada", &[], -60));
    let wrong_key = issue_token("another-secret", &claims("ada", &[], 3600));
    let cases = [
        (None, "missing token"),
        (Some(json!({})), "missing token"),
        (Some(json!({"token": expired})), "token expired"),
        (Some(json!({"token": wrong_key})), "invalid token"),
        (Some(json!({"token": "not.a.jwt"})), "invalid token"),
        (Some(json!({"token": 42})), "missing token"),
    ];
    for (auth, expected) in cases {
        assert_eq!(
            refusal(connect(&server, auth.clone()).await),
            expected,
            "{auth:?}"
        );
    }
}

#[tokio::test]
async fn a_valid_token_connects_and_its_claims_reach_handlers() {
    let server = server().await;
    let mut socket = connect(&server, Some(json!({"token": token("ada", &["admin"])})))
        .await
        .expect("connects");
    let welcome = socket.recv_event("welcome").await.expect("welcome");
    assert_eq!(welcome.json(0), Some(&json!({"sub": "ada"})));
    let me = socket.call("whoami", ()).await.expect("ack");
    assert_eq!(me["data"]["sub"], json!("ada"));
    assert_eq!(me["data"]["roles"], json!(["admin"]));
}

#[tokio::test]
async fn the_user_room_is_joined_on_connect() {
    let server = server().await;
    let mut socket = connect(&server, Some(json!({"token": token("bob", &[])})))
        .await
        .expect("connects");
    socket.recv_event("welcome").await.expect("welcome");
    server
        .io()
        .of("/notifications")
        .expect("namespace")
        .to("user:bob")
        .emit("notification", &json!({"n": 1}))
        .await
        .expect("emitted");
    let event = socket
        .recv_event("notification")
        .await
        .expect("delivered to user:bob");
    assert_eq!(event.json(0), Some(&json!({"n": 1})));
}

#[tokio::test]
async fn roles_and_rooms_are_enforced() {
    let server = server().await;
    let user = connect(&server, Some(json!({"token": token("bob", &[])})))
        .await
        .expect("connects");
    assert_eq!(
        user.call("admin:announce", "hi").await.expect("ack"),
        json!({"ok": false, "error": {"code": "forbidden", "message": "requires the `admin` role"}})
    );
    assert_eq!(
        user.call("join", "user:ada").await.expect("ack")["error"]["code"],
        json!("forbidden")
    );
    assert_eq!(
        user.call("join", "team:core").await.expect("ack")["data"],
        json!("team:core")
    );
    assert_eq!(
        user.call("join", "user:bob").await.expect("ack")["data"],
        json!("user:bob")
    );

    let mut admin = connect(&server, Some(json!({"token": token("ada", &["admin"])})))
        .await
        .expect("connects");
    assert_eq!(
        admin.call("admin:announce", "hi").await.expect("ack"),
        json!({"ok": true, "data": null})
    );
    let event = admin.recv_event("announcement").await.expect("broadcast");
    assert_eq!(event.json(0), Some(&json!("hi")));
}

#[tokio::test]
async fn the_header_and_cookie_fallbacks_work() {
    let server = server().await;
    let by_header = TestClient::builder(&server.url())
        .header("authorization", format!("Bearer {}", token("hdr", &[])))
        .connect()
        .await
        .expect("connects")
        .namespace("/notifications", None)
        .await
        .expect("joins with the Authorization header");
    assert_eq!(
        by_header.call("whoami", ()).await.expect("ack")["data"]["sub"],
        json!("hdr")
    );

    let by_cookie = TestClient::builder(&server.url())
        .header("cookie", format!("theme=dark; token={}", token("jar", &[])))
        .connect()
        .await
        .expect("connects")
        .namespace("/notifications", None)
        .await
        .expect("joins with the cookie");
    assert_eq!(
        by_cookie.call("whoami", ()).await.expect("ack")["data"]["sub"],
        json!("jar")
    );
}

#[tokio::test]
async fn events_are_refused_once_the_token_expires() {
    let server = server().await;
    let short = issue_token(SECRET, &claims("eve", &[], 2));
    let socket = connect(&server, Some(json!({"token": short})))
        .await
        .expect("connects");
    assert_eq!(
        socket.call("whoami", ()).await.expect("ack")["ok"],
        json!(true)
    );
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(
        socket.call("whoami", ()).await.expect("ack"),
        json!({"ok": false, "error": {"code": "unauthorized", "message": "token expired"}})
    );
}

//! The ack contract (see the book, `book/src/acks-and-errors.md`), path by path, with the
//! exact JSON on the wire, over a real socket on 127.0.0.1.

use std::time::Duration;

use serde_json::json;
use socketioxide_gateway::contract::Shape;
use socketioxide_gateway::prelude::SocketRef as Sock;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{NsClient, TestServer};

#[derive(Debug, Deserialize, Validate)]
struct Signup {
    #[validate(length(min = 3, max = 16))]
    name: String,
    #[validate(range(min = 13, max = 130))]
    age: u32,
    #[validate(nested)]
    address: Address,
}

/// Clients send camelCase; error details must use the same names.
#[derive(Debug, Deserialize, Validate)]
#[serde(rename_all = "camelCase")]
struct Post {
    #[validate(length(min = 1))]
    project_id: String,
    #[serde(rename = "body")]
    #[validate(length(min = 1))]
    content_text: String,
}

#[derive(Debug, Deserialize, Validate)]
struct Address {
    #[validate(length(min = 2))]
    city: String,
}

#[derive(Debug, thiserror::Error)]
enum ShopError {
    #[error("only {left} left in stock")]
    OutOfStock { left: u32 },
    #[error("the database password is hunter2")]
    Database,
}

impl AppError for ShopError {
    fn code(&self) -> &'static str {
        match self {
            ShopError::OutOfStock { .. } => "out_of_stock",
            ShopError::Database => socketioxide_gateway::error::code::INTERNAL,
        }
    }

    fn details(&self) -> Option<serde_json::Value> {
        match self {
            ShopError::OutOfStock { left } => Some(json!({ "left": left })),
            ShopError::Database => None,
        }
    }
}

#[derive(Default)]
struct Shop;

#[gateway(namespace = "/shop")]
impl Shop {
    #[subscribe("echo")]
    async fn echo(&self, value: serde_json::Value) -> serde_json::Value {
        value
    }

    #[subscribe("nothing")]
    async fn nothing(&self) {}

    #[subscribe("signup")]
    async fn signup(&self, Valid(form): Valid<Signup>) -> String {
        format!("welcome {} from {}", form.name, form.address.city)
    }

    #[subscribe("post")]
    async fn post(&self, Valid(post): Valid<Post>) -> usize {
        post.project_id.len() + post.content_text.len()
    }

    #[subscribe("buy")]
    async fn buy(&self, quantity: u32) -> Result<u32, ShopError> {
        match quantity {
            0..=3 => Ok(quantity),
            100 => Err(ShopError::Database),
            _ => Err(ShopError::OutOfStock { left: 3 }),
        }
    }

    #[subscribe("forbidden")]
    async fn forbidden(&self) -> Result<(), WsError> {
        Err(WsError::forbidden("admins only"))
    }

    #[subscribe("panic")]
    async fn panic(&self, message: String) -> u32 {
        panic!("boom: {message}")
    }

    #[subscribe("slow-then-panic")]
    async fn slow_then_panic(&self) -> u32 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        panic!("late boom")
    }
}

/// The same handlers in NestJS-compatible mode.
#[derive(Default)]
struct NestShop;

#[gateway(namespace = "/nest", ack = "nestjs")]
impl NestShop {
    #[subscribe("echo")]
    async fn echo(&self, value: serde_json::Value) -> serde_json::Value {
        value
    }

    #[subscribe("nothing")]
    async fn nothing(&self) {}

    #[subscribe("buy")]
    async fn buy(&self, quantity: u32) -> Result<u32, ShopError> {
        if quantity > 3 {
            return Err(ShopError::OutOfStock { left: 3 });
        }
        Ok(quantity)
    }
}

async fn server() -> TestServer {
    TestServer::start(GatewayApp::explicit().link::<Shop>().link::<NestShop>())
        .await
        .expect("server starts")
}

/// After the acks were checked: nothing else arrives, in particular no second ack.
async fn assert_quiet(socket: &mut NsClient) {
    socket
        .expect_silence(Duration::from_millis(150))
        .await
        .expect("no stray event");
    assert_eq!(socket.stray_acks(), 0, "an emit got more than one ack");
}

#[tokio::test]
async fn success_acks_the_value_in_an_envelope() {
    let server = server().await;
    let mut socket = server.socket("/shop").await.expect("connects");
    let ack = socket
        .call("echo", json!({"a": [1, 2], "b": "x"}))
        .await
        .expect("ack");
    assert_eq!(ack, json!({"ok": true, "data": {"a": [1, 2], "b": "x"}}));
    assert_quiet(&mut socket).await;
}

#[tokio::test]
async fn unit_acks_data_null() {
    let server = server().await;
    let mut socket = server.socket("/shop").await.expect("connects");
    let ack = socket.call("nothing", ()).await.expect("ack");
    assert_eq!(ack, json!({"ok": true, "data": null}));
    assert_quiet(&mut socket).await;
}

#[tokio::test]
async fn undecodable_payload_acks_bad_payload_without_echoing_it() {
    let server = server().await;
    let mut socket = server.socket("/shop").await.expect("connects");
    let ack = socket.call("buy", "my-secret-text").await.expect("ack");
    assert_eq!(
        ack,
        json!({"ok": false, "error": {
            "code": "bad_payload",
            "message": "invalid type: string, expected u32",
        }})
    );
    assert!(!ack.to_string().contains("my-secret-text"));

    let ack = socket
        .call("signup", json!({"name": "bob"}))
        .await
        .expect("ack");
    assert_eq!(
        ack,
        json!({"ok": false, "error": {"code": "bad_payload", "message": "missing field `age`"}})
    );
    assert_quiet(&mut socket).await;
}

#[tokio::test]
async fn invalid_payload_acks_validation_failed_with_field_details_and_no_input() {
    let server = server().await;
    let mut socket = server.socket("/shop").await.expect("connects");
    let ack = socket
        .call(
            "signup",
            json!({"name": "zz-secret-zz-too-long", "age": 7, "address": {"city": "X"}}),
        )
        .await
        .expect("ack");
    assert_eq!(
        ack,
        json!({"ok": false, "error": {
            "code": "validation_failed",
            "message": "payload failed validation",
            "details": {
                "address.city": [{"code": "length", "message": "failed the `length` check (min: 2)"}],
                "age": [{"code": "range", "message": "failed the `range` check (max: 130, min: 13)"}],
                "name": [{"code": "length", "message": "failed the `length` check (max: 16, min: 3)"}],
            },
        }})
    );
    assert!(!ack.to_string().contains("zz-secret-zz"));

    let ack = socket
        .call(
            "signup",
            json!({"name": "alice", "age": 30, "address": {"city": "Lyon"}}),
        )
        .await
        .expect("ack");
    assert_eq!(ack, json!({"ok": true, "data": "welcome alice from Lyon"}));
    assert_quiet(&mut socket).await;
}

#[tokio::test]
async fn validation_details_use_the_field_names_the_client_sent() {
    let server = server().await;
    let socket = server.socket("/shop").await.expect("connects");
    let ack = socket
        .call("post", json!({"projectId": "", "body": ""}))
        .await
        .expect("ack");
    let details = &ack["error"]["details"];
    assert_eq!(details["projectId"][0]["code"], json!("length"), "{ack}");
    // An arbitrary `rename` cannot be matched to its Rust name: the Rust name is kept.
    assert_eq!(details["content_text"][0]["code"], json!("length"), "{ack}");
}

#[tokio::test]
async fn app_errors_keep_their_own_code_and_details() {
    let server = server().await;
    let mut socket = server.socket("/shop").await.expect("connects");
    assert_eq!(
        socket.call("buy", 2).await.expect("ack"),
        json!({"ok": true, "data": 2})
    );
    assert_eq!(
        socket.call("buy", 9).await.expect("ack"),
        json!({"ok": false, "error": {
            "code": "out_of_stock",
            "message": "only 3 left in stock",
            "details": {"left": 3},
        }})
    );
    assert_eq!(
        socket.call("forbidden", ()).await.expect("ack"),
        json!({"ok": false, "error": {"code": "forbidden", "message": "admins only"}})
    );
    // An app error mapped to `internal` does not leak its text.
    assert_eq!(
        socket.call("buy", 100).await.expect("ack"),
        json!({"ok": false, "error": {"code": "internal", "message": "internal server error"}})
    );
    assert_quiet(&mut socket).await;
}

#[tokio::test]
async fn a_panicking_handler_acks_internal_and_the_socket_lives_on() {
    let server = server().await;
    let mut socket = server.socket("/shop").await.expect("connects");
    let internal =
        json!({"ok": false, "error": {"code": "internal", "message": "internal server error"}});
    assert_eq!(socket.call("panic", "x").await.expect("ack"), internal);
    assert_eq!(
        socket.call("slow-then-panic", ()).await.expect("ack"),
        internal
    );
    // Same socket, still served; and another client too.
    assert_eq!(
        socket.call("echo", 42).await.expect("ack"),
        json!({"ok": true, "data": 42})
    );
    let other = server.socket("/shop").await.expect("connects");
    assert_eq!(
        other.call("echo", "hi").await.expect("ack"),
        json!({"ok": true, "data": "hi"})
    );
    assert_quiet(&mut socket).await;
}

#[tokio::test]
async fn an_unknown_event_acks_not_found() {
    let server = server().await;
    let mut socket = server.socket("/shop").await.expect("connects");
    assert_eq!(
        socket.call("nope", ()).await.expect("ack"),
        json!({"ok": false, "error": {"code": "not_found", "message": "no handler for event `nope`"}})
    );
    assert_quiet(&mut socket).await;
}

#[tokio::test]
async fn every_emit_of_a_burst_gets_exactly_one_ack() {
    let server = server().await;
    let mut socket = server.socket("/shop").await.expect("connects");
    let socket_ref = &socket;
    let calls = (0..200u32).map(|i| async move {
        let event = ["echo", "nothing", "buy", "panic", "nope", "signup"][(i % 6) as usize];
        socket_ref
            .call(event, i)
            .await
            .map(|ack| ack["ok"].is_boolean())
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(|r| matches!(r, Ok(true))), "{results:?}");
    assert_quiet(&mut socket).await;
}

#[tokio::test]
async fn nestjs_mode_acks_bare_values_and_emits_exception_on_error() {
    let server = server().await;
    let mut socket = server.socket("/nest").await.expect("connects");
    assert_eq!(
        socket.call("echo", json!({"a": 1})).await.expect("ack"),
        json!({"a": 1})
    );
    assert_eq!(socket.call("nothing", ()).await.expect("ack"), json!(null));
    assert_eq!(socket.call("buy", 2).await.expect("ack"), json!(2));
    let error = json!({"status": "error", "message": "only 3 left in stock"});
    assert_eq!(socket.call("buy", 9).await.expect("ack"), error);
    let exception = socket
        .recv_event("exception")
        .await
        .expect("exception event");
    assert_eq!(exception.json(0), Some(&error));

    // Without an ack, NestJS still reports through `exception`.
    socket.emit("buy", 9).await.expect("sent");
    let exception = socket
        .recv_event("exception")
        .await
        .expect("exception event");
    assert_eq!(exception.json(0), Some(&error));
    assert_quiet(&mut socket).await;
}

#[tokio::test]
async fn the_app_wide_ack_mode_applies_to_gateways_that_do_not_choose() {
    let server = TestServer::start(
        GatewayApp::explicit()
            .link::<Shop>()
            .ack_mode(AckMode::NestJs),
    )
    .await
    .expect("server starts");
    let socket = server.socket("/shop").await.expect("connects");
    assert_eq!(socket.call("echo", 5).await.expect("ack"), json!(5));
    assert_eq!(
        socket.call("forbidden", ()).await.expect("ack"),
        json!({"status": "error", "message": "admins only"})
    );
}

#[tokio::test]
async fn failures_without_an_ack_are_reported_only_when_enabled() {
    let quiet = server().await;
    let mut socket = quiet.socket("/shop").await.expect("connects");
    socket.emit("buy", 9).await.expect("sent");
    socket.emit("panic", "x").await.expect("sent");
    assert_quiet(&mut socket).await;

    let reporting = TestServer::start(
        GatewayApp::explicit()
            .link::<Shop>()
            .report_exceptions(true),
    )
    .await
    .expect("server starts");
    let mut socket = reporting.socket("/shop").await.expect("connects");
    socket.emit("buy", 9).await.expect("sent");
    let exception = socket.recv_event("exception").await.expect("exception");
    assert_eq!(
        exception.json(0),
        Some(&json!({"event": "buy", "error": {
            "code": "out_of_stock", "message": "only 3 left in stock", "details": {"left": 3},
        }}))
    );
    socket.emit("panic", "x").await.expect("sent");
    let exception = socket.recv_event("exception").await.expect("exception");
    assert_eq!(
        exception.json(0),
        Some(
            &json!({"event": "panic", "error": {"code": "internal", "message": "internal server error"}})
        )
    );
}

// What a handler takes and acks is decided by the types' traits, not by how they are
// spelled: a renamed `SocketRef` (`Sock`) is the socket, aliases of payload types are
// payloads, an alias of a `Result` is a `Result`, and a struct whose name ends in `Result`
// is a value.

/// An alias of a payload type.
type Quantity = u32;

#[derive(Deserialize, JsonSchema)]
struct Query {
    text: String,
}

/// Another alias of a payload type.
type Search = Query;

#[derive(Debug, thiserror::Error)]
enum StockError {
    #[error("only {left} left in stock")]
    OutOfStock { left: u32 },
}

impl AppError for StockError {
    const CODES: &'static [&'static str] = &["out_of_stock"];

    fn code(&self) -> &'static str {
        "out_of_stock"
    }
}

/// A `Result` under another name.
type Out = Result<u32, StockError>;

/// A plain value whose name ends in `Result`.
#[derive(Serialize, JsonSchema)]
struct SearchResult {
    hits: usize,
    socket: String,
}

#[derive(Default)]
struct Renamed;

#[gateway(namespace = "/renamed")]
impl Renamed {
    #[subscribe("buy")]
    async fn buy(&self, s: Sock, quantity: Quantity) -> Out {
        let _ = s.id;
        if quantity > 3 {
            return Err(StockError::OutOfStock { left: 3 });
        }
        Ok(quantity)
    }

    #[subscribe("search")]
    async fn search(&self, s: Sock, query: Search) -> SearchResult {
        SearchResult {
            hits: query.text.len(),
            socket: s.id.to_string(),
        }
    }
}

#[tokio::test]
async fn parameters_and_acks_are_sorted_by_type_not_by_name() {
    let server = TestServer::start(GatewayApp::explicit().link::<Renamed>())
        .await
        .expect("server starts");
    let mut socket = server.socket("/renamed").await.expect("connects");
    // `s: Sock` is the socket, not the first argument: `quantity` gets it.
    assert_eq!(
        socket.call("buy", 2).await.expect("ack"),
        json!({"ok": true, "data": 2})
    );
    // `Out` is a `Result`: `Err` is an error ack with the error's code.
    assert_eq!(
        socket.call("buy", 9).await.expect("ack"),
        json!({"ok": false, "error": {"code": "out_of_stock", "message": "only 3 left in stock"}})
    );
    // `SearchResult` is a plain value, acked as the data; `s` is this socket.
    let sid = socket.sid().expect("connected");
    assert_eq!(
        socket
            .call("search", json!({"text": "ferris"}))
            .await
            .expect("ack"),
        json!({"ok": true, "data": {"hits": 6, "socket": sid}})
    );
    assert_quiet(&mut socket).await;
}

#[test]
fn contracts_read_aliased_results_and_skip_renamed_extractors() {
    let contracts = GatewayApp::explicit().link::<Renamed>().contracts();
    let events = &contracts.namespaces["/renamed"].client_events;

    let buy = &events["buy"];
    let names: Vec<&str> = buy.args.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["quantity"], "the socket is no argument");
    assert!(matches!(&buy.args[0].1, Shape::Json(schema) if schema["type"] == "integer"));
    // The `Ok` type of the aliased `Result`, and its error's codes.
    assert!(
        matches!(&buy.ack, Shape::Json(schema) if schema["type"] == "integer"),
        "{:?}",
        buy.ack
    );
    assert_eq!(buy.error_codes, ["out_of_stock"]);

    let search = &events["search"];
    let names: Vec<&str> = search.args.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["query"]);
    // The value itself, with no error codes.
    assert_eq!(
        search.ack,
        Shape::Json(json!({"$ref": "#/definitions/SearchResult"}))
    );
    assert!(search.error_codes.is_empty());
    assert!(contracts.definitions.contains_key("SearchResult"));
}

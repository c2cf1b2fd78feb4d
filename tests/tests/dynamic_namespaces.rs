//! Dynamic namespaces (book/src/namespaces.md): `#[gateway(namespace = "/org/{org}")]`
//! serves every `/org/<anything>`, each concrete namespace with its own sockets and rooms;
//! `NsParams<T>` gives handlers, hooks and guards the matched parameters; a parameter that
//! does not parse is a clear error to that client only; startup refuses overlapping
//! patterns that share an event. The official Node client's side is in
//! tests/interop/conformance.test.mjs (the conformance example's `/tenant/{tenant}`).

use std::sync::Mutex;

use serde_json::json;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::{TestClient, TestClientError, TestServer};
use socketioxide_gateway::{GatewayApp, StartupError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Org {
    org: String,
}

/// Refuses a client whose auth does not list the org it asks for (NestJS #1431, #5750).
struct MemberOfOrg;

impl Guard for MemberOfOrg {
    async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        let Org { org } = cx.ns_params()?;
        let member = cx
            .auth()
            .and_then(|auth| auth.get("orgs")?.as_array())
            .is_some_and(|orgs| orgs.iter().any(|o| o.as_str() == Some(&org)));
        if member {
            Ok(())
        } else {
            Err(WsError::forbidden(format!("not a member of `{org}`")))
        }
    }
}

/// What the hooks saw, in order.
static HOOKS: Mutex<Vec<String>> = Mutex::new(Vec::new());

#[derive(Default)]
struct Orgs;

#[gateway(namespace = "/org/{org}")]
#[guard(MemberOfOrg)]
impl Orgs {
    #[on_connect]
    async fn joined(&self, socket: SocketRef, NsParams(Org { org }): NsParams<Org>) {
        socket.join("members");
        HOOKS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("connect {org}"));
    }

    #[on_disconnect]
    async fn left(&self, NsParams(org): NsParams<String>) {
        HOOKS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("disconnect {org}"));
    }

    #[subscribe("whoami")]
    async fn whoami(&self, NsParams(org): NsParams<Org>, socket: SocketRef) -> serde_json::Value {
        json!({ "org": org.org, "namespace": socket.ns() })
    }

    /// To the org's room `members`: the same room name in every org, one room per org.
    #[subscribe("say")]
    async fn say(&self, socket: SocketRef, text: String) {
        let _ = socket.to("members").emit("said", &text).await;
    }
}

#[derive(Debug, Deserialize)]
struct Board {
    id: u32,
}

#[derive(Default)]
struct Boards;

/// Numeric ids: `/board/abc` does not parse.
#[gateway(namespace = "/board/{id}")]
impl Boards {
    #[subscribe("open")]
    async fn open(&self, NsParams(board): NsParams<Board>) -> u32 {
        board.id
    }
}

#[derive(Default)]
struct Files;

/// `{*path}` takes the rest of the path, slashes included.
#[gateway(namespace = "/files/{*path}")]
impl Files {
    #[subscribe("where")]
    async fn where_(&self, NsParams(path): NsParams<String>) -> String {
        path
    }
}

fn members(orgs: &[&str]) -> Option<serde_json::Value> {
    Some(json!({ "orgs": orgs }))
}

async fn server() -> TestServer {
    TestServer::start(
        GatewayApp::explicit()
            .link::<Orgs>()
            .link::<Boards>()
            .link::<Files>(),
    )
    .await
    .expect("the app starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_concrete_namespace_has_its_own_sockets_and_rooms() {
    let server = server().await;
    let url = server.url();
    let a1 = TestClient::connect(&url).await.expect("connects");
    let a2 = TestClient::connect(&url).await.expect("connects");
    let b1 = TestClient::connect(&url).await.expect("connects");
    let mut acme1 = a1
        .namespace("/org/acme", members(&["acme"]))
        .await
        .expect("joins acme");
    let mut acme2 = a2
        .namespace("/org/acme", members(&["acme", "globex"]))
        .await
        .expect("joins acme");
    let mut globex = b1
        .namespace("/org/globex", members(&["globex"]))
        .await
        .expect("joins globex");

    assert_eq!(
        acme1.call("whoami", ()).await.expect("acked"),
        json!({"ok": true, "data": {"org": "acme", "namespace": "/org/acme"}})
    );
    assert_eq!(
        globex.call("whoami", ()).await.expect("acked"),
        json!({"ok": true, "data": {"org": "globex", "namespace": "/org/globex"}})
    );

    // Both orgs have a room `members`: a message to acme's never reaches globex's.
    acme1.emit("say", ("hi acme",)).await.expect("sent");
    let heard = acme2
        .recv_event("said")
        .await
        .expect("acme's room hears it");
    assert_eq!(heard.json(0), Some(&json!("hi acme")));
    globex
        .expect_silence(std::time::Duration::from_millis(300))
        .await
        .expect("globex hears nothing");

    // A service emits to one instance with `io.of(path)`.
    let acme_ns = server.io().of("/org/acme").expect("/org/acme exists");
    acme_ns.emit("notice", &"for acme").await.expect("emitted");
    assert_eq!(
        acme1.recv_event("notice").await.expect("acme1").json(0),
        Some(&json!("for acme"))
    );
    assert_eq!(
        acme2.recv_event("notice").await.expect("acme2").json(0),
        Some(&json!("for acme"))
    );
    globex
        .expect_silence(std::time::Duration::from_millis(300))
        .await
        .expect("globex hears nothing");
    assert_eq!(
        server
            .io()
            .of("/org/globex")
            .expect("exists")
            .sockets()
            .len(),
        1
    );

    a1.close().await;
    a2.close().await;
    b1.close().await;
    // The hooks got their parameters too.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let hooks = HOOKS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    for line in [
        "connect acme",
        "connect globex",
        "disconnect acme",
        "disconnect globex",
    ] {
        assert!(hooks.iter().any(|h| h == line), "{line} missing: {hooks:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catch_all_parameter_takes_the_rest_of_the_path() {
    let server = server().await;
    let client = TestClient::connect(&server.url()).await.expect("connects");
    for (path, rest) in [("/files/a", "a"), ("/files/a/b/c.txt", "a/b/c.txt")] {
        let ns = client.namespace(path, None).await.expect("joins");
        assert_eq!(
            ns.call("where", ()).await.expect("acked")["data"],
            json!(rest),
            "{path}"
        );
    }
    let err = client
        .namespace("/files", None)
        .await
        .expect_err("the rest is not empty");
    assert!(
        matches!(err, TestClientError::ConnectRefused { .. }),
        "{err:?}"
    );
    client.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guard_refuses_a_tenant_and_unknown_paths_stay_refused() {
    let server = server().await;
    let client = TestClient::connect(&server.url()).await.expect("connects");
    let refused = client
        .namespace("/org/globex", members(&["acme"]))
        .await
        .expect_err("not a member");
    let TestClientError::ConnectRefused { message } = refused else {
        panic!("connect_error expected, got {refused:?}");
    };
    assert_eq!(message, "not a member of `globex`");
    for path in ["/org", "/org/acme/extra", "/orgs/acme", "/nope"] {
        let err = client
            .namespace(path, members(&["acme"]))
            .await
            .expect_err("no such namespace");
        assert!(
            matches!(&err, TestClientError::ConnectRefused { message } if message == "Invalid namespace"),
            "{path}: {err:?}"
        );
    }
    // The connection still serves the org it belongs to.
    let acme = client
        .namespace("/org/acme", members(&["acme"]))
        .await
        .expect("joins acme");
    assert_eq!(
        acme.call("whoami", ()).await.expect("acked")["data"]["org"],
        "acme"
    );
    client.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parameter_that_does_not_parse_is_that_clients_error() {
    let server = server().await;
    let client = TestClient::connect(&server.url()).await.expect("connects");
    let good = client.namespace("/board/7", None).await.expect("joins");
    let bad = client.namespace("/board/abc", None).await.expect("joins");
    assert_eq!(
        good.call("open", ()).await.expect("acked"),
        json!({"ok": true, "data": 7})
    );
    assert_eq!(
        bad.call("open", ()).await.expect("acked"),
        json!({"ok": false, "error": {
            "code": "bad_payload",
            "message": "the namespace parameters do not decode: parameter `id` is not an integer (u32)"
        }})
    );
    // In a guard, the same error refuses the connection.
    let err = client
        .namespace("/org/acme", Some(json!({"orgs": "not a list"})))
        .await
        .expect_err("refused");
    assert!(
        matches!(err, TestClientError::ConnectRefused { .. }),
        "{err:?}"
    );
    assert_eq!(
        good.call("open", ()).await.expect("still served"),
        json!({"ok": true, "data": 7})
    );
    assert_eq!(good.stray_acks(), 0);
    client.close().await;
}

#[derive(Default)]
struct SameShapeA;

#[gateway(namespace = "/shape/{a}")]
impl SameShapeA {
    #[subscribe("x")]
    async fn x(&self) {}
}

#[derive(Default)]
struct SameShapeB;

#[gateway(namespace = "/shape/{b}")]
impl SameShapeB {
    #[subscribe("y")]
    async fn y(&self) {}
}

#[derive(Default)]
struct Wide;

#[gateway(namespace = "/{kind}/{id}")]
impl Wide {
    #[subscribe("whoami")]
    async fn whoami(&self) {}

    #[subscribe("other")]
    async fn other(&self) {}
}

#[tokio::test]
async fn overlapping_patterns_fail_startup_naming_both() {
    let err = GatewayApp::explicit()
        .link::<SameShapeA>()
        .link::<SameShapeB>()
        .build()
        .await
        .err()
        .expect("refused");
    let message = err.to_string();
    assert!(
        message.contains(
            "namespaces `/shape/{a}` (`SameShapeA` at tests/tests/dynamic_namespaces.rs:"
        ) && message
            .contains("and `/shape/{b}` (`SameShapeB` at tests/tests/dynamic_namespaces.rs:")
            && message.contains("match the same paths"),
        "{message}"
    );

    // `/{kind}/{id}` and `/org/{org}` both match `/org/acme`, and both have `whoami`.
    let err = GatewayApp::explicit()
        .link::<Orgs>()
        .link::<Wide>()
        .build()
        .await
        .err()
        .expect("refused");
    let StartupError::DuplicateEvents(conflicts) = &err else {
        panic!("a conflict, got {err}");
    };
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert!(
        conflicts[0].starts_with("event `whoami` is on namespaces `/org/{org}` (`Orgs` at tests/tests/dynamic_namespaces.rs:")
            && conflicts[0].contains("and `/{kind}/{id}` (`Wide` at tests/tests/dynamic_namespaces.rs:"),
        "{conflicts:?}"
    );

    // Overlapping patterns with no event in common are fine, as is a static namespace
    // inside a pattern (static namespaces win).
    let built = GatewayApp::explicit()
        .link::<Boards>()
        .link::<Wide>()
        .build()
        .await
        .expect("no shared event");
    let paths: Vec<_> = built.namespaces().iter().map(|ns| ns.path).collect();
    assert_eq!(paths, ["/board/{id}", "/{kind}/{id}"]);
}

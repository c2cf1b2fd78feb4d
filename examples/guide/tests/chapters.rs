//! What the book says about the guide's code, checked over real sockets: one module per
//! chapter. The acks asserted here are the ones the book shows.

use std::time::Duration;

use serde_json::{Value, json};
use socketioxide_gateway::GatewayApp;
use socketioxide_gateway::testing::{NsClient, TestServer};

async fn start(app: GatewayApp) -> TestServer {
    TestServer::start(app).await.expect("the app starts")
}

async fn socket(server: &TestServer, namespace: &str) -> NsClient {
    server.socket(namespace).await.expect("connects")
}

async fn call(
    socket: &NsClient,
    event: &str,
    args: impl socketioxide_gateway::testing::IntoArgs,
) -> Value {
    socket.call(event, args).await.expect("an ack")
}

mod gateways {
    use super::*;
    use example_guide::gateways::{app, configured, mount};

    #[tokio::test]
    async fn the_apps_gateways_answer_on_their_namespaces() {
        let server = start(app()).await;
        let root = socket(&server, "/").await;
        assert_eq!(
            call(&root, "echo", "hi").await,
            json!({"ok": true, "data": "hi"})
        );
        let shop = socket(&server, "/shop").await;
        assert_eq!(
            call(&shop, "list-products", ()).await["data"],
            json!(["tea", "coffee"])
        );
        assert_eq!(
            call(&shop, "place-order", "tea").await["data"],
            "ordered tea"
        );
        let legacy = socket(&server, "/legacy").await;
        assert_eq!(call(&legacy, "ping", ()).await, json!("pong"));
        assert_eq!(
            call(&legacy, "nope", ()).await,
            json!({"status": "error", "message": "no handler for event `nope`"})
        );
    }

    #[tokio::test]
    async fn a_dynamic_namespace_per_org() {
        use socketioxide_gateway::testing::{TestClient, TestClientError};

        let server =
            start(GatewayApp::explicit().link::<example_guide::gateways::OrgGateway>()).await;
        let member = |orgs: &[&str]| Some(json!({ "orgs": orgs }));
        let (c1, c2) = (
            TestClient::connect(&server.url()).await.expect("connects"),
            TestClient::connect(&server.url()).await.expect("connects"),
        );
        let acme = c1
            .namespace("/org/acme", member(&["acme"]))
            .await
            .expect("a member");
        let mut globex = c2
            .namespace("/org/globex", member(&["globex"]))
            .await
            .expect("a member");
        assert_eq!(
            call(&acme, "whoami", ()).await,
            json!({"ok": true, "data": {"org": "acme"}})
        );
        let refused = c2
            .namespace("/org/acme", member(&["globex"]))
            .await
            .expect_err("not a member");
        assert!(
            matches!(&refused, TestClientError::ConnectRefused { message } if message == "not a member of `acme`"),
            "{refused:?}"
        );
        acme.emit("say", "hello").await.expect("sent");
        assert!(
            example_guide::gateways::announce(server.io(), "globex", "for globex").await,
            "globex exists"
        );
        let event = globex.recv().await.expect("an event");
        assert_eq!(
            (event.event.as_str(), event.json(0)),
            ("announcement", Some(&json!("for globex"))),
            "globex hears its announcement, not acme's `said`"
        );
        assert!(!example_guide::gateways::announce(server.io(), "initech", "nobody").await);
        c1.close().await;
        c2.close().await;
    }

    // ANCHOR: duplicate
    mod clash {
        use socketioxide_gateway::prelude::*;

        #[derive(Default)]
        pub(crate) struct First;

        #[gateway(namespace = "/shop")]
        impl First {
            #[subscribe("list-products")]
            async fn list(&self) {}
        }
    }

    #[tokio::test]
    async fn two_handlers_for_one_event_stop_startup() {
        let app = app().link::<clash::First>();
        let err = app.build().await.err().expect("a startup error");
        let message = err.to_string();
        assert!(
            message.starts_with("duplicate event handlers:"),
            "{message}"
        );
        assert!(message.contains("`list-products`"), "{message}");
    }
    // ANCHOR_END: duplicate

    #[tokio::test]
    async fn the_other_ways_to_build_an_app_work() {
        let (router, shutdown) = mount().await.expect("mounts");
        drop(router);
        shutdown.run().await;
        let gateways = configured().build().await.expect("builds");
        assert_eq!(gateways.namespaces().len(), 4);
        example_guide::gateways::bind_and_stop()
            .await
            .expect("binds and stops");
    }
}

mod handlers {
    use super::*;

    #[tokio::test]
    async fn extractors_and_a_custom_extractor() {
        let server = start(example_guide::handlers::app()).await;
        let profile = socket(&server, "/profile").await;
        assert_eq!(
            call(&profile, "whoami", ()).await,
            json!({"ok": false, "error": {"code": "unauthorized", "message": "log in first"}})
        );
        let ack = call(&profile, "login", "ada").await;
        assert_eq!(ack["data"], "welcome ada; 1 online");
        assert_eq!(call(&profile, "whoami", ()).await["data"], "ada");
        assert_eq!(
            call(&profile, "logout", ()).await,
            json!({"ok": true, "data": null})
        );
        assert_eq!(
            call(&profile, "whoami", ()).await["error"]["code"],
            "unauthorized"
        );
    }
}

mod payloads {
    use super::*;
    use bytes::Bytes;
    use socketioxide_gateway::Arg;

    fn order() -> Value {
        json!({
            "customerId": "c-1",
            "email": "ada@example.com",
            "lines": [{"sku": "tea", "qty": 2}, {"sku": "cups", "qty": 4}],
            "address": {"city": "Paris", "postcode": "75001"}
        })
    }

    #[tokio::test]
    async fn every_kind_of_payload() {
        let server = start(example_guide::payloads::app()).await;
        let desk = socket(&server, "/orders").await;
        assert_eq!(
            call(&desk, "create-order", order()).await,
            json!({"ok": true, "data": {"orderId": 1, "items": 6}})
        );
        assert_eq!(
            call(&desk, "cancel-order", 42).await["data"],
            "order 42 cancelled"
        );
        assert_eq!(
            call(&desk, "set-quantity", (3, 7)).await["data"],
            "line 3: 7"
        );
        assert_eq!(
            call(&desk, "pay", json!({"kind": "card", "last4": "4242"})).await["data"],
            "card ending 4242"
        );
        assert_eq!(
            call(&desk, "pay", json!({"kind": "invoice"})).await["data"],
            "invoice"
        );
        let file = Bytes::from_static(b"%PDF-1.7");
        assert_eq!(
            call(&desk, "attach", ("invoice.pdf", file.clone())).await["data"],
            "invoice.pdf: 8 bytes"
        );
        let echoed = desk
            .emit_with_ack("echo-all", (1, "two", file.clone()))
            .await
            .expect("acked");
        // Envelope mode: the arguments come back as the `data` array, binary kept binary.
        assert_eq!(echoed.len(), 1);
        let reply = desk
            .emit_with_ack_reply("echo-all", (1, "two", file.clone()))
            .await
            .expect("acked");
        assert_eq!(reply.attachments, vec![file]);
        assert!(matches!(echoed[0], Arg::Json(_)));
    }

    // ANCHOR: validation-test
    #[tokio::test]
    async fn a_broken_rule_lists_every_failing_field() {
        let server = start(example_guide::payloads::app()).await;
        let desk = socket(&server, "/orders").await;
        let mut bad = order();
        bad["email"] = json!("not-an-email");
        bad["lines"][1]["qty"] = json!(0);
        bad["address"]["postcode"] = json!("7500");

        let ack = call(&desk, "create-order", bad).await;

        assert_eq!(
            ack,
            json!({"ok": false, "error": {
                "code": "validation_failed",
                "message": "payload failed validation",
                "details": {
                    "address.postcode": [{"code": "postcode", "message": "five digits"}],
                    "email": [{"code": "email", "message": "failed the `email` check"}],
                    "lines[1].qty": [{"code": "range", "message": "failed the `range` check (max: 99, min: 1)"}]
                }
            }})
        );
    }
    // ANCHOR_END: validation-test

    #[tokio::test]
    async fn decode_errors_are_bad_payload() {
        let server = start(example_guide::payloads::app()).await;
        let desk = socket(&server, "/orders").await;
        assert_eq!(
            call(&desk, "cancel-order", "42").await,
            json!({"ok": false, "error": {"code": "bad_payload", "message": "invalid type: string, expected u64"}})
        );
        assert_eq!(
            call(&desk, "pay", json!({"kind": "cash"})).await["error"],
            json!({"code": "bad_payload", "message": "unknown variant, expected `card` or `invoice`"})
        );
        assert_eq!(
            call(&desk, "set-quantity", 3).await["error"]["code"],
            "bad_payload"
        );
        // Several payload parameters take exactly that many arguments...
        assert_eq!(
            call(&desk, "set-quantity", (3, 7, 9)).await["error"],
            json!({"code": "bad_payload", "message": "malformed payload"})
        );
        // ...one takes the first and ignores the rest.
        assert_eq!(
            call(&desk, "cancel-order", (42, "x")).await["data"],
            "order 42 cancelled"
        );
        assert_eq!(
            call(&desk, "create-order", json!({"customerId": "c-1"})).await["error"],
            json!({"code": "bad_payload", "message": "missing field `email`"})
        );
    }
}

mod lifecycle {
    use super::*;

    #[tokio::test]
    async fn connect_and_disconnect_hooks() {
        let server = start(example_guide::lifecycle::app()).await;
        let client = server.client().await.expect("connects");
        let mut ada = client
            .namespace("/lobby", Some(json!({"nickname": "ada"})))
            .await
            .expect("joins");
        let welcome = ada.recv_event("welcome").await.expect("welcomed");
        assert_eq!(welcome.json(0), Some(&json!(["ada"])));

        let guest = socket(&server, "/lobby").await;
        let guest_name = format!("guest-{}", guest.sid().expect("connected"));
        let entered = ada.recv_event("entered").await.expect("told");
        assert_eq!(entered.json(0), Some(&json!(guest_name)));

        guest.disconnect().await.expect("leaves");
        let left = ada.recv_event("left").await.expect("told");
        assert_eq!(left.json(0), Some(&json!(guest_name)));
    }
}

mod rooms {
    use super::*;

    #[tokio::test]
    async fn rooms_and_emits() {
        let server = start(example_guide::rooms::app()).await;
        let mut ada = socket(&server, "/rooms").await;
        let mut bob = socket(&server, "/rooms").await;
        let said = |text: &str| json!({"room": "tea", "text": text});
        assert_eq!(
            call(&ada, "say", said("hi")).await["error"],
            json!({"code": "forbidden", "message": "join the room first"})
        );
        call(&ada, "join-room", "tea").await;
        call(&bob, "join-room", "tea").await;
        let rooms = call(&ada, "my-rooms", ()).await;
        // Unlike Node's socket.io, a socket is not in a room named after its own id.
        assert_eq!(rooms["data"], json!(["tea"]));
        assert_eq!(
            call(&ada, "say", said("hi")).await,
            json!({"ok": true, "data": null})
        );
        for socket in [&mut ada, &mut bob] {
            let event = socket
                .recv_event("said")
                .await
                .expect("everyone in the room");
            assert_eq!(event.json(0), Some(&json!("hi")));
        }
        call(&bob, "leave-room", "tea").await;
        let left = ada.recv_event("user-left").await.expect("told");
        assert_eq!(left.json(0), Some(&json!(bob.sid().expect("connected"))));
        call(&ada, "say", said("alone")).await;
        bob.expect_silence(Duration::from_millis(200))
            .await
            .expect("bob left");
    }
}

mod nestjs {
    use super::*;
    use example_guide::nestjs::{ChatGateway, EventsGateway};

    #[tokio::test]
    async fn the_ported_gateways_behave_like_the_originals() {
        let server = start(
            GatewayApp::explicit()
                .link::<EventsGateway>()
                .link::<ChatGateway>(),
        )
        .await;
        let mut a = socket(&server, "/events").await;
        let mut b = socket(&server, "/events").await;
        assert_eq!(
            call(&a, "message", "hello").await,
            json!({"ok": true, "data": "Message received"})
        );
        for socket in [&mut a, &mut b] {
            let event = socket
                .recv_event("message")
                .await
                .expect("broadcast to all");
            assert_eq!(event.json(0), Some(&json!("hello")));
        }
        let chat = socket(&server, "/nest-chat").await;
        assert_eq!(
            call(&chat, "send-message", json!({"room": "r", "message": "x"})).await["error"]["code"],
            "forbidden"
        );
        assert_eq!(
            call(&chat, "send-message", json!({"room": "", "message": "x"})).await["error"]["code"],
            "validation_failed"
        );
    }
}

mod socketioxide_side {
    use super::*;

    #[tokio::test]
    async fn the_gateway_acks_what_the_hand_written_handler_acked() {
        let _layer = example_guide::socketioxide_side::by_hand();
        let server =
            start(GatewayApp::explicit().link::<example_guide::socketioxide_side::EchoGateway>())
                .await;
        let echo = socket(&server, "/echo").await;
        assert_eq!(call(&echo, "say", "hi").await["data"], "you said hi");
        assert_eq!(call(&echo, "say", 1).await["error"]["code"], "bad_payload");
    }
}

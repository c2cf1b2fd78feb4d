//! The Socket.IO Admin UI (`GatewayApp::admin_ui`, feature `admin-ui`) driven by the
//! official `socket.io-client` as the dashboard drives it: tests/interop/admin_ui.test.mjs
//! against two apps, one in development mode and one read-only; and the real dashboard
//! (`@socket.io/admin-ui`'s `ui/dist`) in headless Chromium against the chat example:
//! tests/interop/admin_ui_browser.test.mjs.

use std::process::Command;
use std::time::Duration;

use gateway_tests::process::run_bounded;
use socketioxide_gateway::GatewayApp;
use socketioxide_gateway::admin_ui::{AdminAuth, AdminUi};
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::testing::TestServer;

const PASSWORD: &str = "changeit";

#[derive(Default)]
struct Chat;

/// Sent back to the socket that shouted.
#[derive(Serialize, JsonSchema, ServerEvent)]
#[event("echo")]
struct Echo(String);

/// Broadcast to every socket of the namespace.
#[derive(Serialize, JsonSchema, ServerEvent)]
#[event("shouted")]
struct Shouted(String);

#[gateway(namespace = "/chat", emits(Echo, Shouted))]
impl Chat {
    #[subscribe("say")]
    async fn say(&self, _text: String) {}

    /// `echo` to the sender (an emit to one socket), then `shouted` to the namespace (a
    /// broadcast, through the adapter).
    #[subscribe("shout")]
    async fn shout(&self, socket: SocketRef, io: Inject<SocketIo>, text: String) {
        socket.emit_event(&Echo(text.clone())).ok();
        io.of("/chat")
            .expect("served")
            .emit_event(&Shouted(text))
            .await
            .ok();
    }

    /// The socket's rooms, sorted.
    #[subscribe("my-rooms")]
    async fn my_rooms(&self, socket: SocketRef) -> Vec<String> {
        let mut rooms: Vec<String> = socket.rooms().into_iter().map(|r| r.into_owned()).collect();
        rooms.sort();
        rooms
    }
}

async fn app(read_only: bool) -> TestServer {
    // Cost 4: the lowest bcrypt allows, so the test's logins are quick.
    let hash = bcrypt::hash(PASSWORD, 4).expect("hashes");
    let admin = AdminUi::new(AdminAuth::basic("admin", hash)).read_only(read_only);
    TestServer::start(GatewayApp::explicit().link::<Chat>().admin_ui(admin))
        .await
        .expect("the app starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_ui_protocol_with_socket_io_client() {
    let (server, read_only) = (app(false).await, app(true).await);
    let mut node = Command::new("node");
    node.args(["--test", "admin_ui.test.mjs"])
        .current_dir(gateway_tests::interop::dir_with("socket.io-client"))
        .env("GATEWAY_URL", server.url())
        .env("READONLY_URL", read_only.url())
        .env("ADMIN_PASSWORD", PASSWORD);
    run_bounded(node, Duration::from_secs(90))
        .await
        .assert_passed("admin_ui.test.mjs");
}

/// The same client checks against the reference, socket.io 4.8 instrumented with
/// @socket.io/admin-ui 0.5.1 (tests/interop/admin_ui_node_server.mjs): where the two
/// differ, the Node package is right, and this test shows the checks hold for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_checks_pass_against_the_node_package() {
    let interop = gateway_tests::interop::dir_with("@socket.io/admin-ui");
    let start = |read_only: bool| {
        let port = gateway_tests::services::free_port();
        let mut server = Command::new("node");
        server
            .arg("admin_ui_node_server.mjs")
            .current_dir(&interop)
            .env("PORT", port.to_string())
            .env("ADMIN_PASSWORD", PASSWORD)
            .env("READONLY", if read_only { "1" } else { "0" })
            .stdout(std::process::Stdio::null());
        let child = KillOnDrop(server.spawn().expect("node starts"));
        gateway_tests::services::wait_for_port(
            port,
            "the Node reference server",
            Duration::from_secs(20),
        );
        (child, format!("http://127.0.0.1:{port}"))
    };
    let ((_main, url), (_read_only, read_only_url)) = (start(false), start(true));
    let mut node = Command::new("node");
    node.args(["--test", "admin_ui.test.mjs"])
        .current_dir(&interop)
        .env("GATEWAY_URL", url)
        .env("READONLY_URL", read_only_url)
        .env("ADMIN_PASSWORD", PASSWORD);
    run_bounded(node, Duration::from_secs(90))
        .await
        .assert_passed("admin_ui.test.mjs against Node");
}

/// A child process killed when the test ends, however it ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_dashboard_in_chromium_against_the_chat_example() {
    let ui_port = gateway_tests::services::free_port();
    let hash = bcrypt::hash(PASSWORD, 4).expect("hashes");
    // ANCHOR: setup
    // The dashboard is served from another origin, as the hosted one is: allow it.
    let app = example_chat::app()
        .admin_ui(AdminUi::new(AdminAuth::basic("admin", hash)))
        .allowed_origins([format!("http://127.0.0.1:{ui_port}")]);
    // ANCHOR_END: setup
    let server = TestServer::start(app).await.expect("the chat starts");
    let mut node = Command::new("node");
    node.args(["--test", "admin_ui_browser.test.mjs"])
        .current_dir(gateway_tests::interop::dir_with("@socket.io/admin-ui"))
        .env("CHAT_URL", server.url())
        .env("UI_PORT", ui_port.to_string())
        .env("ADMIN_PASSWORD", PASSWORD);
    run_bounded(node, Duration::from_secs(90))
        .await
        .assert_passed("admin_ui_browser.test.mjs");
}

#[tokio::test]
async fn a_password_that_is_not_a_bcrypt_hash_stops_startup() {
    let admin = AdminUi::new(AdminAuth::basic("admin", "changeit"));
    let err = GatewayApp::explicit()
        .link::<Chat>()
        .admin_ui(admin)
        .build()
        .await
        .err()
        .expect("refused");
    assert_eq!(
        err.to_string(),
        "admin UI: the admin UI's password must be a bcrypt hash ($2b$...)"
    );
    let taken = AdminUi::new(AdminAuth::None).namespace("/chat");
    let err = GatewayApp::explicit()
        .link::<Chat>()
        .admin_ui(taken)
        .build()
        .await
        .err()
        .expect("refused");
    assert!(
        err.to_string()
            .starts_with("admin UI: its namespace `/chat` is served by gateway `Chat`"),
        "{err}"
    );
}

//! The chapter "Gateways": declaring them, how the app finds and builds them, and the ways
//! to serve them.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::{BuiltApp, GatewayConfig, Shutdown};

// ANCHOR: minimal
/// The smallest gateway: no dependencies (so `Default` builds it), one event, and no
/// `namespace`, so it serves the main namespace `/`.
#[derive(Default)]
pub struct EchoGateway;

#[gateway]
impl EchoGateway {
    /// `await socket.emitWithAck("echo", "hi")` resolves with `{ok: true, data: "hi"}`.
    #[subscribe("echo")]
    async fn echo(&self, text: String) -> String {
        text
    }
}
// ANCHOR_END: minimal

// ANCHOR: shared-namespace
/// Two gateways on one namespace: the app merges their handlers into `/shop`.
#[derive(Default)]
pub struct CatalogGateway;

#[gateway(namespace = "/shop")]
impl CatalogGateway {
    #[subscribe("list-products")]
    async fn list(&self) -> Vec<String> {
        vec!["tea".to_owned(), "coffee".to_owned()]
    }
}

/// The other half of `/shop`.
#[derive(Default)]
pub struct OrdersGateway;

#[gateway(namespace = "/shop")]
impl OrdersGateway {
    #[subscribe("place-order")]
    async fn place(&self, product: String) -> String {
        format!("ordered {product}")
    }
}
// ANCHOR_END: shared-namespace

// ANCHOR: dynamic
/// The org a socket joined: `acme` for `/org/acme`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Org {
    /// The `{org}` segment of the path.
    pub org: String,
}

/// Lets in only the members of the org a client asks for: its auth payload lists them
/// (`io(url + "/org/acme", { auth: { orgs: ["acme"] } })`); a real app reads its claims.
pub struct OrgMember;

impl Guard for OrgMember {
    async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        let Org { org } = cx.ns_params()?;
        let orgs = cx.auth().and_then(|auth| auth.get("orgs")?.as_array());
        if orgs.is_some_and(|orgs| orgs.iter().any(|o| o.as_str() == Some(org.as_str()))) {
            Ok(())
        } else {
            Err(WsError::forbidden(format!("not a member of `{org}`")))
        }
    }
}

/// One namespace per org: `/org/acme` and `/org/globex` have their own sockets and rooms.
#[derive(Default)]
pub struct OrgGateway;

#[gateway(namespace = "/org/{org}")]
#[guard(OrgMember)]
impl OrgGateway {
    /// Joins the org's `lobby` (a room of `/org/acme` only, for a client of acme).
    #[on_connect]
    async fn joined(&self, socket: SocketRef, NsParams(org): NsParams<Org>) {
        tracing::info!(org = org.org, "joined");
        socket.join("lobby");
    }

    /// Acks `{ok: true, data: {org: "acme"}}` on `/org/acme`.
    #[subscribe("whoami")]
    async fn whoami(&self, NsParams(org): NsParams<Org>) -> Org {
        org
    }

    /// To the other members of the org's lobby, never to another org's.
    #[subscribe("say")]
    async fn say(&self, socket: SocketRef, text: String) {
        let _ = socket.to("lobby").emit("said", &text).await;
    }
}

/// From a service or an HTTP route: emit to one org's namespace. `io.of` is `None` until a
/// client has joined that org (socketioxide creates each concrete namespace then).
pub async fn announce(io: &SocketIo, org: &str, text: &str) -> bool {
    match io.of(format!("/org/{org}")) {
        Some(ns) => ns.emit("announcement", &text).await.is_ok(),
        None => false,
    }
}
// ANCHOR_END: dynamic

// ANCHOR: nestjs-acks
/// Acks in NestJS's shapes for this gateway only: the bare value on success,
/// `{"status": "error", "message": ...}` (and an `exception` event) on failure.
#[derive(Default)]
pub struct LegacyGateway;

#[gateway(namespace = "/legacy", ack = "nestjs")]
impl LegacyGateway {
    #[subscribe("ping")]
    async fn ping(&self) -> String {
        "pong".to_owned()
    }
}
// ANCHOR_END: nestjs-acks

// ANCHOR: hand-in
/// A gateway with a field no provider has: the app is handed an instance.
pub struct GreeterGateway {
    greeting: String,
}

impl GreeterGateway {
    /// Greets with `greeting`.
    pub fn new(greeting: impl Into<String>) -> Self {
        Self {
            greeting: greeting.into(),
        }
    }
}

#[gateway(namespace = "/greeter")]
impl GreeterGateway {
    #[subscribe("greet")]
    async fn greet(&self, name: String) -> String {
        format!("{}, {name}!", self.greeting)
    }
}
// ANCHOR_END: hand-in

// ANCHOR: app
/// Serves exactly the gateways it names: `link` for those the app builds itself (here
/// with `Default`), `gateway` for an instance built by hand.
pub fn app() -> GatewayApp {
    GatewayApp::explicit()
        .link::<EchoGateway>()
        .link::<CatalogGateway>()
        .link::<OrdersGateway>()
        .link::<LegacyGateway>()
        .gateway(GreeterGateway::new("Hello"))
}
// ANCHOR_END: app

// ANCHOR: serve
/// Serves on port 3000 until Ctrl-C or SIGTERM, then shuts down gracefully.
pub async fn serve() -> Result<(), BoxError> {
    app().serve("127.0.0.1:3000").await
}
// ANCHOR_END: serve

// ANCHOR: bind
/// Serves in the background on a free port, and stops.
pub async fn bind_and_stop() -> Result<(), BoxError> {
    let server = app().bind("127.0.0.1:0").await?;
    tracing::info!(addr = %server.local_addr(), "serving");
    // ... `server.io()` is the `SocketIo` handle, to emit from here ...
    server.shutdown().await?;
    Ok(())
}
// ANCHOR_END: bind

// ANCHOR: mount
/// Socket.IO on your own axum `Router`, next to its routes. `BuiltApp::mount` adds the
/// Socket.IO layer (and the `Origin` check when origins are restricted). Serve the router
/// as you like; on shutdown, stop your listener, then run the returned `Shutdown`.
pub async fn mount() -> Result<(Router, Shutdown), BoxError> {
    let built: BuiltApp = app()
        .allowed_origins(["https://shop.example.com"])
        .build()
        .await?;
    let shutdown = built.shutdown();
    let io = built.io.clone();
    let api = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route(
            "/online",
            get(move || async move {
                let shop = io.of("/shop").map_or(0, |ns| ns.sockets().len());
                format!("{shop} sockets on /shop")
            }),
        );
    Ok((built.mount(api), shutdown))
}
// ANCHOR_END: mount

// ANCHOR: config
/// Settings: the common ones have a setter; every one is a public field of
/// `GatewayConfig`. `config(...)` replaces them all, so it comes first.
pub fn configured() -> GatewayApp {
    let mut config = GatewayConfig::default();
    config.max_binary_size = 5_000_000;
    config.report_exceptions = true;
    app()
        .config(config)
        .path("/realtime")
        .max_payload(5_000_000)
        .ping_interval(Duration::from_secs(10))
        .ping_timeout(Duration::from_secs(5))
        .allowed_origins(["https://shop.example.com"])
}
// ANCHOR_END: config

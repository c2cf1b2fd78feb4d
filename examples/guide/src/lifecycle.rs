//! The chapter "Lifecycle hooks".

use std::collections::BTreeMap;
use std::sync::Mutex;

use socketioxide_gateway::prelude::*;
use socketioxide_gateway::socketioxide::socket::Sid;

/// Who is in the lobby, by socket.
#[derive(Debug, Default)]
pub struct Lobby(Mutex<BTreeMap<Sid, String>>);

impl Lobby {
    fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<Sid, String>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds a guest.
    pub fn enter(&self, sid: Sid, name: String) {
        self.map().insert(sid, name);
    }

    /// Removes a guest; their name, if they were there.
    pub fn leave(&self, sid: Sid) -> Option<String> {
        self.map().remove(&sid)
    }

    /// The names of everyone in, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<_> = self.map().values().cloned().collect();
        names.sort();
        names
    }
}

// ANCHOR: auth-payload
/// The auth payload clients send with their CONNECT: `io(url, { auth: { nickname } })`.
/// A client that sends none gets the default (`Auth<T>` decodes `{}`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Hello {
    /// What to call the guest.
    pub nickname: Option<String>,
}
// ANCHOR_END: auth-payload

// ANCHOR: hooks
/// Hooks at every stage of a gateway's life.
#[derive(Injectable)]
pub struct LobbyGateway {
    lobby: Arc<Lobby>,
}

#[gateway(namespace = "/lobby")]
impl LobbyGateway {
    /// Once, at startup, before the server takes connections: `SocketIo` and `Inject<T>`
    /// parameters only.
    #[on_init]
    async fn ready(&self, io: SocketIo) {
        tracing::info!(namespaces = io.nsps().len(), "lobby ready");
    }

    /// For each socket that joins `/lobby`, once it is connected: extractors only, with the
    /// CONNECT auth payload as `Auth<T>`.
    #[on_connect]
    async fn entered(&self, socket: SocketRef, Auth(hello): Auth<Hello>) {
        let name = hello
            .nickname
            .unwrap_or_else(|| format!("guest-{}", socket.id));
        self.lobby.enter(socket.id, name.clone());
        socket.emit("welcome", &self.lobby.names()).ok();
        socket.broadcast().emit("entered", &name).await.ok();
    }

    /// For each socket that leaves, whatever the reason; its rooms are still readable.
    #[on_disconnect]
    async fn left(&self, socket: SocketRef, reason: DisconnectReason) {
        if let Some(name) = self.lobby.leave(socket.id) {
            tracing::info!(%name, ?reason, "left the lobby");
            socket.broadcast().emit("left", &name).await.ok();
        }
    }
}
// ANCHOR_END: hooks

/// The app of this chapter.
pub fn app() -> GatewayApp {
    GatewayApp::explicit()
        .link::<LobbyGateway>()
        .provide(Arc::new(Lobby::default()))
}

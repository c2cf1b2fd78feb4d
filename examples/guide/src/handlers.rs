//! The chapter "Handlers and extractors".

use std::sync::Mutex;

use socketioxide_gateway::extract::{FromParts, Parts};
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::socketioxide::adapter::Adapter;

/// Who is behind a socket, stored in its extensions by `login`.
#[derive(Debug, Clone)]
pub struct Session {
    /// The user's name.
    pub user: String,
}

/// Every login, in memory.
#[derive(Debug, Default)]
pub struct AuditLog(Mutex<Vec<String>>);

impl AuditLog {
    /// Records one line.
    pub fn record(&self, line: String) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(line);
    }

    /// The lines so far.
    pub fn lines(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

// ANCHOR: custom-extractor
/// The socket's user, as `login` stored it: an extractor of our own. When there is none,
/// the event is answered `unauthorized` and the handler does not run.
pub struct CurrentUser(pub String);

impl<A: Adapter> FromParts<A> for CurrentUser {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        parts
            .socket()
            .extensions
            .get::<Session>()
            .map(|session| CurrentUser(session.user))
            .ok_or_else(|| WsError::unauthorized("log in first"))
    }
}
// ANCHOR_END: custom-extractor

// ANCHOR: handlers
/// A gateway whose handlers take every kind of parameter.
#[derive(Default)]
pub struct ProfileGateway;

#[gateway(namespace = "/profile")]
impl ProfileGateway {
    /// Extractors first (the socket, the server handle, a provided dependency), then the
    /// payload: the event's first argument, here a string.
    #[subscribe("login")]
    async fn login(
        &self,
        socket: SocketRef,
        io: SocketIo,
        Inject(audit): Inject<Arc<AuditLog>>,
        name: String,
    ) -> String {
        socket.extensions.insert(Session { user: name.clone() });
        audit.record(format!("{name} logged in as {}", socket.id));
        let online = io.of("/profile").map_or(0, |ns| ns.sockets().len());
        format!("welcome {name}; {online} online")
    }

    /// `#[extract]` marks a parameter whose type is an extractor of your own.
    #[subscribe("whoami")]
    async fn whoami(&self, #[extract] user: CurrentUser) -> String {
        user.0
    }

    /// No parameters and no return value: the ack (if asked for) is `data: null`.
    #[subscribe("logout")]
    async fn logout(&self, socket: SocketRef) {
        socket.extensions.remove::<Session>();
    }
}
// ANCHOR_END: handlers

/// The app of this chapter.
pub fn app() -> GatewayApp {
    GatewayApp::explicit()
        .link::<ProfileGateway>()
        .provide(Arc::new(AuditLog::default()))
}

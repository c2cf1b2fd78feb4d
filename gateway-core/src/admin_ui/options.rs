//! [`AdminUi`]: the options of `instrument(io, {...})` in `@socket.io/admin-ui`, with the
//! same defaults.

use std::fmt;

/// How the dashboard logs in.
#[derive(Clone)]
#[non_exhaustive]
pub enum AdminAuth {
    /// A user name and a bcrypt hash of the password (`$2b$10$...`, as the Node package
    /// takes: `bcrypt.hashSync("secret", 10)`, or `htpasswd -nbBC 10 "" secret`).
    Basic {
        /// The user name the dashboard sends.
        username: String,
        /// The bcrypt hash of the password.
        password_hash: String,
    },
    /// No authentication: anyone who reaches the namespace administers the app. Logged as
    /// a warning at startup.
    None,
}

impl AdminAuth {
    /// Basic authentication: `username`, and a bcrypt hash of the password.
    pub fn basic(username: impl Into<String>, password_hash: impl Into<String>) -> Self {
        Self::Basic {
            username: username.into(),
            password_hash: password_hash.into(),
        }
    }
}

impl fmt::Debug for AdminAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password_hash", &"<hidden>")
                .finish(),
            Self::None => f.write_str("None"),
        }
    }
}

/// What the dashboard is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AdminMode {
    /// Every socket, room and event as it happens, and the socket list on login (the Node
    /// package's default outside `NODE_ENV=production`).
    #[default]
    Development,
    /// The server statistics and aggregated counts only: cheaper, and no payload leaves
    /// the server.
    Production,
}

/// The admin namespace the Socket.IO Admin UI connects to
/// ([`GatewayApp::admin_ui`](crate::GatewayApp::admin_ui)).
#[derive(Debug, Clone)]
pub struct AdminUi {
    pub(crate) namespace: String,
    pub(crate) auth: AdminAuth,
    pub(crate) read_only: bool,
    pub(crate) server_id: Option<String>,
    pub(crate) mode: AdminMode,
}

impl AdminUi {
    /// The admin UI with this authentication; the namespace is `/admin`, actions are
    /// allowed, the server id is the host name, the mode is development.
    pub fn new(auth: AdminAuth) -> Self {
        Self {
            namespace: "/admin".to_owned(),
            auth,
            read_only: false,
            server_id: None,
            mode: AdminMode::default(),
        }
    }

    /// The admin namespace (default `/admin`).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// Read-only: the dashboard watches but cannot emit, join, leave or disconnect.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// This node's id in the dashboard (default: the host name).
    pub fn server_id(mut self, server_id: impl Into<String>) -> Self {
        self.server_id = Some(server_id.into());
        self
    }

    /// Development (every event) or production (aggregated counts only).
    pub fn mode(mut self, mode: AdminMode) -> Self {
        self.mode = mode;
        self
    }
}

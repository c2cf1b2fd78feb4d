//! The authenticated gateway of the NestJS guides, ported: a JSON Web Token in the
//! handshake `auth` payload, checked before the client is told it is connected; the
//! user's `user:{id}` room joined on connect; events guarded by role; room joins limited to
//! the user's own rooms.
//!
//! Run with: `cargo run -p example-auth` (127.0.0.1:3000; `PORT`, `JWT_SECRET`).
//!
//! ```text
//! POST /token {"sub": "ada", "roles": ["admin"], "teams": ["core"]}  ->  {"token": "..."}
//! io("http://127.0.0.1:3000/notifications", { auth: { token } })
//! ```
//! `POST /token` signs whatever it is given: it stands in for your login, to get a test
//! token. Never ship it.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Json, Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use socketioxide_gateway::auth::{JwtGuard, JwtKeys};
use socketioxide_gateway::prelude::*;

// ANCHOR: claims
/// What the token says about its holder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserClaims {
    /// The user id.
    pub sub: String,
    /// Roles, e.g. `admin`.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Teams whose `team:{name}` rooms the user may join.
    #[serde(default)]
    pub teams: Vec<String>,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
}
// ANCHOR_END: claims

// ANCHOR: role-guard
/// An event guard: the token must carry `role`.
pub struct RequireRole(pub &'static str);

impl Guard for RequireRole {
    async fn check_event(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        let claims = cx
            .extensions()
            .get::<Claims<UserClaims>>()
            .ok_or_else(|| WsError::unauthorized("not authenticated"))?;
        if claims.roles.iter().any(|role| role == self.0) {
            Ok(())
        } else {
            Err(WsError::forbidden(format!(
                "requires the `{}` role",
                self.0
            )))
        }
    }
}
// ANCHOR_END: role-guard

// ANCHOR: gateway
/// `/notifications`: every connection carries a valid token.
#[derive(Default)]
pub struct NotificationsGateway;

#[gateway(namespace = "/notifications")]
#[guard(JwtGuard::<UserClaims>::new())]
impl NotificationsGateway {
    /// The guard already verified the token: join the user's own room.
    #[on_connect]
    async fn connected(&self, socket: SocketRef, claims: Claims<UserClaims>) {
        socket.join(format!("user:{}", claims.sub));
        socket
            .emit("welcome", &serde_json::json!({ "sub": claims.sub }))
            .ok();
    }

    #[subscribe("whoami")]
    async fn whoami(&self, claims: Claims<UserClaims>) -> UserClaims {
        (*claims).clone()
    }

    /// Room authorization: your `user:` room and your teams' rooms, nothing else.
    #[subscribe("join")]
    async fn join(
        &self,
        socket: SocketRef,
        claims: Claims<UserClaims>,
        room: String,
    ) -> Result<String, WsError> {
        let allowed = room == format!("user:{}", claims.sub)
            || room
                .strip_prefix("team:")
                .is_some_and(|team| claims.teams.iter().any(|t| t == team));
        if !allowed {
            return Err(WsError::forbidden(format!("you may not join `{room}`")));
        }
        socket.join(room.clone());
        Ok(room)
    }

    #[subscribe("admin:announce")]
    #[guard(RequireRole("admin"))]
    async fn announce(&self, io: SocketIo, text: String) -> Result<(), WsError> {
        let ns = io.of("/notifications").ok_or_else(WsError::internal)?;
        ns.emit("announcement", &text)
            .await
            .map_err(|_| WsError::internal())?;
        Ok(())
    }
}
// ANCHOR_END: gateway

/// Signs claims with the HS256 secret.
pub fn issue_token(secret: &str, claims: &UserClaims) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap_or_default()
}

/// `POST /token` body.
#[derive(Debug, Deserialize)]
struct TokenRequest {
    sub: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    teams: Vec<String>,
    #[serde(default = "default_ttl")]
    ttl_secs: u64,
}

fn default_ttl() -> u64 {
    3600
}

async fn token(
    State(secret): State<Arc<str>>,
    Json(req): Json<TokenRequest>,
) -> Json<serde_json::Value> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let claims = UserClaims {
        sub: req.sub,
        roles: req.roles,
        teams: req.teams,
        exp: now + req.ttl_secs,
    };
    Json(serde_json::json!({ "token": issue_token(&secret, &claims) }))
}

async fn notify(
    State(io): State<SocketIo>,
    Path(user): Path<String>,
    Json(body): Json<serde_json::Value>,
) -> StatusCode {
    match io.of("/notifications") {
        Some(ns) => match ns
            .to(format!("user:{user}"))
            .emit("notification", &body)
            .await
        {
            Ok(()) => StatusCode::ACCEPTED,
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
        },
        None => StatusCode::SERVICE_UNAVAILABLE,
    }
}

// ANCHOR: app
/// The app: the JWT keys as a provider, the token endpoint and a notify route next to
/// Socket.IO.
pub fn app(secret: &str) -> GatewayApp {
    let secret: Arc<str> = Arc::from(secret);
    GatewayApp::new()
        .provide(JwtKeys::hs256(secret.as_bytes()))
        .routes(move |io| {
            Router::new()
                .route("/token", post(token).with_state(secret))
                .route("/notify/{user}", post(notify).with_state(io))
        })
}
// ANCHOR_END: app

//! Several nodes, one chat: a gateway whose rooms, broadcasts and room counts span every
//! node that shares a Redis, with Prometheus metrics and graceful shutdown.
//!
//! Run two nodes and nginx in front (see `deploy/nginx/nginx.conf` and the book's
//! "Scaling and deployment" chapter): `cargo run -p example-cluster` starts nodes `a` on
//! 127.0.0.1:3001 and `b` on 127.0.0.1:3002, sharing `redis://127.0.0.1:6379`
//! (`GATEWAY_REDIS_URL` changes it).
//!
//! | client → server (`/cluster`) | payload | ack |
//! |---|---|---|
//! | `whoami` | – | this node's name |
//! | `join` / `leave` | room name | `{"room", "node"}` |
//! | `broadcast` | `{room, text}` | `true` once sent to every node |
//! | `room-size` | room name | sockets in the room, all nodes together |
//! | `move-room` | `{from, to}` | `true`: every socket in `from`, on any node, joins `to` |
//! | `work` | milliseconds (≤ 30 000) | the same number, after that long |
//!
//! Server → client: `message` (`{room, text, node}`), to the room.
//!
//! HTTP: `GET /node`, `POST /rooms/{room}/messages` (`{"text"}`), `GET /rooms/{room}/size`,
//! `GET /metrics` (Prometheus).

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use socketioxide_gateway::DefaultAdapter;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::socketioxide::operators::BroadcastOperators;

/// The namespace of this example.
pub const NAMESPACE: &str = "/cluster";

/// This node's name, shown in acks and messages so clients (and tests) see which node
/// served them.
#[derive(Debug, Clone)]
pub struct NodeName(pub Arc<str>);

// ANCHOR: payloads
/// `broadcast`'s payload.
#[derive(Debug, Deserialize, Validate)]
pub struct Broadcast {
    /// The room, on every node.
    #[validate(length(min = 1, max = 128))]
    pub room: String,
    /// The text.
    #[validate(length(max = 2000))]
    pub text: String,
}

/// `move-room`'s payload.
#[derive(Debug, Deserialize, Validate)]
pub struct MoveRoom {
    /// Every socket in this room, on any node...
    #[validate(length(min = 1, max = 128))]
    pub from: String,
    /// ...joins this one.
    #[validate(length(min = 1, max = 128))]
    pub to: String,
}

/// The `message` event.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// The room it was sent to.
    pub room: String,
    /// The text.
    pub text: String,
    /// The node that sent it.
    pub node: String,
}
// ANCHOR_END: payloads

/// The ack of `join` and `leave`.
#[derive(Debug, Serialize)]
pub struct Membership {
    /// The room.
    pub room: String,
    /// The node holding the socket.
    pub node: String,
}

/// The gateway: the same code on every node.
#[derive(Injectable)]
pub struct ClusterGateway {
    node: NodeName,
}

/// A room name from a client: 1 to 128 characters.
fn room_name(room: String) -> Result<String, WsError> {
    if room.is_empty() || room.chars().count() > 128 {
        return Err(WsError::bad_payload("a room name has 1 to 128 characters"));
    }
    Ok(room)
}

// ANCHOR: gateway
#[gateway(namespace = "/cluster")]
impl ClusterGateway {
    /// The node this socket is connected to.
    #[subscribe("whoami")]
    async fn whoami(&self) -> String {
        self.node.0.to_string()
    }

    /// Joins a room. `socket.join` is local and instant; broadcasts from any node still
    /// reach the socket, because every node delivers to its own members of the room.
    #[subscribe("join")]
    async fn join(&self, socket: SocketRef, room: String) -> Result<Membership, WsError> {
        let room = room_name(room)?;
        socket.join(room.clone());
        Ok(Membership {
            room,
            node: self.node.0.to_string(),
        })
    }

    /// Leaves a room.
    #[subscribe("leave")]
    async fn leave(&self, socket: SocketRef, room: String) -> Result<Membership, WsError> {
        let room = room_name(room)?;
        socket.leave(room.clone());
        Ok(Membership {
            room,
            node: self.node.0.to_string(),
        })
    }

    /// Sends `message` to the room on every node (the sender too, if a member).
    #[subscribe("broadcast")]
    async fn broadcast(
        &self,
        socket: SocketRef,
        Valid(msg): Valid<Broadcast>,
    ) -> Result<bool, WsError> {
        let room = socket.within(msg.room.clone());
        send(room, &self.node, msg.room, msg.text).await?;
        Ok(true)
    }

    /// Counts the room's sockets on every node.
    #[subscribe("room-size")]
    async fn room_size(&self, socket: SocketRef, room: String) -> Result<usize, WsError> {
        size(socket.within(room_name(room)?)).await
    }

    /// Makes every socket of `from`, on every node, join `to`.
    #[subscribe("move-room")]
    async fn move_room(
        &self,
        socket: SocketRef,
        Valid(m): Valid<MoveRoom>,
    ) -> Result<bool, WsError> {
        socket.within(m.from).join(m.to).await.map_err(|err| {
            tracing::warn!(%err, "move-room failed");
            WsError::internal()
        })?;
        Ok(true)
    }

    /// A slow handler (graceful-shutdown demos and tests): acks after `ms` milliseconds.
    #[subscribe("work")]
    async fn work(&self, ms: u64) -> u64 {
        tokio::time::sleep(Duration::from_millis(ms.min(30_000))).await;
        ms
    }
}
// ANCHOR_END: gateway

/// Emits `message` to `room` (operators already targeting it), on every node.
async fn send(
    room: BroadcastOperators<DefaultAdapter>,
    node: &NodeName,
    name: String,
    text: String,
) -> Result<(), WsError> {
    let message = Message {
        room: name,
        text,
        node: node.0.to_string(),
    };
    room.emit("message", &message).await.map_err(|err| {
        tracing::warn!(%err, "broadcast failed");
        WsError::internal()
    })
}

/// The sockets `room` (operators already targeting it) holds on every node.
async fn size(room: BroadcastOperators<DefaultAdapter>) -> Result<usize, WsError> {
    match room.fetch_sockets().await {
        Ok(sockets) => Ok(sockets.len()),
        Err(err) => {
            tracing::warn!(%err, "fetch_sockets failed");
            Err(WsError::internal())
        }
    }
}

/// `POST /rooms/{room}/messages`'s body.
#[derive(Debug, Deserialize)]
pub struct PostMessage {
    /// The text.
    pub text: String,
}

#[derive(Clone)]
struct Http {
    io: SocketIo,
    node: NodeName,
}

impl Http {
    /// Operators on a room of this example's namespace (`io.to` alone means `/`).
    fn room(&self, room: &str) -> Result<BroadcastOperators<DefaultAdapter>, StatusCode> {
        let ns = self
            .io
            .of(NAMESPACE)
            .ok_or(StatusCode::SERVICE_UNAVAILABLE)?;
        Ok(ns.within(room.to_owned()))
    }
}

// ANCHOR: routes
async fn post_message(
    State(http): State<Http>,
    Path(room): Path<String>,
    Json(body): Json<PostMessage>,
) -> StatusCode {
    let Ok(target) = http.room(&room) else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    match send(target, &http.node, room, body.text).await {
        Ok(()) => StatusCode::ACCEPTED,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

async fn room_size(
    State(http): State<Http>,
    Path(room): Path<String>,
) -> Result<String, StatusCode> {
    size(http.room(&room)?)
        .await
        .map(|n| n.to_string())
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)
}
// ANCHOR_END: routes

// ANCHOR: app
/// One node. Redis comes from `GATEWAY_REDIS_URL` (in memory when unset).
pub fn app(node: &str) -> GatewayApp {
    let node = NodeName(node.into());
    GatewayApp::new()
        .provide(node.clone())
        .metrics("/metrics")
        .shutdown_timeout(Duration::from_secs(10))
        .routes(move |io| {
            let name = node.0.to_string();
            Router::new()
                .route("/node", get(move || async move { name }))
                .route("/rooms/{room}/messages", post(post_message))
                .route("/rooms/{room}/size", get(room_size))
                .with_state(Http { io, node })
        })
}
// ANCHOR_END: app

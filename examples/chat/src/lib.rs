//! The project chat (book/src/quick-start.md), written as a gateway: user rooms for notifications, chat
//! rooms per project, validated messages stored in memory and broadcast to the room,
//! typing indicators to the others in the room, presence, and an HTTP route that sends a
//! notification to one user. A page at `/` is a small chat client in the browser.
//!
//! Run with: `cargo run -p example-chat`, then open <http://127.0.0.1:3000> (`PORT` changes
//! the port; `SOCKET_IO_CLIENT_DIR` serves the page's Socket.IO client from a directory
//! instead of the CDN, see [`ClientBundle`]).
//!
//! | client → server | payload | ack |
//! |---|---|---|
//! | `join-user-room` | `userId` | `{"room": "user:<id>"}` |
//! | `join-chat-room` | `projectId` | `{"room": "group:<id>"}` |
//! | `leave-chat-room` | `projectId` | `{"room": "group:<id>"}` |
//! | `send-message` | `{projectId, senderId, content}` | the saved `Message` |
//! | `get-messages` | `projectId` | the room's last 50 messages |
//! | `typing` | `{projectId, userId, userName}` | – |
//! | `stop-typing` | `{projectId, userId}` | – |
//!
//! Server → client: `new-message` (`Message`, to the room), `user-typing` and
//! `user-stopped-typing` (to the others in the room), `online-users` (sorted user ids, to
//! everyone on `/chat`), `notification` (to `user:<id>`, from `POST /notify/{user}`).
//!
//! The same contract, generated from this file, is committed as TypeScript
//! (`contracts/events.ts`) and AsyncAPI (`contracts/asyncapi.yaml`); regenerate both with
//! `cargo run -p example-chat -- --export-contracts examples/chat/contracts`.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use socketioxide_gateway::contract::ContractInfo;
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::socketioxide::socket::Sid;
use validator::{ValidationError, ValidationErrors};

pub mod web;

pub use web::ClientBundle;

// ANCHOR: payloads
/// `send-message`'s payload, validated before the handler runs.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendMessage {
    /// The project whose chat room receives the message.
    #[validate(length(min = 1, max = 64))]
    pub project_id: String,
    /// Who sends it.
    #[validate(length(min = 1, max = 64))]
    pub sender_id: String,
    /// The text, 1 to 2000 characters.
    #[validate(length(min = 1, max = 2000))]
    pub content: String,
}

/// A saved message: the ack of `send-message` and the payload of `new-message`.
#[derive(Debug, Clone, Serialize, JsonSchema, ServerEvent)]
#[event("new-message")]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// Assigned by the store, increasing from 1.
    pub id: u64,
    /// The project.
    pub project_id: String,
    /// The sender.
    pub sender_id: String,
    /// The text.
    pub content: String,
    /// Milliseconds since the Unix epoch.
    pub sent_at: u64,
}
// ANCHOR_END: payloads

/// `typing`'s payload.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Typing {
    /// The project whose chat room receives the message.
    #[validate(length(min = 1, max = 64))]
    pub project_id: String,
    /// Who is typing.
    #[validate(length(min = 1, max = 64))]
    pub user_id: String,
    /// Their display name, if any.
    #[validate(length(max = 128))]
    pub user_name: Option<String>,
}

/// A user or project id sent as a bare string (`socket.emit("join-chat-room", "p1")`):
/// 1 to 64 letters, digits, `-`, `_` or `.`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Id(#[schemars(length(min = 1, max = 64))] pub String);

impl Validate for Id {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let ok = (1..=64).contains(&self.0.chars().count())
            && self
                .0
                .chars()
                .all(|c| c.is_alphanumeric() || "-_.".contains(c));
        if ok {
            return Ok(());
        }
        let mut errors = ValidationErrors::new();
        errors.add(
            "id",
            ValidationError::new("id")
                .with_message("1 to 64 letters, digits, `-`, `_` or `.`".into()),
        );
        Err(errors)
    }
}

/// `{"room": "..."}`, the ack of the join/leave events.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RoomAck {
    /// The room joined or left.
    pub room: String,
}

// ANCHOR: server-events
/// Someone in the room started typing (sent to the others in the room).
#[derive(Debug, Serialize, JsonSchema, ServerEvent)]
#[event("user-typing")]
#[serde(rename_all = "camelCase")]
pub struct UserTyping {
    /// Who is typing.
    pub user_id: String,
    /// Their display name, if they gave one.
    pub user_name: Option<String>,
}

/// Someone in the room stopped typing (sent to the others in the room).
#[derive(Debug, Serialize, JsonSchema, ServerEvent)]
#[event("user-stopped-typing")]
#[serde(rename_all = "camelCase")]
pub struct UserStoppedTyping {
    /// Who stopped.
    pub user_id: String,
}

/// The user ids online on `/chat`, sorted (sent to everyone when it changes).
#[derive(Debug, Serialize, JsonSchema, ServerEvent)]
#[event("online-users")]
#[serde(transparent)]
pub struct OnlineUsers(pub Vec<String>);

/// A notification for one user, posted to `POST /notify/{user}` (any JSON).
#[derive(Debug, Serialize, JsonSchema, ServerEvent)]
#[event("notification")]
#[serde(transparent)]
pub struct Notification(pub serde_json::Value);
// ANCHOR_END: server-events

// ANCHOR: errors
/// The chat's own errors, each with a stable code of its own.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// The socket sent to a room it has not joined.
    #[error("join `{0}` before sending to it")]
    NotInRoom(String),
}

impl AppError for ChatError {
    const CODES: &'static [&'static str] = &["not_in_room"];

    fn code(&self) -> &'static str {
        match self {
            ChatError::NotInRoom(_) => "not_in_room",
        }
    }
}
// ANCHOR_END: errors

/// Messages, in memory.
#[derive(Debug, Default)]
pub struct MessageStore {
    next_id: AtomicU64,
    messages: Mutex<Vec<Message>>,
}

impl MessageStore {
    /// Saves a message and returns it with its id and timestamp.
    pub fn save(&self, msg: SendMessage) -> Message {
        let sent_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let message = Message {
            id: self.next_id.fetch_add(1, Ordering::Relaxed) + 1,
            project_id: msg.project_id,
            sender_id: msg.sender_id,
            content: msg.content,
            sent_at,
        };
        lock(&self.messages).push(message.clone());
        message
    }

    /// The last `n` messages of a project, oldest first.
    pub fn recent(&self, project_id: &str, n: usize) -> Vec<Message> {
        let messages = lock(&self.messages);
        let mut recent: Vec<_> = messages
            .iter()
            .rev()
            .filter(|m| m.project_id == project_id)
            .take(n)
            .cloned()
            .collect();
        recent.reverse();
        recent
    }
}

/// Who is online: the user id each socket announced with `join-user-room`.
#[derive(Debug, Default)]
pub struct Presence {
    users: Mutex<HashMap<Sid, String>>,
}

impl Presence {
    fn set(&self, sid: Sid, user: String) -> Vec<String> {
        let mut users = lock(&self.users);
        users.insert(sid, user);
        Self::online(&users)
    }

    fn remove(&self, sid: Sid) -> Option<Vec<String>> {
        let mut users = lock(&self.users);
        users.remove(&sid).map(|_| Self::online(&users))
    }

    fn online(users: &HashMap<Sid, String>) -> Vec<String> {
        users
            .values()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; keep serving it.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

// ANCHOR: interceptor
/// Logs every chat event with its outcome and latency, without touching the handlers.
pub struct EventLog;

impl socketioxide_gateway::Interceptor for EventLog {
    fn after(
        &self,
        event: &socketioxide_gateway::intercept::EventInfo<'_>,
        outcome: &socketioxide_gateway::intercept::Outcome<'_>,
    ) {
        match outcome.result {
            Ok(()) => {
                tracing::debug!(event = event.event, sid = %event.sid, elapsed = ?outcome.elapsed, "handled")
            }
            Err(err) => {
                tracing::info!(event = event.event, sid = %event.sid, code = err.code(), elapsed = ?outcome.elapsed, "refused")
            }
        }
    }
}
// ANCHOR_END: interceptor

// ANCHOR: gateway
/// The chat gateway: a plain struct whose fields are its dependencies, built at startup
/// from the app's providers.
#[derive(Injectable)]
pub struct ChatGateway {
    store: Arc<MessageStore>,
    presence: Arc<Presence>,
}

// ANCHOR: emits
#[gateway(
    namespace = "/chat",
    emits(Message, UserTyping, UserStoppedTyping, OnlineUsers, Notification)
)]
// ANCHOR_END: emits
#[intercept(EventLog)]
impl ChatGateway {
    /// Joins `user:<id>` (where notifications arrive) and announces the user as online.
    #[subscribe("join-user-room")]
    async fn join_user_room(
        &self,
        socket: SocketRef,
        io: SocketIo,
        Valid(user): Valid<Id>,
    ) -> RoomAck {
        let room = format!("user:{}", user.0);
        socket.join(room.clone());
        let online = OnlineUsers(self.presence.set(socket.id, user.0));
        if let Some(chat) = io.of("/chat") {
            chat.emit_event(&online).await.ok();
        }
        RoomAck { room }
    }

    /// Joins a project's chat room, `group:<id>`.
    #[subscribe("join-chat-room")]
    async fn join_chat_room(&self, socket: SocketRef, Valid(project): Valid<Id>) -> RoomAck {
        let room = format!("group:{}", project.0);
        socket.join(room.clone());
        RoomAck { room }
    }

    /// Leaves a project's chat room.
    #[subscribe("leave-chat-room")]
    async fn leave_chat_room(&self, socket: SocketRef, Valid(project): Valid<Id>) -> RoomAck {
        let room = format!("group:{}", project.0);
        socket.leave(room.clone());
        RoomAck { room }
    }

    // ANCHOR: send-message
    /// Saved, broadcast to the room (sender included), and acked with the saved message.
    /// `#[ordered]`: one sender's messages are saved and broadcast in the order they were
    /// sent; `#[throttle]`: at most 20 a second per socket, bursts of 20.
    #[subscribe("send-message")]
    #[ordered]
    #[throttle(limit = 20, per = "1s")]
    async fn send_message(
        &self,
        socket: SocketRef,
        Valid(msg): Valid<SendMessage>,
    ) -> Result<Message, ChatError> {
        let room = format!("group:{}", msg.project_id);
        if !socket.rooms().iter().any(|r| *r == room) {
            return Err(ChatError::NotInRoom(room));
        }
        let message = self.store.save(msg);
        socket.within(room).emit_event(&message).await.ok();
        Ok(message)
    }
    // ANCHOR_END: send-message

    /// The project's last 50 messages, oldest first.
    #[subscribe("get-messages")]
    async fn get_messages(&self, Valid(project): Valid<Id>) -> Vec<Message> {
        self.store.recent(&project.0, 50)
    }

    /// To the others in the room only; a client may not send more than 10 a second.
    #[subscribe("typing")]
    #[throttle(limit = 10, per = "1s")]
    async fn typing(&self, socket: SocketRef, Valid(t): Valid<Typing>) {
        let event = UserTyping {
            user_id: t.user_id,
            user_name: t.user_name,
        };
        socket
            .to(format!("group:{}", t.project_id))
            .emit_event(&event)
            .await
            .ok();
    }

    /// To the others in the room only.
    #[subscribe("stop-typing")]
    async fn stop_typing(&self, socket: SocketRef, Valid(t): Valid<Typing>) {
        let event = UserStoppedTyping { user_id: t.user_id };
        socket
            .to(format!("group:{}", t.project_id))
            .emit_event(&event)
            .await
            .ok();
    }

    #[on_disconnect]
    async fn left(&self, socket: SocketRef, io: SocketIo) {
        if let Some(online) = self.presence.remove(socket.id)
            && let Some(chat) = io.of("/chat")
        {
            chat.emit_event(&OnlineUsers(online)).await.ok();
        }
    }
}
// ANCHOR_END: gateway

// ANCHOR: http
/// `POST /notify/{user}` with any JSON body: emitted as `notification` to `user:{user}`.
/// Answers `202 {"delivered": <sockets in the room>}`.
async fn notify(
    State(io): State<SocketIo>,
    Path(user): Path<String>,
    Json(body): Json<serde_json::Value>,
) -> Result<(StatusCode, Json<serde_json::Value>), StatusCode> {
    let room = format!("user:{user}");
    let of = |room: String| io.of("/chat").map(|chat| chat.to(room));
    let delivered = of(room.clone()).map_or(0, |to| to.sockets().len());
    of(room)
        .ok_or(StatusCode::SERVICE_UNAVAILABLE)?
        .emit_event(&Notification(body))
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({ "delivered": delivered })),
    ))
}
// ANCHOR_END: http

/// Title, version and server of the exported contracts (`--export-contracts DIR`).
pub fn contract_info() -> ContractInfo {
    ContractInfo {
        title: "Project chat".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        host: "localhost:3000".to_owned(),
        path: "/socket.io".to_owned(),
    }
}

// ANCHOR: app
/// The chat app, its page's Socket.IO client from `SOCKET_IO_CLIENT_DIR` or the CDN.
pub fn app() -> GatewayApp {
    app_with(ClientBundle::from_env())
}

/// The chat app: its gateway named explicitly, dependencies provided by type, and HTTP
/// routes next to Socket.IO (the notification route, the page and its client bundle).
pub fn app_with(client: ClientBundle) -> GatewayApp {
    GatewayApp::explicit()
        .link::<ChatGateway>()
        .contract_info(contract_info())
        .provide(Arc::new(MessageStore::default()))
        .provide(Arc::new(Presence::default()))
        .routes(move |io| {
            Router::new()
                .route("/notify/{user}", post(notify))
                .merge(web::routes(client))
                .with_state(io)
        })
}
// ANCHOR_END: app

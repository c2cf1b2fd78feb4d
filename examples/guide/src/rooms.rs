//! The chapter "Rooms and emitting".

use std::time::Duration;

use socketioxide_gateway::prelude::*;
use socketioxide_gateway::socketioxide::BroadcastError;
use socketioxide_gateway::socketioxide::socket::Sid;

/// The ack of `join-room`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Joined {
    /// The room joined.
    pub room: String,
    /// How many sockets are in it now, this one included.
    pub members: usize,
}

/// `say`'s payload.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub struct Say {
    /// The room to speak in.
    #[validate(length(min = 1, max = 64))]
    pub room: String,
    /// What to say.
    #[validate(length(min = 1, max = 500))]
    pub text: String,
}

// ANCHOR: rooms
/// Rooms: join, leave, count, and every way to emit.
#[derive(Default)]
pub struct RoomsGateway;

#[gateway(namespace = "/rooms")]
impl RoomsGateway {
    /// Joins a room, tells the others in it, and counts its members.
    #[subscribe("join-room")]
    async fn join(&self, socket: SocketRef, room: String) -> Result<Joined, WsError> {
        socket.join(room.clone());
        socket
            .to(room.clone())
            .emit("user-joined", &socket.id.to_string())
            .await
            .ok();
        let members = socket
            .within(room.clone())
            .fetch_sockets()
            .await
            .map_err(|_| WsError::internal())?
            .len();
        Ok(Joined { room, members })
    }

    /// Leaves a room and tells the others.
    #[subscribe("leave-room")]
    async fn leave(&self, socket: SocketRef, room: String) {
        socket.leave(room.clone());
        socket
            .to(room)
            .emit("user-left", &socket.id.to_string())
            .await
            .ok();
    }

    /// The rooms this socket is in. (Unlike Node's socket.io, socketioxide does not put a
    /// socket in a room named after its id.)
    #[subscribe("my-rooms")]
    async fn my_rooms(&self, socket: SocketRef) -> Vec<String> {
        let mut rooms: Vec<String> = socket.rooms().into_iter().map(String::from).collect();
        rooms.sort();
        rooms
    }

    // ANCHOR: emits
    /// Says something in a room, to everyone in it including the sender.
    #[subscribe("say")]
    async fn say(&self, socket: SocketRef, Valid(say): Valid<Say>) -> Result<(), WsError> {
        if !socket.rooms().iter().any(|room| *room == say.room) {
            return Err(WsError::forbidden("join the room first"));
        }
        socket
            .within(say.room)
            .emit("said", &say.text)
            .await
            .map_err(|_| WsError::internal())
    }
    // ANCHOR_END: emits
}
// ANCHOR_END: rooms

// ANCHOR: service
/// A service that emits from outside any handler (a job, a webhook, another service): it
/// holds the `SocketIo` handle, which is cheap to clone.
#[derive(Clone)]
pub struct Notifier {
    io: SocketIo,
}

impl Notifier {
    /// A notifier on this server.
    pub fn new(io: SocketIo) -> Self {
        Self { io }
    }

    /// Emits `notification` to everyone in `room` on `/rooms`.
    pub async fn notify(&self, room: &str, text: &str) -> Result<(), BroadcastError> {
        match self.io.of("/rooms") {
            Some(rooms) => rooms.to(room.to_owned()).emit("notification", text).await,
            None => Ok(()),
        }
    }

    // ANCHOR: ask
    /// Asks one socket a question and waits up to 2 s for its answer: a server-to-client
    /// emit with an ack. `None` if the socket is gone or did not answer in time.
    pub async fn ask(&self, sid: Sid, question: &str) -> Option<String> {
        let socket = self.io.of("/rooms")?.get_socket(sid)?;
        let answer = socket
            .timeout(Duration::from_secs(2))
            .emit_with_ack::<_, String>("question", question)
            .ok()?;
        answer.await.ok()
    }
    // ANCHOR_END: ask
}
// ANCHOR_END: service

/// The app of this chapter.
pub fn app() -> GatewayApp {
    GatewayApp::explicit().link::<RoomsGateway>()
}

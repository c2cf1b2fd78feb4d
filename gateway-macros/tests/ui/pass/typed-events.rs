#![deny(unused_qualifications, unused_imports, clippy::all, clippy::pedantic, missing_docs)]
//! Typed server events, `emits(...)`, schemas and `Result` aliases compile without lints.

use socketioxide_gateway::prelude::*;

/// A message.
#[derive(Serialize, Deserialize, JsonSchema, ServerEvent)]
#[event("new-message")]
pub struct Message {
    /// Its text.
    pub text: String,
}

/// No schema: still a valid payload; the contracts call it `unknown`.
#[derive(Deserialize)]
pub struct Opaque {
    /// Anything.
    pub value: serde_json::Value,
}

/// An error with codes.
#[derive(Debug, thiserror::Error)]
#[error("nope")]
pub struct Nope;

impl AppError for Nope {
    const CODES: &'static [&'static str] = &["nope"];

    fn code(&self) -> &'static str {
        "nope"
    }
}

/// An alias, as apps write them.
pub type ChatResult<T> = Result<T, Nope>;

/// A gateway.
#[derive(Default)]
pub struct Typed;

#[gateway(namespace = "/typed", emits(Message))]
impl Typed {
    /// Echoes to the room and acks.
    #[subscribe("say")]
    async fn say(&self, socket: SocketRef, msg: Message) -> ChatResult<Message> {
        socket.emit_event(&msg).ok();
        socket.to("room").emit_event(&msg).await.ok();
        Ok(msg)
    }

    /// Takes a type without a schema.
    #[subscribe("opaque")]
    async fn opaque(&self, io: SocketIo, value: Opaque) -> Result<(), Nope> {
        let _ = value.value;
        io.emit_event(&Message { text: String::new() }).await.ok();
        Ok(())
    }
}

fn main() {
    let contracts = GatewayApp::explicit().link::<Typed>().contracts();
    assert_eq!(contracts.namespaces["/typed"].client_events["say"].error_codes, ["nope"]);
    assert_eq!(contracts.untyped().len(), 1);
}

//! The app's gateways, payloads and server events. `main.rs` serves them; `tests/` drives
//! them with a real client over a real socket.

use socketioxide_gateway::prelude::*;

/// What a client sends with `say`: checked before the handler runs; an invalid one is
/// answered `{"ok": false, "error": {"code": "validation_failed", ...}}`.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub struct Say {
    /// The message, 1 to 500 characters.
    #[validate(length(min = 1, max = 500))]
    pub text: String,
}

/// Sent to the other clients of the namespace when someone says something.
#[derive(Debug, Serialize, ServerEvent, JsonSchema)]
#[event("said")]
pub struct Said {
    /// The socket id of the speaker.
    pub from: String,
    /// What they said.
    pub text: String,
}

/// The `/echo` namespace. `Default` is enough for the app to build it; a gateway that needs
/// services takes them from providers instead (the book's "Dependencies and providers").
#[derive(Default)]
pub struct EchoGateway;

#[gateway(namespace = "/echo", emits(Said))]
impl EchoGateway {
    /// `socket.emitWithAck("say", {text: "hi"})` acks `{"ok": true, "data": "you said hi"}`
    /// and the other clients get `said`.
    #[subscribe("say")]
    async fn say(&self, socket: SocketRef, Valid(msg): Valid<Say>) -> String {
        let said = Said {
            from: socket.id.to_string(),
            text: msg.text.clone(),
        };
        socket.broadcast().emit_event(&said).await.ok();
        format!("you said {}", msg.text)
    }
}

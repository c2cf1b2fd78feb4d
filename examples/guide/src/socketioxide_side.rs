//! The chapter "Coming from socketioxide": the same echo namespace, by hand and as a
//! gateway.

use socketioxide_gateway::prelude::*;
use socketioxide_gateway::socketioxide::extract::{AckSender, Data, SocketRef as RawSocketRef};
use socketioxide_gateway::socketioxide::layer::SocketIoLayer;

// ANCHOR: by-hand
/// socketioxide by hand: handlers registered on each connection, the ack sent explicitly,
/// and a payload that does not decode silently skips the handler (no ack at all).
pub fn by_hand() -> SocketIoLayer {
    let (layer, io) = socketioxide_gateway::socketioxide::SocketIo::new_layer();
    io.ns("/echo", async |socket: RawSocketRef| {
        socket.on(
            "say",
            async |socket: RawSocketRef, Data(text): Data<String>, ack: AckSender| {
                socket.broadcast().emit("said", &text).await.ok();
                ack.send(&format!("you said {text}")).ok();
            },
        );
    });
    layer
}
// ANCHOR_END: by-hand

// ANCHOR: gateway
/// The same as a gateway: registered before the client is told it is connected, every ack
/// sent by the framework (`{"ok": true, "data": ...}`, or `bad_payload`), and a panic
/// answered `internal`.
#[derive(Default)]
pub struct EchoGateway;

#[gateway(namespace = "/echo")]
impl EchoGateway {
    #[subscribe("say")]
    async fn say(&self, socket: SocketRef, text: String) -> String {
        socket.broadcast().emit("said", &text).await.ok();
        format!("you said {text}")
    }
}
// ANCHOR_END: gateway

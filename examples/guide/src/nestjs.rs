//! The chapter "Coming from NestJS": the gateways of the NestJS guides, ported.

use socketioxide_gateway::prelude::*;

// ANCHOR: events-gateway
/// NestJS's `EventsGateway`: `@SubscribeMessage('message')` with `@MessageBody()` and
/// `@ConnectedSocket()`, broadcasting through `@WebSocketServer()`, the return value acked.
#[derive(Default)]
pub struct EventsGateway;

#[gateway(namespace = "/events")]
impl EventsGateway {
    #[subscribe("message")]
    async fn handle_message(&self, socket: SocketRef, io: SocketIo, data: String) -> String {
        tracing::debug!(client = %socket.id, "message");
        if let Some(events) = io.of("/events") {
            events.emit("message", &data).await.ok(); // this.server.emit('message', data)
        }
        "Message received".to_owned()
    }
}
// ANCHOR_END: events-gateway

// ANCHOR: chat-gateway
/// `@SubscribeMessage('send-message') @UsePipes(new ValidationPipe())` with a DTO.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub struct SendMessageDto {
    /// The room.
    #[validate(length(min = 1, max = 64))]
    pub room: String,
    /// The text.
    #[validate(length(min = 1, max = 1000))]
    pub message: String,
}

/// NestJS's `ChatGateway` with its lifecycle interfaces (`OnGatewayInit`,
/// `OnGatewayConnection`, `OnGatewayDisconnect`).
#[derive(Default)]
pub struct ChatGateway;

#[gateway(namespace = "/nest-chat")]
impl ChatGateway {
    #[on_init] // afterInit(server)
    async fn after_init(&self, _server: SocketIo) {
        tracing::info!("WebSocket Gateway initialized");
    }

    #[on_connect] // handleConnection(client)
    async fn handle_connection(&self, client: SocketRef) {
        tracing::info!("Client connected: {}", client.id);
    }

    #[on_disconnect] // handleDisconnect(client)
    async fn handle_disconnect(&self, client: SocketRef) {
        tracing::info!("Client disconnected: {}", client.id);
    }

    #[subscribe("send-message")]
    async fn handle_message(
        &self,
        client: SocketRef,
        Valid(dto): Valid<SendMessageDto>,
    ) -> Result<(), WsError> {
        if !client.rooms().iter().any(|room| *room == dto.room) {
            // throw new WsException('Join the room first')
            return Err(WsError::forbidden("Join the room first"));
        }
        client
            .to(dto.room)
            .emit("new-message", &dto.message)
            .await
            .map_err(|_| WsError::internal())
    }
}
// ANCHOR_END: chat-gateway

use socketioxide_gateway::prelude::*;
use socketioxide_gateway::extract::{FromParts, Parts};

#[derive(Deserialize, Validate)]
struct Say {
    #[validate(length(min = 1))]
    text: String,
}

#[derive(Debug, thiserror::Error)]
enum ChatError {
    #[error("nope")]
    Nope,
}

impl AppError for ChatError {
    fn code(&self) -> &'static str {
        "nope"
    }
}

type ChatResult<T> = Result<T, ChatError>;

struct CurrentUser(String);

impl<A: socketioxide_gateway::socketioxide::adapter::Adapter> FromParts<A> for CurrentUser {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        Ok(CurrentUser(parts.socket().id.to_string()))
    }
}

#[derive(Clone)]
struct Clock;

#[derive(Injectable)]
struct Chat {
    clock: Arc<Clock>,
}

#[gateway(namespace = "/chat", ack = "nestjs")]
impl Chat {
    #[on_init]
    async fn init(&self, io: SocketIo, Inject(clock): Inject<Arc<Clock>>) {}

    #[on_connect]
    async fn hello(&self, socket: SocketRef, io: SocketIo) {}

    #[subscribe("unit")]
    async fn unit(&self) {}

    #[subscribe("explicit-unit")]
    async fn explicit_unit(&self) -> () {}

    #[subscribe("say")]
    async fn say(&self, socket: SocketRef, Valid(msg): Valid<Say>) -> Result<String, WsError> {
        Ok(msg.text)
    }

    #[subscribe("app-error")]
    async fn app_error(&self) -> ChatResult<u32> {
        Err(ChatError::Nope)
    }

    #[subscribe("add")]
    async fn add(&self, a: f64, b: f64) -> f64 {
        a + b
    }

    #[subscribe("tuple")]
    async fn tuple(&self, (a, b): (String, u8)) -> String {
        format!("{a}{b}")
    }

    #[subscribe("binary")]
    async fn binary(&self, name: String, data: bytes::Bytes) -> bytes::Bytes {
        data
    }

    #[subscribe("whoami")]
    async fn whoami(&self, #[extract] user: CurrentUser, Inject(clock): Inject<Arc<Clock>>) -> String {
        user.0
    }

    #[subscribe("list")]
    async fn list(&self) -> Vec<u32> {
        vec![1, 2]
    }

    #[on_disconnect]
    async fn bye(&self, socket: SocketRef, reason: DisconnectReason) {}
}

fn main() {}

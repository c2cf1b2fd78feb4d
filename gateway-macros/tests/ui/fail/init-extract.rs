use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[on_init]
    async fn init(&self, #[extract] _io: SocketIo) {}
}

fn main() {}

use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[on_init]
    async fn init(&self, socket: SocketRef) {}
}

fn main() {}

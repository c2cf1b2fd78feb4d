use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    async fn ping(&self, reason: DisconnectReason) {}
}

fn main() {}

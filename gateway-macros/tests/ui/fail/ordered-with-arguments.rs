use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    #[ordered(strict)]
    async fn ping(&self) {}
}

fn main() {}

use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    #[throttle(limit = 10)]
    async fn ping(&self) {}
}

fn main() {}

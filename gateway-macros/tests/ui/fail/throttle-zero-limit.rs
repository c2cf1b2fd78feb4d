use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    #[throttle(limit = 0, per = "1s")]
    async fn ping(&self) {}
}

fn main() {}

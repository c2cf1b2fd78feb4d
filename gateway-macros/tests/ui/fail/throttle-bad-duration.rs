use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    #[throttle(limit = 10, per = "1 second")]
    async fn ping(&self) {}
}

fn main() {}

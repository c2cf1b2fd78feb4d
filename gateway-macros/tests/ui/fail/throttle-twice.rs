use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    #[throttle(limit = 10, per = "1s")]
    #[throttle(limit = 100, per = "1m")]
    async fn ping(&self) {}
}

fn main() {}

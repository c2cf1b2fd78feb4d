use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

struct Timing;

#[gateway(namespace = "/chat")]
#[intercept(Timing)]
impl Chat {
    #[subscribe("ping")]
    async fn ping(&self) {}
}

fn main() {}

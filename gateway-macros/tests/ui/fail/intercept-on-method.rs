use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

struct Timing;
impl Interceptor for Timing {}

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    #[intercept(Timing)]
    async fn ping(&self) {}
}

fn main() {}

use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

struct Nope;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    #[guard(Nope)]
    async fn ping(&self) {}
}

fn main() {}

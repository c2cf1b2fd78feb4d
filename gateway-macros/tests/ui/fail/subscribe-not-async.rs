use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    fn ping(&self) -> &'static str {
        "pong"
    }
}

fn main() {}

use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Ping;

#[gateway]
impl Ping {
    #[subscribe("ping")]
    async fn ping(&self) -> &'static str {
        "pong"
    }
}

fn main() {}

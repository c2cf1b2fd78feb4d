use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

struct Reply {
    text: String,
}

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    async fn ping(&self) -> Reply {
        Reply { text: "pong".into() }
    }
}

fn main() {}

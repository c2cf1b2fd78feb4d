use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat", emits = "new-message")]
impl Chat {
    #[subscribe("ping")]
    async fn ping(&self) {}
}

fn main() {}

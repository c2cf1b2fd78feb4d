use socketioxide_gateway::prelude::*;

#[derive(Serialize)]
struct Plain {
    text: String,
}

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat", emits(Plain))]
impl Chat {
    #[subscribe("ping")]
    async fn ping(&self) {}
}

fn main() {}

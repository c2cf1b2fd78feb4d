use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("connect")]
    async fn connected(&self) {}
}

fn main() {}

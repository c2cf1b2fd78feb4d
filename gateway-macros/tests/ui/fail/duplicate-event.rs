use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("message")]
    async fn first(&self) {}

    #[subscribe("message")]
    async fn second(&self) {}
}

fn main() {}

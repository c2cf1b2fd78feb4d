use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[fallback]
    async fn first(&self) {}

    #[fallback]
    async fn second(&self) {}
}

fn main() {}

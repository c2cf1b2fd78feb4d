use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("")]
    async fn ping(&self) {}
}

fn main() {}

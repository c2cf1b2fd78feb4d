use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    async fn ping(&self, _auth: Auth<serde_json::Value>) {}
}

fn main() {}

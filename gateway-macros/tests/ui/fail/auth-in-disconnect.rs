use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[on_disconnect]
    async fn bye(&self, _auth: Auth<serde_json::Value>) {}
}

fn main() {}

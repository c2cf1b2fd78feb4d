use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("say")]
    async fn say(&self, text: &str) {}
}

fn main() {}

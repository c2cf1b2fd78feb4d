use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("say \"hi\"")]
    async fn quoted(&self) {}

    #[subscribe("tab\there")]
    async fn tabbed(&self) {}
}

fn main() {}

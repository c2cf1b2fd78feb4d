use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[on_connect("now")]
    async fn hello(&self) {}
}

fn main() {}

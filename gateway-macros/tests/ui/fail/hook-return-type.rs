use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[on_connect]
    async fn hello(&self) -> bool {
        true
    }
}

fn main() {}

use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Clone for Chat {
    fn clone(&self) -> Self {
        Chat
    }
}

fn main() {}

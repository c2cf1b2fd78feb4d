use socketioxide_gateway::prelude::*;

struct Chat;

impl Chat {
    #[subscribe("message")]
    async fn message(&self) {}
}

fn main() {}

use socketioxide_gateway::prelude::*;

struct Chat;

impl Chat {
    #[on_connect]
    async fn hello(&self) {}
}

fn main() {}

use socketioxide_gateway::prelude::*;

struct Chat;

#[throttle(limit = 10, per = "1s")]
impl Chat {
    async fn message(&self) {}
}

fn main() {}

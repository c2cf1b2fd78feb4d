use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

struct Open;
impl Guard for Open {}

#[gateway(namespace = "/chat")]
impl Chat {
    #[on_connect]
    #[guard(Open)]
    async fn hello(&self) {}
}

fn main() {}

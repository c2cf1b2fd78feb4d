use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

struct Open;
impl Guard for Open {}

#[gateway(namespace = "/chat")]
impl Chat {
    #[guard(Open)]
    async fn helper(&self) {}
}

fn main() {}

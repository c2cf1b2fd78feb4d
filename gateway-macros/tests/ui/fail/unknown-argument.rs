use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat", path = "/x")]
impl Chat {}

fn main() {}

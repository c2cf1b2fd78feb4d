use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat", namespace = "/other")]
impl Chat {}

fn main() {}

use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat", crate = "not a path")]
impl Chat {}

fn main() {}

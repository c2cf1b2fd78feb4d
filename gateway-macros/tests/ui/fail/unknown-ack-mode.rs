use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat", ack = "bare")]
impl Chat {}

fn main() {}

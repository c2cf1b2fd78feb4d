use socketioxide_gateway::prelude::*;

#[subscribe("message")]
#[gateway(namespace = "/chat")]
impl Chat {}

#[derive(Default)]
struct Chat;

fn main() {}

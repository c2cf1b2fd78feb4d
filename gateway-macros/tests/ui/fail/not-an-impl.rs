use socketioxide_gateway::prelude::*;

#[gateway(namespace = "/chat")]
struct Chat;

fn main() {}

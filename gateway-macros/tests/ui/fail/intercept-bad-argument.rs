use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
#[intercept]
impl Chat {}

fn main() {}

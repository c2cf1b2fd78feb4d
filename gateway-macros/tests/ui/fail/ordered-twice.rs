use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
#[ordered]
#[ordered]
impl Chat {}

fn main() {}

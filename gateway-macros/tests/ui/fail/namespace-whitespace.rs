use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/my chat")]
impl Chat {}

fn main() {}

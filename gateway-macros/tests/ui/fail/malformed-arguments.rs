use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway("/chat")]
impl Chat {}

fn main() {}

use socketioxide_gateway::prelude::*;

struct Open;
impl Guard for Open {}

#[guard(Open)]
#[gateway(namespace = "/chat")]
impl Chat {}

#[derive(Default)]
struct Chat;

fn main() {}

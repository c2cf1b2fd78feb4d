use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Files;

#[gateway(namespace = "/files/{*path}/meta")]
impl Files {}

fn main() {}

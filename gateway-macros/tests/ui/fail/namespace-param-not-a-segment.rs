use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Tenants;

#[gateway(namespace = "/tenant-{tenant}")]
impl Tenants {}

fn main() {}

use socketioxide_gateway::prelude::*;

#[derive(Injectable)]
enum Chat {
    A,
}

fn main() {}

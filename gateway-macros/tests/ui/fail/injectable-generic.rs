use socketioxide_gateway::prelude::*;

#[derive(Injectable)]
struct Chat<T> {
    store: T,
}

fn main() {}

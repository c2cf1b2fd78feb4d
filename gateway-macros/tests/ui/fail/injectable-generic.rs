use gateway_core::prelude::*;

#[derive(Injectable)]
struct Chat<T> {
    store: T,
}

fn main() {}

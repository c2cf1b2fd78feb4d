use gateway_core::prelude::*;

#[derive(Injectable)]
enum Chat {
    A,
}

fn main() {}

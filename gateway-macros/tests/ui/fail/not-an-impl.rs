use gateway_core::prelude::*;

#[gateway(namespace = "/chat")]
struct Chat;

fn main() {}

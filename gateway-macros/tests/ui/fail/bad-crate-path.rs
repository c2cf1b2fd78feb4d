use gateway_core::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat", crate = "not a path")]
impl Chat {}

fn main() {}

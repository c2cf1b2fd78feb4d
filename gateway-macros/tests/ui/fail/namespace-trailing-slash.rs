use gateway_core::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat/")]
impl Chat {}

fn main() {}

use gateway_core::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat", path = "/x")]
impl Chat {}

fn main() {}

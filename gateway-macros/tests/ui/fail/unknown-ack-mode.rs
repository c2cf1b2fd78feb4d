use gateway_core::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat", ack = "bare")]
impl Chat {}

fn main() {}

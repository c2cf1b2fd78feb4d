use gateway_core::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat", namespace = "/other")]
impl Chat {}

fn main() {}

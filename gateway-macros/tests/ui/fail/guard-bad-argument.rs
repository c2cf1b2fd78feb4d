use gateway_core::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
#[guard]
impl Chat {}

fn main() {}

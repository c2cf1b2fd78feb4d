use gateway_core::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
#[intercept]
impl Chat {}

fn main() {}

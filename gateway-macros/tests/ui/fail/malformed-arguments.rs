use gateway_core::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway("/chat")]
impl Chat {}

fn main() {}

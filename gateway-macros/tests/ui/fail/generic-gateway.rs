use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat<T>(T);

#[gateway(namespace = "/chat")]
impl<T: Send + Sync + 'static> Chat<T> {}

fn main() {}

use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[derive(Debug)]
struct Oops;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    async fn ping(&self) -> Result<u32, Oops> {
        Err(Oops)
    }
}

fn main() {}

use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat {
    count: u64,
}

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("ping")]
    async fn ping(&mut self) {
        self.count += 1;
    }
}

fn main() {}

use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

struct Point {
    x: f64,
}

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("move")]
    async fn moved(&self, to: Point) {}
}

fn main() {}

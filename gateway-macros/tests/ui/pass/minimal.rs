use gateway_core::prelude::*;

#[derive(Default)]
struct Ping;

#[gateway]
impl Ping {
    #[subscribe("ping")]
    async fn ping(&self) -> &'static str {
        "pong"
    }
}

fn main() {}

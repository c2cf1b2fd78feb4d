use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

// One mistake in the gateway: the code that names it has no error of its own.
#[gateway(namespace = "chat")]
impl Chat {
    #[subscribe("ping")]
    async fn ping(&self) {}
}

fn main() {
    let _ = GatewayApp::explicit().link::<Chat>();
}

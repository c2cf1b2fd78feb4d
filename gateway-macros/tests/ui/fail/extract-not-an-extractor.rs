use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

struct CurrentUser;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("whoami")]
    async fn whoami(&self, #[extract] user: CurrentUser) {}
}

fn main() {}

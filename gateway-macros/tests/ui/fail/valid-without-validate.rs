use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[derive(Deserialize)]
struct Say {
    text: String,
}

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("say")]
    async fn say(&self, msg: Valid<Say>) {}
}

fn main() {}

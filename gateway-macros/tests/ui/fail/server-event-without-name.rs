use socketioxide_gateway::prelude::*;

#[derive(Serialize, ServerEvent)]
struct NewMessage {
    text: String,
}

fn main() {}

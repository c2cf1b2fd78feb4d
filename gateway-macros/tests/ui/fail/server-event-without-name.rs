use gateway_core::prelude::*;

#[derive(Serialize, ServerEvent)]
struct NewMessage {
    text: String,
}

fn main() {}

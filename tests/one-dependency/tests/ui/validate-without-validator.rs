use socketioxide_gateway::prelude::*;

#[derive(Deserialize, Validate)]
struct Say {
    #[validate(length(min = 1))]
    text: String,
}

fn main() {}

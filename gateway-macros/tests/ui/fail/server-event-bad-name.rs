use socketioxide_gateway::prelude::*;

#[derive(Serialize, ServerEvent)]
#[event(new_message)]
struct NotALiteral {
    text: String,
}

#[derive(Serialize, ServerEvent)]
#[event("disconnect")]
struct Reserved {
    text: String,
}

#[derive(Serialize, ServerEvent)]
#[event("a")]
#[event("b")]
struct Twice {
    text: String,
}

fn main() {}

use socketioxide_gateway::intercept::Interceptor;
use socketioxide_gateway::prelude::*;

struct Log;
impl Interceptor for Log {}

struct Chat;

#[intercept(Log)]
impl Chat {
    async fn message(&self) {}
}

fn main() {}

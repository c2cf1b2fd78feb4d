use gateway_core::intercept::Interceptor;
use gateway_core::prelude::*;

struct Log;
impl Interceptor for Log {}

struct Chat;

#[intercept(Log)]
impl Chat {
    async fn message(&self) {}
}

fn main() {}

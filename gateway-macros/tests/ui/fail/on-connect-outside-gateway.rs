use gateway_core::prelude::*;

struct Chat;

impl Chat {
    #[on_connect]
    async fn hello(&self) {}
}

fn main() {}

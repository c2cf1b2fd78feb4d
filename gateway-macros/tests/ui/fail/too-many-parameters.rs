use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("many")]
    async fn many(&self, _a0: u8, _a1: u8, _a2: u8, _a3: u8, _a4: u8, _a5: u8, _a6: u8, _a7: u8, _a8: u8, _a9: u8, _a10: u8, _a11: u8, _a12: u8) {}
}

fn main() {}

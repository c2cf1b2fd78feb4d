use socketioxide_gateway::prelude::*;

macro_rules! echo_gateway {
    ($name:ident, $ns:literal, $event:literal) => {
        #[derive(Default)]
        struct $name;

        #[gateway(namespace = $ns)]
        impl $name {
            #[subscribe($event)]
            async fn echo(&self, value: serde_json::Value) -> serde_json::Value {
                value
            }
        }
    };
}

echo_gateway!(EchoA, "/a", "echo");
echo_gateway!(EchoB, "/b", "echo");

fn main() {}

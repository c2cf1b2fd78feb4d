#![deny(unused_qualifications, unused_imports, clippy::all, clippy::pedantic, missing_docs)]
//! Generated code must not trip the user's lints.

use socketioxide_gateway::prelude::*;

/// A gateway.
#[derive(Default)]
pub struct Quiet;

#[gateway(namespace = "/quiet")]
impl Quiet {
    /// Handler.
    #[subscribe("ping")]
    async fn ping(&self, socket: SocketRef) -> String {
        socket.id.to_string()
    }
}

fn main() {}

use socketioxide_gateway::prelude::*;

struct Open;

impl Guard for Open {
    async fn check_connect(&self, context: &GuardContext<'_>) -> Result<(), WsError> {
        let _ = (context.auth(), context.header("origin"), context.cookie("session"));
        Ok(())
    }
}

struct Role(&'static str);

impl Guard for Role {
    async fn check_event(&self, context: &GuardContext<'_>) -> Result<(), WsError> {
        if context.event() == Some(self.0) { Ok(()) } else { Err(WsError::forbidden("no")) }
    }
}

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
#[guard(Open)]
#[throttle(limit = 100, per = "1m", disconnect_after = 500)]
impl Chat {
    #[subscribe("ping")]
    #[guard(Role("admin"))]
    #[guard(Open)]
    #[throttle(limit = 10, per = "250ms")]
    async fn ping(&self) -> &'static str {
        "pong"
    }
}

fn main() {}

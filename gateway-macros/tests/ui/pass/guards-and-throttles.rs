use gateway_core::prelude::*;

struct Open;

impl Guard for Open {
    async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        let _ = (cx.auth(), cx.header("origin"), cx.cookie("session"));
        Ok(())
    }
}

struct Role(&'static str);

impl Guard for Role {
    async fn check_event(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
        if cx.event() == Some(self.0) { Ok(()) } else { Err(WsError::forbidden("no")) }
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

//! [`ClusterInit`]: a namespace's adapter initialisation, which the app awaits before
//! serving.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use socketioxide_core::adapter::Spawnable;

use super::driver::ResilientDriver;

/// A namespace's initialisation: at once in memory; with Redis, once its channels are
/// subscribed. [`GatewayApp`](crate::GatewayApp) awaits it before serving.
#[must_use = "futures do nothing unless awaited"]
pub struct ClusterInit(pub(super) Option<socketioxide_redis::InitRes<ResilientDriver>>);

impl Future for ClusterInit {
    type Output = Result<(), socketioxide_redis::InitError<ResilientDriver>>;

    fn poll(mut self: Pin<&mut Self>, task: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.0 {
            None => Poll::Ready(Ok(())),
            Some(init) => Pin::new(init).poll(task),
        }
    }
}

impl Spawnable for ClusterInit {
    fn spawn(self) {
        if let Some(init) = self.0 {
            init.spawn();
        }
    }
}

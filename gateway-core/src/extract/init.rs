//! [`FromInit`]: what an `#[on_init]` hook can take. It runs once at startup, before any
//! socket connects, so only the server handle and the providers exist.

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;

use crate::error::WsError;
use crate::providers::Providers;

/// A parameter of an `#[on_init]` hook. Generated code calls it.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of an `#[on_init]` hook",
    label = "not available at startup",
    note = "`#[on_init]` methods take `SocketIo` and `Inject<T>` parameters only: they run once at startup, before any socket connects (see the guide, chapter \"Lifecycle hooks\")"
)]
pub trait FromInit<A: Adapter>: Sized {
    /// Builds it from the io handle and the providers.
    fn from_init(io: &SocketIo<A>, providers: &Providers) -> Result<Self, WsError>;
}

impl<A: Adapter> FromInit<A> for SocketIo<A> {
    fn from_init(io: &SocketIo<A>, _: &Providers) -> Result<Self, WsError> {
        Ok(io.clone())
    }
}

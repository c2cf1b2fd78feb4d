//! [`Inject<T>`]: a provider, looked up by type, as a handler or `#[on_init]` parameter.

use std::any::type_name;
use std::ops::Deref;

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;

use super::init::FromInit;
use super::{FromParts, Parts};
use crate::error::WsError;
use crate::providers::{Providers, SocketProviders};

/// A dependency registered with [`GatewayApp::provide`](crate::GatewayApp::provide),
/// looked up by type.
///
/// Prefer a field on the gateway struct (resolved once at startup); `Inject<T>` suits a
/// dependency only one handler needs.
#[derive(Debug, Clone)]
pub struct Inject<T>(pub T);

impl<T> Deref for Inject<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<A: Adapter, T: Clone + Send + Sync + 'static> FromParts<A> for Inject<T> {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        // App-wide first: the common case costs one map lookup, as before socket scopes.
        let missing = match parts.providers.get::<T>() {
            Ok(value) => return Ok(Inject(value)),
            Err(missing) => missing,
        };
        let scoped = parts.socket.extensions.get::<SocketProviders>();
        match scoped.and_then(|scoped| scoped.0.get::<T>().ok()) {
            Some(value) => Ok(Inject(value)),
            None => {
                tracing::error!(%missing, "handler parameter `Inject<{}>` has no provider", type_name::<T>());
                Err(WsError::internal())
            }
        }
    }
}

impl<A: Adapter, T: Clone + Send + Sync + 'static> FromInit<A> for Inject<T> {
    fn from_init(_: &SocketIo<A>, providers: &Providers) -> Result<Self, WsError> {
        providers
            .get::<T>()
            .map(Inject)
            .map_err(|missing| WsError::new("missing_provider", missing.to_string()))
    }
}

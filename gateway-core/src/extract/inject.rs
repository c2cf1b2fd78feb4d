//! [`Inject<T>`]: a provider, looked up by type, as a handler or `#[on_init]` parameter.

use std::any::type_name;
use std::ops::Deref;

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;

use super::init::FromInit;
use super::{FromParts, Parts};
use crate::error::WsError;
use crate::providers::Providers;

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
        parts.providers.get::<T>().map(Inject).map_err(|missing| {
            tracing::error!(%missing, "handler parameter `Inject<{}>` has no provider", type_name::<T>());
            WsError::internal()
        })
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

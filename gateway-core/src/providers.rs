//! Dependencies registered by type, resolved when gateways are built at startup.

use std::any::{Any, TypeId, type_name};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// The app's dependencies, keyed by type: what [`GatewayApp::provide`](crate::GatewayApp::provide)
/// registered, plus the `SocketIo` handle.
#[derive(Default)]
pub struct Providers {
    map: HashMap<TypeId, Provided>,
}

struct Provided {
    value: Box<dyn Any + Send + Sync>,
    name: &'static str,
}

impl Providers {
    /// Registers `value` under its type, replacing a previous value of the same type.
    pub fn insert<T: Clone + Send + Sync + 'static>(&mut self, value: T) {
        self.map.insert(
            TypeId::of::<T>(),
            Provided {
                value: Box::new(value),
                name: type_name::<T>(),
            },
        );
    }

    /// A clone of the value registered for `T`.
    pub fn get<T: Clone + 'static>(&self) -> Result<T, MissingProvider> {
        self.map
            .get(&TypeId::of::<T>())
            .and_then(|p| p.value.downcast_ref::<T>())
            .cloned()
            .ok_or(MissingProvider {
                wanted: type_name::<T>(),
            })
    }

    /// The type names registered, sorted (for error messages).
    pub(crate) fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.map.values().map(|p| p.name).collect();
        names.sort_unstable();
        names
    }
}

impl fmt::Debug for Providers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

/// The providers of one socket ([`GatewayApp::provide_per_socket`](crate::GatewayApp::provide_per_socket)),
/// built when it connected: kept in the socket's extensions, read by `Inject<T>`, removed
/// (and so dropped) when it disconnects.
#[derive(Clone)]
pub(crate) struct SocketProviders(pub(crate) Arc<Providers>);

/// A gateway or handler asked for a type nobody provided.
#[derive(Debug, Clone, thiserror::Error)]
#[error("no provider for `{wanted}`: register one with `GatewayApp::provide(...)`")]
pub struct MissingProvider {
    /// The type that was asked for.
    pub wanted: &'static str,
}

/// Builds a value from the app's providers: derive it with `#[derive(Injectable)]` on a
/// gateway struct whose fields are all provided types.
pub trait Injectable: Sized {
    /// Builds `Self`, or says which provider is missing.
    fn inject(providers: &Providers) -> Result<Self, MissingProvider>;
}

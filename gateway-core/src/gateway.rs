//! What the `#[gateway]` macro generates against: the [`Gateway`] trait and the static
//! [`GatewayDescriptor`] it submits to the registry. You do not implement these by hand;
//! this module is public for advanced use (naming a gateway type's descriptor, its
//! [`Location`] in a startup error).

use std::any::{Any, TypeId};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::ack::AckMode;
use crate::adapter::DefaultAdapter;
#[cfg(feature = "contracts")]
use crate::contract::ContractBuilder;
use crate::runtime::NamespaceBuilder;

pub use crate::location::Location;
use crate::providers::{Injectable, MissingProvider, Providers};

/// A gateway: a struct whose `#[gateway]` impl block registers its handlers on a namespace.
/// Implemented by the macro, for the app's [`DefaultAdapter`] (the in-memory adapter, or the
/// cluster adapter with the `redis` feature): user code is the same on either.
pub trait Gateway: Send + Sync + 'static {
    /// Registers every handler of the gateway on its namespace.
    fn register(this: &Arc<Self>, ns: &mut NamespaceBuilder<DefaultAdapter>);
}

/// Gives a gateway type's static descriptor. Implemented by the macro.
pub trait GatewayType: Send + Sync + Sized + 'static {
    /// The gateway's registry entry.
    const DESCRIPTOR: GatewayDescriptor;
}

/// How a gateway type got (or could not get) an instance at startup.
#[doc(hidden)]
pub enum BuildOutcome {
    Built(Result<Arc<dyn Any + Send + Sync>, MissingProvider>),
    /// Neither `Injectable` nor `Default`: it must be handed in with `GatewayApp::gateway`.
    NotBuildable,
}

/// What a descriptor keeps for the exported contracts: the gateway's generated function that
/// records its events.
#[cfg(feature = "contracts")]
#[doc(hidden)]
pub type ContractFn = fn(&mut ContractBuilder);

/// What a descriptor keeps for the exported contracts: nothing, without the `contracts`
/// feature.
#[cfg(not(feature = "contracts"))]
#[doc(hidden)]
pub type ContractFn = ();

/// Turns the `fn __gateway_contract(...) { ... }` the `#[gateway]` macro generates into the
/// [`ContractFn`] its descriptor holds: the function itself, or, without the `contracts`
/// feature, `()` (the function, which names the contract types, is dropped unexpanded). A
/// macro of socketioxide-gateway's, so the choice follows socketioxide-gateway's features, not the user
/// crate's; generated code calls it as `__private::contract_fn!`.
#[cfg(feature = "contracts")]
#[doc(hidden)]
#[macro_export]
macro_rules! __gateway_contract_fn {
    (fn $name:ident $($signature_and_body:tt)*) => {{
        fn $name $($signature_and_body)*
        $name
    }};
}

/// See the `contracts` twin above: without the feature, the contract function is dropped.
#[cfg(not(feature = "contracts"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __gateway_contract_fn {
    ($($contract_fn:tt)*) => {
        ()
    };
}

/// A gateway's registry entry: a `const` value holding only `&'static str`s and `fn`
/// pointers, so that `inventory::submit!` can place it in a static.
pub struct GatewayDescriptor {
    pub(crate) type_name: &'static str,
    pub(crate) namespace: &'static str,
    pub(crate) location: Location,
    pub(crate) ack_mode: Option<AckMode>,
    pub(crate) type_id: fn() -> TypeId,
    pub(crate) build: fn(&Providers) -> BuildOutcome,
    #[cfg(feature = "contracts")]
    pub(crate) contract: ContractFn,
    pub(crate) register: fn(Arc<dyn Any + Send + Sync>, &mut NamespaceBuilder<DefaultAdapter>),
}

impl GatewayDescriptor {
    #[doc(hidden)]
    pub const fn new<G: Gateway>(
        type_name: &'static str,
        namespace: &'static str,
        location: Location,
        ack_mode: Option<AckMode>,
        build: fn(&Providers) -> BuildOutcome,
        contract: ContractFn,
    ) -> Self {
        // Without the `contracts` feature there is no contract function to keep.
        #[cfg(not(feature = "contracts"))]
        let () = contract;
        Self {
            type_name,
            namespace,
            location,
            ack_mode,
            type_id: TypeId::of::<G>,
            build,
            #[cfg(feature = "contracts")]
            contract,
            register: register_erased::<G>,
        }
    }

    /// The gateway type's name as written.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The namespace it serves.
    pub fn namespace(&self) -> &'static str {
        self.namespace
    }

    /// Where the `#[gateway]` impl block is.
    pub fn location(&self) -> Location {
        self.location
    }
}

impl fmt::Debug for GatewayDescriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatewayDescriptor")
            .field("type_name", &self.type_name)
            .field("namespace", &self.namespace)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

inventory::collect!(GatewayDescriptor);

fn register_erased<G: Gateway>(
    instance: Arc<dyn Any + Send + Sync>,
    ns: &mut NamespaceBuilder<DefaultAdapter>,
) {
    match instance.downcast::<G>() {
        Ok(this) => G::register(&this, ns),
        // The registry pairs each descriptor with an instance of its own type.
        Err(_) => unreachable!("gateway instance of the wrong type"),
    }
}

/// Autoref-based specialisation (a documented stable-Rust technique, used because
/// trait specialisation is unstable): generated code calls
/// `(&&&Probe::<G>::new()).__gateway_build(p)`, which picks the first of `Injectable`,
/// `Default`, or "must be handed in" that `G` satisfies.
#[doc(hidden)]
pub(crate) mod autoref {
    use super::*;

    pub struct Probe<G>(PhantomData<G>);

    impl<G> Probe<G> {
        #[allow(clippy::new_without_default)]
        pub const fn new() -> Self {
            Probe(PhantomData)
        }
    }

    pub trait ViaInjectable {
        fn __gateway_build(&self, providers: &Providers) -> BuildOutcome;
    }
    impl<G: Injectable + Send + Sync + 'static> ViaInjectable for &&Probe<G> {
        fn __gateway_build(&self, providers: &Providers) -> BuildOutcome {
            BuildOutcome::Built(G::inject(providers).map(|g| Arc::new(g) as _))
        }
    }

    pub trait ViaDefault {
        fn __gateway_build(&self, providers: &Providers) -> BuildOutcome;
    }
    impl<G: Default + Send + Sync + 'static> ViaDefault for &Probe<G> {
        fn __gateway_build(&self, _: &Providers) -> BuildOutcome {
            BuildOutcome::Built(Ok(Arc::new(G::default())))
        }
    }

    pub trait ViaNothing {
        fn __gateway_build(&self, providers: &Providers) -> BuildOutcome;
    }
    impl<G> ViaNothing for Probe<G> {
        fn __gateway_build(&self, _: &Providers) -> BuildOutcome {
            BuildOutcome::NotBuildable
        }
    }
}

//! Contracts out: what the registry knows about every namespace, event, payload and ack,
//! exported as TypeScript declarations for `socket.io-client` ([`Contracts::typescript`])
//! and an AsyncAPI 3.0 document ([`Contracts::asyncapi`]).
//!
//! Shapes come from [`schemars`]: derive `JsonSchema` next to `Deserialize`/`Serialize` on
//! payload, ack and server-event types (`validator` attributes such as
//! `#[validate(length(max = 500))]` are read by the derive and appear in the schema). A type
//! without `JsonSchema` still works at runtime; the export writes it as `unknown` and lists
//! it in [`Contracts::untyped`].
//!
//! Why JSON Schema is the single source, and TypeScript is generated from it rather than by
//! a second derive (`ts-rs`, `specta`): one derive per type, one reading of the serde
//! attributes, so the two outputs cannot disagree; and schemars already understands
//! `validator`'s attributes, which the TypeScript declarations carry as JSDoc.

mod asyncapi;
mod builder;
#[cfg(test)]
mod fixtures;
mod model;
mod names;
mod schema_ref;
mod typescript;

use std::marker::PhantomData;
use std::path::Path;

use schemars::JsonSchema;

use crate::error::AppError;

pub use builder::ContractBuilder;
pub use model::{
    ClientEvent, ContractInfo, Contracts, NamespaceContract, ServerEventContract, Shape,
};
// Server events are emitted with or without the exported contracts: the trait lives with the
// emitting (`crate::event`); re-exported here where the contracts' readers look for it.
pub use crate::event::ServerEvent;

/// The exports: the model's renderings, each written by its own module.
impl Contracts {
    /// `events.ts`: TypeScript declarations for `socket.io-client` v4.
    pub fn typescript(&self) -> String {
        typescript::render(self)
    }

    /// `asyncapi.yaml`: an AsyncAPI 3.0 document.
    pub fn asyncapi(&self) -> String {
        asyncapi::render(self)
    }

    /// Writes `events.ts` and `asyncapi.yaml` into `dir` (created if missing).
    pub fn write_to(&self, dir: impl AsRef<Path>) -> std::io::Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("events.ts"), self.typescript())?;
        std::fs::write(dir.join("asyncapi.yaml"), self.asyncapi())?;
        Ok(())
    }
}

/// A `Result<T, E>` alias (`ChatResult<T>`) split into its parts, for the contracts.
#[doc(hidden)]
pub trait ResultParts {
    /// The success type.
    type Ok;
    /// The error type.
    type Err;
}

impl<T, E> ResultParts for Result<T, E> {
    type Ok = T;
    type Err = E;
}

/// Autoref-based specialisation (stable Rust has no trait specialisation): generated code
/// calls `(&&&SchemaProbe::<T>::new()).__gw_shape(builder)`, which picks the first of: a
/// payload type the framework knows (`Valid<T>`, `Bytes`, `Args`), a `JsonSchema` type, or
/// `Unknown`.
#[doc(hidden)]
pub mod probe {
    use super::*;

    /// Carries the probed type.
    pub struct SchemaProbe<T: ?Sized>(PhantomData<T>);

    impl<T: ?Sized> SchemaProbe<T> {
        #[allow(clippy::new_without_default)]
        pub const fn new() -> Self {
            SchemaProbe(PhantomData)
        }
    }

    /// Payload types the framework gives a shape of their own.
    pub trait KnownShape {
        fn shape(builder: &mut ContractBuilder) -> Shape;
    }

    impl<T: JsonSchema> KnownShape for crate::extract::Valid<T> {
        fn shape(builder: &mut ContractBuilder) -> Shape {
            Shape::Json(builder.generator().subschema_for::<T>().to_value())
        }
    }

    impl KnownShape for bytes::Bytes {
        fn shape(_: &mut ContractBuilder) -> Shape {
            Shape::Binary
        }
    }

    impl KnownShape for crate::args::Args {
        fn shape(_: &mut ContractBuilder) -> Shape {
            Shape::Rest
        }
    }

    pub trait ViaKnown {
        fn __gw_shape(&self, builder: &mut ContractBuilder) -> Shape;
    }
    impl<T: KnownShape> ViaKnown for &&SchemaProbe<T> {
        fn __gw_shape(&self, builder: &mut ContractBuilder) -> Shape {
            T::shape(builder)
        }
    }

    pub trait ViaSchema {
        fn __gw_shape(&self, builder: &mut ContractBuilder) -> Shape;
    }
    impl<T: JsonSchema + ?Sized> ViaSchema for &SchemaProbe<T> {
        fn __gw_shape(&self, builder: &mut ContractBuilder) -> Shape {
            Shape::Json(builder.generator().subschema_for::<T>().to_value())
        }
    }

    pub trait ViaUnknown {
        fn __gw_shape(&self, builder: &mut ContractBuilder) -> Shape;
    }
    impl<T: ?Sized> ViaUnknown for SchemaProbe<T> {
        fn __gw_shape(&self, _: &mut ContractBuilder) -> Shape {
            Shape::Unknown(std::any::type_name::<T>())
        }
    }

    /// The application error codes of a handler's error type: `AppError::CODES`, or none.
    pub struct CodesProbe<E>(PhantomData<E>);

    impl<E> CodesProbe<E> {
        #[allow(clippy::new_without_default)]
        pub const fn new() -> Self {
            CodesProbe(PhantomData)
        }
    }

    pub trait ViaAppError {
        fn __gw_codes(&self) -> &'static [&'static str];
    }
    impl<E: AppError> ViaAppError for &CodesProbe<E> {
        fn __gw_codes(&self) -> &'static [&'static str] {
            E::CODES
        }
    }

    pub trait ViaNoCodes {
        fn __gw_codes(&self) -> &'static [&'static str];
    }
    impl<E> ViaNoCodes for CodesProbe<E> {
        fn __gw_codes(&self) -> &'static [&'static str] {
            &[]
        }
    }
}

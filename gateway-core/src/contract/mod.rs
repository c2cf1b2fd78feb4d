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
#[doc(hidden)]
pub mod probe;
mod schema_ref;
mod typescript;

use std::path::Path;

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

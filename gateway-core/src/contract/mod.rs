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
#[doc(hidden)]
pub mod probe;
mod typescript;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::Value;

use crate::ack::AckMode;

/// A server-to-client event: its name, declared once next to its payload type.
///
/// Derive it: `#[derive(Serialize, JsonSchema, ServerEvent)] #[event("new-message")]`; emit
/// it with [`EmitEvent`](crate::EmitEvent) (`socket.emit_event(&msg)`,
/// `io.to(room).emit_event(&msg).await`); list it in `#[gateway(emits(NewMessage))]` so the
/// exported contracts include it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a server event",
    label = "not a `ServerEvent`",
    note = "derive it on the payload type: `#[derive(Serialize, JsonSchema, ServerEvent)]` with `#[event(\"name\")]`"
)]
pub trait ServerEvent: serde::Serialize {
    /// The event name clients listen to.
    const NAME: &'static str;
}

/// One argument of a client event, or an ack's data.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// JSON described by a draft-07 JSON Schema (possibly a `$ref` into the definitions).
    Json(Value),
    /// A binary attachment (`bytes::Bytes`).
    Binary,
    /// Any number of arguments of any type (`Args`).
    Rest,
    /// A type without `JsonSchema`: anything, as far as the contract knows.
    Unknown(&'static str),
}

impl Shape {
    /// The ack data of a handler returning `()`: `null`.
    pub fn null() -> Self {
        Shape::Json(serde_json::json!({ "type": "null" }))
    }
}

/// A client-to-server event.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientEvent {
    /// Its name.
    pub name: &'static str,
    /// The handler's doc comment.
    pub doc: Option<String>,
    /// The gateway type that handles it.
    pub gateway: &'static str,
    /// Its payload arguments, in order, with the handler's parameter names.
    pub args: Vec<(String, Shape)>,
    /// The ack's success data (`Json({"type": "null"})` for `()`).
    pub ack: Shape,
    /// Application error codes the handler can answer with (from `AppError::CODES`), on
    /// top of the framework's own codes.
    pub error_codes: Vec<&'static str>,
    /// The ack's shape.
    pub ack_mode: AckMode,
}

/// A server-to-client event a gateway declared with `emits(...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerEventContract {
    /// Its name.
    pub name: &'static str,
    /// Its payload.
    pub payload: Shape,
}

/// One namespace's events.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NamespaceContract {
    /// Client-to-server events, by name.
    pub client_events: BTreeMap<&'static str, ClientEvent>,
    /// Server-to-client events, by name.
    pub server_events: BTreeMap<&'static str, ServerEventContract>,
}

/// Document-level details of the export.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractInfo {
    /// The API's title (AsyncAPI `info.title`).
    pub title: String,
    /// The API's version (AsyncAPI `info.version`).
    pub version: String,
    /// Where clients connect, `host:port` (AsyncAPI server `host`).
    pub host: String,
    /// The Socket.IO path (`/socket.io`).
    pub path: String,
}

impl Default for ContractInfo {
    fn default() -> Self {
        Self {
            title: "Socket.IO gateways".to_owned(),
            version: "0.1.0".to_owned(),
            host: "localhost:3000".to_owned(),
            path: "/socket.io".to_owned(),
        }
    }
}

/// Every namespace's contract, with the shared JSON Schema definitions. Built by
/// [`GatewayApp::contracts`](crate::GatewayApp::contracts).
#[derive(Debug, Clone, PartialEq)]
pub struct Contracts {
    /// Namespaces, by path.
    pub namespaces: BTreeMap<&'static str, NamespaceContract>,
    /// Named schemas that `$ref`s (`#/definitions/Name`) point to.
    pub definitions: BTreeMap<String, Value>,
    /// Document details.
    pub info: ContractInfo,
}

impl Contracts {
    /// Types the contract knows only as `unknown` (they do not implement `JsonSchema`),
    /// sorted, with where they are used (`"/chat send-message arg msg"`).
    pub fn untyped(&self) -> Vec<String> {
        let mut out = BTreeSet::new();
        for (ns, contract) in &self.namespaces {
            for event in contract.client_events.values() {
                for (name, shape) in &event.args {
                    if let Shape::Unknown(ty) = shape {
                        out.insert(format!("{ns} {} argument `{name}`: {ty}", event.name));
                    }
                }
                if let Shape::Unknown(ty) = &event.ack {
                    out.insert(format!("{ns} {} ack: {ty}", event.name));
                }
            }
            for event in contract.server_events.values() {
                if let Shape::Unknown(ty) = &event.payload {
                    out.insert(format!("{ns} {} (server event): {ty}", event.name));
                }
            }
        }
        out.into_iter().collect()
    }

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

/// Collects contracts from the gateways' generated `contract` functions.
#[doc(hidden)]
pub struct ContractBuilder {
    generator: SchemaGenerator,
    namespaces: BTreeMap<&'static str, NamespaceContract>,
    namespace: &'static str,
    gateway: &'static str,
    ack_mode: AckMode,
}

impl fmt::Debug for ContractBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContractBuilder")
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl ContractBuilder {
    pub(crate) fn new() -> Self {
        Self {
            generator: SchemaGenerator::new(SchemaSettings::draft07()),
            namespaces: BTreeMap::new(),
            namespace: "/",
            gateway: "",
            ack_mode: AckMode::Envelope,
        }
    }

    pub(crate) fn begin_gateway(
        &mut self,
        namespace: &'static str,
        gateway: &'static str,
        ack_mode: AckMode,
    ) {
        self.namespace = namespace;
        self.gateway = gateway;
        self.ack_mode = ack_mode;
        self.namespaces.entry(namespace).or_default();
    }

    pub(crate) fn finish(mut self, info: ContractInfo) -> Contracts {
        let definitions = self.generator.take_definitions(true).into_iter().collect();
        Contracts {
            namespaces: self.namespaces,
            definitions,
            info,
        }
    }

    /// The schema generator, for [`SchemaProbe`].
    pub fn generator(&mut self) -> &mut SchemaGenerator {
        &mut self.generator
    }

    /// Records a client event. Generated code calls it once per `#[subscribe]`.
    pub fn client_event(
        &mut self,
        name: &'static str,
        doc: &'static [&'static str],
        args: Vec<(&'static str, Shape)>,
        ack: Shape,
        error_codes: &'static [&'static str],
    ) {
        let mut codes = error_codes.to_vec();
        codes.sort_unstable();
        codes.dedup();
        let event = ClientEvent {
            name,
            doc: join_doc(doc),
            gateway: self.gateway,
            args: args.into_iter().map(|(n, s)| (n.to_owned(), s)).collect(),
            ack,
            error_codes: codes,
            ack_mode: self.ack_mode,
        };
        self.namespaces
            .entry(self.namespace)
            .or_default()
            .client_events
            .insert(name, event);
    }

    /// Records a server event declared with `emits(...)`.
    pub fn server_event<E: ServerEvent>(&mut self, payload: Shape) {
        let event = ServerEventContract {
            name: E::NAME,
            payload,
        };
        self.namespaces
            .entry(self.namespace)
            .or_default()
            .server_events
            .insert(E::NAME, event);
    }
}

/// Doc comment lines (`#[doc = "..."]` values) as one paragraph-preserving string.
fn join_doc(lines: &[&str]) -> Option<String> {
    let text = lines
        .iter()
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

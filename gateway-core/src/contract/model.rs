//! The contract model: every namespace's client and server events with their shapes, and
//! the JSON Schema definitions those shapes refer to. The exporters read it; the
//! [`ContractBuilder`](super::ContractBuilder) fills it from the gateways.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ack::AckMode;

pub(super) use crate::event::EXCEPTION_EVENT;

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
}

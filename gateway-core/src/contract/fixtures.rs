//! Contracts built by hand for the exporters' unit tests.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::model::{ClientEvent, ContractInfo, Contracts, Shape};
use crate::ack::AckMode;

/// Contracts without namespaces, with these definitions.
pub(super) fn contracts(definitions: &[(&str, Value)]) -> Contracts {
    Contracts {
        namespaces: BTreeMap::new(),
        definitions: definitions
            .iter()
            .map(|(name, schema)| ((*name).to_owned(), schema.clone()))
            .collect(),
        info: ContractInfo::default(),
    }
}

/// An envelope-mode client event of `TestGateway`, without docs or error codes.
pub(super) fn event(name: &'static str, args: Vec<(&str, Shape)>, ack: Shape) -> ClientEvent {
    ClientEvent {
        name,
        doc: None,
        gateway: "TestGateway",
        args: args.into_iter().map(|(n, s)| (n.to_owned(), s)).collect(),
        ack,
        error_codes: Vec::new(),
        ack_mode: AckMode::Envelope,
    }
}

/// `{"type": "string"}`.
pub(super) fn string() -> Shape {
    Shape::Json(json!({ "type": "string" }))
}

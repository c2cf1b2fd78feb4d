//! [`ContractBuilder`]: what the gateways' generated `contract` functions record their events
//! into, with the schema generator that gives their types a shape.

use std::collections::BTreeMap;
use std::fmt;

use schemars::generate::{SchemaGenerator, SchemaSettings};

use super::model::{
    ClientEvent, ContractInfo, Contracts, NamespaceContract, ServerEventContract, Shape,
};
use crate::ack::AckMode;
use crate::event::ServerEvent;

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

    /// The schema generator, for [`SchemaProbe`](super::probe::SchemaProbe).
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

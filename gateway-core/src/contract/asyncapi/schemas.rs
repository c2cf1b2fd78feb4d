//! The document's schemas: [`Renderer`] holds the `components.schemas` key chosen for each
//! definition, writes every shape's schema with its `$ref`s pointing there, and collects the
//! components (the definitions and the shared `WsError`).

use std::collections::BTreeMap;

use serde_json::{Value, json};
use serde_norway::Value as Yaml;

use super::ids::sanitize;
use super::yaml::{Map, to_yaml};
use crate::ack::AckMode;
use crate::contract::model::{ClientEvent, Contracts, Shape};
use crate::contract::names::UniqueNames;
use crate::contract::schema_ref::{DEFINITIONS, definition_ref};

/// Keywords whose values are data, not schemas: a `$ref` key inside them is not a reference.
const DATA_KEYWORDS: [&str; 5] = ["const", "enum", "default", "examples", "example"];

/// Keywords whose values map names to schemas: their keys are names, never keywords.
const SCHEMA_MAP_KEYWORDS: [&str; 5] = [
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependencies",
];

/// Turns [`Contracts`] into the document, holding the names chosen for shared schemas.
/// Its methods are grouped by what they write: schemas here, payloads in `payloads`,
/// channels in `channels`, the top level in the module itself.
pub(super) struct Renderer<'a> {
    pub(super) contracts: &'a Contracts,
    /// `definitions` name → `components.schemas` key.
    schema_keys: BTreeMap<String, String>,
    /// The key of the shared `WsError` schema.
    pub(super) ws_error: String,
    /// Whether any event acks in envelope mode (and so refers to `WsError`).
    pub(super) uses_envelope: bool,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(contracts: &'a Contracts) -> Self {
        let mut taken = UniqueNames::new("_");
        let schema_keys = contracts
            .definitions
            .keys()
            .map(|name| (name.clone(), taken.claim(&sanitize(name, "Schema"))))
            .collect();
        let ws_error = taken.claim("WsError");
        let uses_envelope = client_events(contracts).any(|e| e.ack_mode == AckMode::Envelope);
        Self {
            contracts,
            schema_keys,
            ws_error,
            uses_envelope,
        }
    }

    /// One argument's, ack's or server event's schema.
    pub(super) fn shape_schema(&self, shape: &Shape) -> Value {
        match shape {
            Shape::Json(schema) => self.rewrite_refs(schema),
            Shape::Binary => json!({
                "type": "string",
                "format": "binary",
                "description": "A binary attachment, sent out of band by Socket.IO \
                                (a Buffer, ArrayBuffer or Blob in JavaScript).",
            }),
            Shape::Rest => json!({
                "type": "array",
                "description": "Any number of values of any type, binary attachments included.",
            }),
            Shape::Unknown(ty) => json!({
                "description": format!(
                    "Any JSON: `{ty}` has no JSON Schema (derive `schemars::JsonSchema` on it \
                     to describe it here)."
                ),
            }),
        }
    }

    /// `schema` with every `#/definitions/X` reference pointing into `components.schemas`.
    fn rewrite_refs(&self, schema: &Value) -> Value {
        match schema {
            Value::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let value = match (key.as_str(), value) {
                            ("$ref", Value::String(target)) => {
                                Value::String(self.rewrite_ref(target))
                            }
                            (k, _) if DATA_KEYWORDS.contains(&k) => value.clone(),
                            (k, Value::Object(named)) if SCHEMA_MAP_KEYWORDS.contains(&k) => {
                                Value::Object(
                                    named
                                        .iter()
                                        .map(|(name, s)| (name.clone(), self.rewrite_refs(s)))
                                        .collect(),
                                )
                            }
                            _ => self.rewrite_refs(value),
                        };
                        (key.clone(), value)
                    })
                    .collect(),
            ),
            Value::Array(items) => {
                Value::Array(items.iter().map(|s| self.rewrite_refs(s)).collect())
            }
            other => other.clone(),
        }
    }

    /// `#/definitions/Name/more` → `#/components/schemas/Key/more`; other references as
    /// they are.
    fn rewrite_ref(&self, target: &str) -> String {
        match definition_target(target) {
            Some((name, more)) => {
                let key = self
                    .schema_keys
                    .get(&name)
                    .cloned()
                    .unwrap_or_else(|| sanitize(&name, "Schema"));
                format!("#/components/schemas/{key}{more}")
            }
            None => target.to_owned(),
        }
    }

    pub(super) fn component_schemas(&self) -> Yaml {
        let mut schemas: BTreeMap<&str, Value> = self
            .contracts
            .definitions
            .iter()
            .filter_map(|(name, schema)| {
                let key = self.schema_keys.get(name)?;
                Some((key.as_str(), self.rewrite_refs(schema)))
            })
            .collect();
        if self.uses_envelope {
            schemas.insert(&self.ws_error, ws_error_schema());
        }
        schemas
            .into_iter()
            .fold(Map::default(), |map, (key, schema)| {
                map.with(key, to_yaml(&schema))
            })
            .into()
    }
}

/// Every client event of every namespace.
pub(super) fn client_events(contracts: &Contracts) -> impl Iterator<Item = &ClientEvent> {
    contracts
        .namespaces
        .values()
        .flat_map(|ns| ns.client_events.values())
}

fn ws_error_schema() -> Value {
    json!({
        "description": "Why an event failed: the `error` of a failing envelope ack.",
        "type": "object",
        "properties": {
            "code": {
                "type": "string",
                "description": "Stable and snake_case: one of the framework's codes or one the \
                                application defines.",
            },
            "message": {
                "type": "string",
                "description": "Human-readable; never carries internal details.",
            },
            "details": {
                "description": "Structured details, for some codes: for `validation_failed`, \
                                each failing field mapped to a list of `{code, message}`; for \
                                `rate_limited`, `{retry_after_ms}`.",
            },
        },
        "required": ["code", "message"],
        "additionalProperties": false,
    })
}

/// The definition a `#/definitions/...` reference names, and the rest of the pointer
/// (`/properties/x`, usually empty).
pub(super) fn definition_target(target: &str) -> Option<(String, &str)> {
    definition_ref(target, &[DEFINITIONS])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::fixtures::contracts;

    #[test]
    fn refs_point_into_components_and_data_is_left_alone() {
        let c = contracts(&[("Room", json!({})), ("Wrapper<Room>", json!({}))]);
        let r = Renderer::new(&c);
        let schema = json!({
            "properties": {
                // A property named like keywords: its schema is still a schema.
                "$ref": { "$ref": "#/definitions/Room" },
                "default": { "items": { "$ref": "#/definitions/Wrapper%3CRoom%3E" } },
            },
            "allOf": [{ "$ref": "#/definitions/Room/properties/id" }],
            "default": { "$ref": "#/definitions/Room" },
            "enum": [{ "$ref": "#/definitions/Room" }],
            "not": { "$ref": "https://example.com/schema.json" },
        });
        // The references in schemas change; the data (`default`, `enum`) and the foreign
        // reference (`not`) stay as they are.
        let mut expected = schema.clone();
        for (pointer, target) in [
            ("/properties/$ref/$ref", "#/components/schemas/Room"),
            (
                "/properties/default/items/$ref",
                "#/components/schemas/Wrapper_Room_",
            ),
            ("/allOf/0/$ref", "#/components/schemas/Room/properties/id"),
        ] {
            *expected.pointer_mut(pointer).expect(pointer) = json!(target);
        }
        assert_eq!(r.rewrite_refs(&schema), expected);
    }

    #[test]
    fn schema_keys_are_sanitised_and_unique_and_ws_error_yields() {
        let c = contracts(&[
            ("A b", json!({})),
            ("A_b", json!({})),
            ("WsError", json!({})),
        ]);
        let r = Renderer::new(&c);
        assert_eq!(r.schema_keys["A b"], "A_b");
        assert_eq!(r.schema_keys["A_b"], "A_b_2");
        assert_eq!(r.schema_keys["WsError"], "WsError");
        assert_eq!(r.ws_error, "WsError_2");
    }
}

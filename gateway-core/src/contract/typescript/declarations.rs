//! The definitions as declarations: `export interface Name { ... }` for plain objects,
//! `export type Name = ...;` for everything else, unions laid out one member per line when
//! their members are documented.

use serde_json::{Map, Value};

use super::jsdoc::Doc;
use super::schema_types::Types;
use super::type_expr::{Ty, union};
use super::writer::Writer;

impl Types<'_> {
    /// `export interface Name { ... }` for an object with properties, else
    /// `export type Name = ...;`.
    pub(super) fn definition(&self, w: &mut Writer, name: &str, schema: &Value) {
        w.doc(0, &Doc::of_schema(schema));
        match schema.as_object() {
            Some(map) if is_plain_object(map) => {
                w.interface(name, |w| self.members(w, map, 1));
            }
            Some(map) if is_plain_union(map) => {
                w.line(
                    0,
                    &format!("export type {name} ={}", self.union_layout(map, 0)),
                );
            }
            _ => {
                let ty = self.ty(schema, 0);
                w.line(0, &format!("export type {name} = {};", ty.text));
            }
        }
        w.blank();
    }

    /// ` A | B;`, or, when a member is documented or spans lines, one member per line with
    /// its description above it.
    fn union_layout(&self, map: &Map<String, Value>, depth: usize) -> String {
        let members: Vec<&Value> = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|k| map.get(*k).and_then(Value::as_array))
            .flatten()
            .collect();
        let rendered: Vec<(Doc, Ty)> = members
            .iter()
            .map(|m| (Doc::of_schema(m), self.ty(m, depth + 2)))
            .collect();
        let multiline = rendered
            .iter()
            .any(|(doc, ty)| !doc.is_empty() || ty.text.contains('\n'));
        if !multiline {
            return format!(" {};", union(rendered.into_iter().map(|(_, ty)| ty)).text);
        }
        let mut w = Writer::default();
        for (doc, ty) in &rendered {
            w.doc(depth + 1, doc);
            w.line(depth + 1, &format!("| {}", ty.text));
        }
        let text = w.finish();
        format!("\n{};", text.trim_end())
    }
}

/// An object schema with properties and nothing else that changes its type.
fn is_plain_object(map: &Map<String, Value>) -> bool {
    map.get("type").and_then(Value::as_str) == Some("object")
        && map
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
        && ![
            "$ref", "const", "enum", "allOf", "anyOf", "oneOf", "nullable",
        ]
        .iter()
        .any(|k| map.contains_key(*k))
}

/// A `oneOf`/`anyOf` schema and nothing else that changes its type.
fn is_plain_union(map: &Map<String, Value>) -> bool {
    let unions = ["oneOf", "anyOf"]
        .iter()
        .filter(|k| map.get(**k).and_then(Value::as_array).is_some())
        .count();
    unions == 1
        && ![
            "$ref",
            "const",
            "enum",
            "allOf",
            "type",
            "properties",
            "items",
            "nullable",
        ]
        .iter()
        .any(|k| map.contains_key(*k))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::contract::fixtures::contracts;
    use crate::contract::typescript::identifiers::Names;

    /// A definition as rendered in the file.
    fn definition(name: &str, schema: Value) -> String {
        let c = contracts(&[("Inner", json!({})), (name, schema.clone())]);
        let names = Names::assign(&c);
        let types = Types::new(&names, &c.definitions);
        let mut w = Writer::default();
        types.definition(&mut w, &names.definitions[name], &schema);
        w.finish()
    }

    #[test]
    fn interfaces_carry_descriptions_and_validation_tags() {
        let text = definition(
            "SendMessage",
            json!({
                "description": "A message.\n\nSent by clients */ with care.",
                "type": "object",
                "properties": {
                    "text": {
                        "description": "The text.",
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 500,
                        "pattern": "^\\S",
                    },
                    "inner": { "allOf": [{ "$ref": "#/definitions/Inner" }], "deprecated": true },
                    "stars": { "type": "integer", "minimum": 1, "exclusiveMaximum": 6, "default": 3 },
                },
                "required": ["text", "inner"],
            }),
        );
        assert_eq!(
            text,
            "/**
 * A message.
 *
 * Sent by clients *\\/ with care.
 */
export interface SendMessage {
  /** @deprecated */
  inner: Inner;
  /**
   * @minimum 1
   * @exclusiveMaximum 6
   * @default 3
   */
  stars?: number;
  /**
   * The text.
   *
   * @pattern ^\\S
   * @minLength 1
   * @maxLength 500
   */
  text: string;
}

"
        );
    }

    #[test]
    fn externally_tagged_enums_list_their_documented_variants() {
        let text = definition(
            "Client",
            json!({
                "description": "Which client.",
                "oneOf": [
                    { "const": "web", "type": "string", "description": "A browser." },
                    {
                        "type": "object",
                        "description": "A phone app.",
                        "properties": {
                            "mobile": {
                                "type": "object",
                                "properties": { "version": { "type": "string" } },
                                "required": ["version"],
                            },
                        },
                        "required": ["mobile"],
                        "additionalProperties": false,
                    },
                ],
            }),
        );
        assert_eq!(
            text,
            "/** Which client. */
export type Client =
  /** A browser. */
  | \"web\"
  /** A phone app. */
  | {
      mobile: {
        version: string;
      };
    };

"
        );
        // Without docs or nested objects, on one line.
        assert_eq!(
            definition(
                "Color",
                json!({ "oneOf": [{ "const": "red" }, { "const": "blue" }] })
            ),
            "export type Color = \"red\" | \"blue\";\n\n"
        );
        assert_eq!(
            definition(
                "Id",
                json!({ "type": "string", "minLength": 1, "description": "An id." })
            ),
            "/**\n * An id.\n *\n * @minLength 1\n */\nexport type Id = string;\n\n"
        );
    }
}

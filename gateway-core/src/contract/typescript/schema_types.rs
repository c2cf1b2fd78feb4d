//! JSON Schema as TypeScript type expressions: [`Types`], with the names chosen for the
//! definitions, renders a schema (objects, arrays and tuples, maps, unions and
//! intersections, literals, references) as the type a value of it has.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::identifiers::{Names, property_key};
use super::jsdoc::Doc;
use super::type_expr::{Prec, Ty, array_of, intersection, union};
use super::writer::{INDENT, Writer};
use crate::contract::schema_ref::{DEFINITIONS, DEFS, definition_ref};

/// Renders schemas and events as TypeScript, with the names chosen for the definitions.
/// Its methods are grouped by what they render: schemas as types here, definitions as
/// declarations in `declarations`, event interfaces in `events`.
pub(super) struct Types<'a> {
    names: &'a Names,
    definitions: &'a BTreeMap<String, Value>,
}

impl<'a> Types<'a> {
    /// Renders with the names chosen for `definitions`.
    pub(super) fn new(names: &'a Names, definitions: &'a BTreeMap<String, Value>) -> Self {
        Self { names, definitions }
    }

    /// The schema a `#/definitions/Name` reference points to.
    pub(super) fn definition_of(&self, target: &str) -> Option<&'a Value> {
        self.definitions.get(&definition_key(target)?)
    }

    /// The lines of an object's properties (and index signature) at `depth`.
    pub(super) fn members(&self, w: &mut Writer, map: &Map<String, Value>, depth: usize) {
        let required: BTreeSet<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if let Some(properties) = map.get("properties").and_then(Value::as_object) {
            for (key, schema) in properties {
                w.doc(depth, &Doc::of_schema(schema));
                let optional = if required.contains(key.as_str()) {
                    ""
                } else {
                    "?"
                };
                let ty = self.ty(schema, depth);
                w.line(
                    depth,
                    &format!("{}{optional}: {};", property_key(key), ty.text),
                );
            }
        }
        if self.additional_properties(map, depth).is_some() {
            w.line(depth, "[key: string]: unknown;");
        }
    }

    /// The type of the values of properties beyond `properties`, if any are allowed:
    /// `additionalProperties` (absent means none is declared) and `patternProperties`.
    fn additional_properties(&self, map: &Map<String, Value>, depth: usize) -> Option<Ty> {
        let mut values = Vec::new();
        match map.get("additionalProperties") {
            None | Some(Value::Bool(false)) => {}
            Some(schema) => values.push(self.ty(schema, depth)),
        }
        if let Some(patterns) = map.get("patternProperties").and_then(Value::as_object) {
            values.extend(patterns.values().map(|schema| self.ty(schema, depth)));
        }
        (!values.is_empty()).then(|| union(values))
    }

    /// A schema as a type expression; object literals inside it are laid out for `depth`.
    pub(super) fn ty(&self, schema: &Value, depth: usize) -> Ty {
        match schema {
            Value::Bool(false) => Ty::atom("never"),
            Value::Object(map) => self.object_schema(map, depth),
            _ => Ty::unknown(),
        }
    }

    fn object_schema(&self, map: &Map<String, Value>, depth: usize) -> Ty {
        // Draft-07: keywords next to a `$ref` are ignored.
        if let Some(target) = map.get("$ref").and_then(Value::as_str) {
            return self.reference(target);
        }
        let types = types_of(map);
        let nullable = types.contains(&"null") || map.get("nullable") == Some(&Value::Bool(true));
        let with_null = |ty: Ty| {
            if nullable {
                union([ty, Ty::null()])
            } else {
                ty
            }
        };
        if let Some(value) = map.get("const") {
            return with_null(literal(value));
        }
        if let Some(values) = map.get("enum").and_then(Value::as_array) {
            return with_null(union(values.iter().map(literal)));
        }

        let mut parts = Vec::new();
        if let Some(members) = map.get("allOf").and_then(Value::as_array) {
            parts.extend(members.iter().map(|m| self.ty(m, depth)));
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(members) = map.get(keyword).and_then(Value::as_array) {
                parts.push(union(members.iter().map(|m| self.ty(m, depth))));
            }
        }
        // Next to a composition, `type` adds only what it says beyond "an object" or "a
        // string": the members say more.
        if parts.is_empty() || has_structure(map) {
            let core: Vec<Ty> = types
                .iter()
                .map(|ty| self.of_type(ty, map, depth))
                .collect();
            if !core.is_empty() {
                parts.push(union(core));
            }
        } else if nullable {
            return union([intersection(parts), Ty::null()]);
        }
        if parts.is_empty() {
            return Ty::unknown();
        }
        with_null(intersection(parts))
    }

    fn of_type(&self, ty: &str, map: &Map<String, Value>, depth: usize) -> Ty {
        match ty {
            "string" => Ty::atom("string"),
            "integer" | "number" => Ty::atom("number"),
            "boolean" => Ty::atom("boolean"),
            "null" => Ty::null(),
            "array" => self.array(map, depth),
            "object" => self.object(map, depth),
            _ => Ty::unknown(),
        }
    }

    fn array(&self, map: &Map<String, Value>, depth: usize) -> Ty {
        let tuple = map
            .get("prefixItems")
            .or_else(|| map.get("items"))
            .and_then(Value::as_array);
        if let Some(items) = tuple {
            return self.tuple(items, map, depth);
        }
        match map.get("items") {
            Some(item) => array_of(&self.ty(item, depth)),
            None => Ty::atom("unknown[]"),
        }
    }

    /// `[A, B]`; elements from `minItems` on are optional; more elements are a rest
    /// element unless `maxItems` or `additionalItems: false` forbid them.
    fn tuple(&self, items: &[Value], map: &Map<String, Value>, depth: usize) -> Ty {
        let count = |key: &str| map.get(key).and_then(Value::as_u64);
        let min = count("minItems").unwrap_or(0);
        let max = count("maxItems");
        let mut elements = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if max.is_some_and(|max| i as u64 >= max) {
                break;
            }
            let ty = self.ty(item, depth);
            if (i as u64) < min {
                elements.push(ty.text);
            } else {
                elements.push(format!("{}?", ty.at(Prec::Atom)));
            }
        }
        let closed = max.is_some_and(|max| max <= items.len() as u64)
            || map.get("additionalItems") == Some(&Value::Bool(false))
            || map.get("items") == Some(&Value::Bool(false));
        if !closed {
            let rest = match map.get("additionalItems") {
                Some(schema) => self.ty(schema, depth),
                None => Ty::unknown(),
            };
            elements.push(format!("...{}", array_of(&rest).text));
        }
        Ty::atom(format!("[{}]", elements.join(", ")))
    }

    fn object(&self, map: &Map<String, Value>, depth: usize) -> Ty {
        let has_properties = map
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
        if has_properties {
            let mut w = Writer::default();
            self.members(&mut w, map, depth + 1);
            return Ty::atom(format!("{{\n{}{}}}", w.finish(), INDENT.repeat(depth)));
        }
        match self.additional_properties(map, depth) {
            Some(values) => Ty::atom(format!("Record<string, {}>", values.text)),
            None if map.get("additionalProperties") == Some(&Value::Bool(false)) => {
                Ty::atom("Record<string, never>")
            }
            None => Ty::atom("Record<string, unknown>"),
        }
    }

    /// The type a `#/definitions/Name` (or `#/$defs/Name`) reference names; `unknown` for
    /// anything else.
    fn reference(&self, target: &str) -> Ty {
        let name = definition_key(target).and_then(|key| self.names.definitions.get(&key));
        match name {
            Some(name) => Ty::atom(name.clone()),
            None => Ty::unknown(),
        }
    }
}

/// The schema's `type`, as a list; `object` or `array` when absent but implied by
/// `properties` or `items`.
fn types_of(map: &Map<String, Value>) -> Vec<&str> {
    match map.get("type") {
        Some(Value::String(ty)) => vec![ty.as_str()],
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect(),
        _ if ["properties", "additionalProperties", "patternProperties"]
            .iter()
            .any(|k| map.contains_key(*k)) =>
        {
            vec!["object"]
        }
        _ if ["items", "prefixItems"]
            .iter()
            .any(|k| map.contains_key(*k)) =>
        {
            vec!["array"]
        }
        _ => Vec::new(),
    }
}

/// Whether `type` says more than the composition keywords next to it: properties or items.
fn has_structure(map: &Map<String, Value>) -> bool {
    [
        "properties",
        "additionalProperties",
        "patternProperties",
        "items",
        "prefixItems",
    ]
    .iter()
    .any(|k| map.contains_key(*k))
}

/// A JSON value as a literal type: `"web"`, `1`, `true`, `null`, `[1, 2]`, `{ a: 1 }`.
fn literal(value: &Value) -> Ty {
    match value {
        Value::Array(items) => Ty::atom(format!(
            "[{}]",
            items
                .iter()
                .map(|v| literal(v).text)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Value::Object(map) if map.is_empty() => Ty::atom("Record<string, never>"),
        Value::Object(map) => Ty::atom(format!(
            "{{ {} }}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", property_key(k), literal(v).text))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        scalar => Ty::atom(scalar.to_string()),
    }
}

/// The definition a `#/definitions/Name` (or `#/$defs/Name`) reference names.
fn definition_key(target: &str) -> Option<String> {
    definition_ref(target, &[DEFINITIONS, DEFS])
        .filter(|(_, rest)| rest.is_empty())
        .map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::contract::fixtures::contracts;

    /// A schema rendered as a type, with `Inner` and `Page<Message>` defined.
    fn ty(schema: Value) -> String {
        let c = contracts(&[("Inner", json!({})), ("Page<Message>", json!({}))]);
        let names = Names::assign(&c);
        Types::new(&names, &c.definitions).ty(&schema, 0).text
    }

    #[test]
    fn primitives_and_schemas_without_a_type() {
        assert_eq!(ty(json!({ "type": "string" })), "string");
        assert_eq!(
            ty(json!({ "type": "integer", "format": "uint8" })),
            "number"
        );
        assert_eq!(ty(json!({ "type": "number" })), "number");
        assert_eq!(ty(json!({ "type": "boolean" })), "boolean");
        assert_eq!(ty(json!({ "type": "null" })), "null");
        assert_eq!(ty(json!(true)), "unknown");
        assert_eq!(ty(json!({})), "unknown");
        assert_eq!(ty(json!({ "description": "anything" })), "unknown");
        assert_eq!(ty(json!(false)), "never");
    }

    #[test]
    fn nullable_types_enums_and_consts() {
        assert_eq!(ty(json!({ "type": ["string", "null"] })), "string | null");
        assert_eq!(
            ty(json!({ "type": ["integer", "null"], "format": "uint64" })),
            "number | null"
        );
        assert_eq!(
            ty(json!({ "type": "string", "nullable": true })),
            "string | null"
        );
        assert_eq!(
            ty(json!({ "type": "string", "enum": ["Red", "Green"] })),
            "\"Red\" | \"Green\""
        );
        assert_eq!(
            ty(json!({ "type": ["string", "null"], "enum": ["a", null] })),
            "\"a\" | null"
        );
        assert_eq!(ty(json!({ "const": "web", "type": "string" })), "\"web\"");
        assert_eq!(ty(json!({ "const": 3 })), "3");
        assert_eq!(
            ty(json!({ "const": { "a": [1, true], "b-c": null } })),
            "{ a: [1, true]; \"b-c\": null }"
        );
    }

    #[test]
    fn refs_any_of_with_null_and_compositions() {
        assert_eq!(ty(json!({ "$ref": "#/definitions/Inner" })), "Inner");
        assert_eq!(
            ty(json!({ "anyOf": [{ "$ref": "#/definitions/Inner" }, { "type": "null" }] })),
            "Inner | null"
        );
        // A property's doc next to its type: schemars wraps the `$ref` in `allOf`.
        assert_eq!(
            ty(json!({ "allOf": [{ "$ref": "#/definitions/Inner" }], "description": "x" })),
            "Inner"
        );
        // Percent-encoded and sanitised names.
        assert_eq!(
            ty(json!({ "$ref": "#/definitions/Page%3CMessage%3E" })),
            "PageMessage"
        );
        // References that point nowhere known.
        assert_eq!(ty(json!({ "$ref": "#/definitions/Missing" })), "unknown");
        assert_eq!(
            ty(json!({ "$ref": "#/definitions/Inner/properties/x" })),
            "unknown"
        );
        assert_eq!(
            ty(json!({ "$ref": "https://example.com/x.json" })),
            "unknown"
        );
        // Untagged enums.
        assert_eq!(
            ty(json!({ "anyOf": [{ "type": "integer" }, { "type": "string" }] })),
            "number | string"
        );
        // Unions inside intersections and arrays are parenthesised.
        assert_eq!(
            ty(json!({
                "allOf": [{ "$ref": "#/definitions/Inner" }],
                "oneOf": [{ "const": "a" }, { "const": "b" }],
            })),
            "Inner & (\"a\" | \"b\")"
        );
        assert_eq!(
            ty(json!({ "type": "array", "items": { "type": ["string", "null"] } })),
            "(string | null)[]"
        );
        // `type` next to a composition adds nothing when the members say more...
        assert_eq!(
            ty(json!({ "type": "string", "oneOf": [{ "const": "a" }, { "const": "b" }] })),
            "\"a\" | \"b\""
        );
        // ...but its `null` stays.
        assert_eq!(
            ty(json!({ "type": ["object", "null"], "oneOf": [{ "$ref": "#/definitions/Inner" }] })),
            "Inner | null"
        );
    }

    #[test]
    fn internally_tagged_variants_intersect_the_tag_with_the_variant() {
        assert_eq!(
            ty(json!({
                "allOf": [{ "$ref": "#/definitions/Inner" }],
                "properties": { "type": { "const": "B", "type": "string" } },
                "required": ["type"],
                "type": "object",
            })),
            "Inner & {\n  type: \"B\";\n}"
        );
    }

    #[test]
    fn arrays_and_tuples() {
        assert_eq!(
            ty(json!({ "type": "array", "items": { "type": "string" } })),
            "string[]"
        );
        assert_eq!(ty(json!({ "type": "array" })), "unknown[]");
        // `(u8, String)`.
        assert_eq!(
            ty(json!({
                "type": "array",
                "items": [{ "type": "integer" }, { "type": "string" }],
                "minItems": 2,
                "maxItems": 2,
            })),
            "[number, string]"
        );
        // Trailing elements past `minItems` are optional; unions are parenthesised there.
        assert_eq!(
            ty(json!({
                "type": "array",
                "items": [{ "type": "integer" }, { "type": ["string", "null"] }],
                "minItems": 1,
                "maxItems": 2,
            })),
            "[number, (string | null)?]"
        );
        // Without a bound, more elements may follow.
        assert_eq!(
            ty(json!({ "type": "array", "items": [{ "type": "integer" }], "minItems": 1 })),
            "[number, ...unknown[]]"
        );
        assert_eq!(
            ty(json!({
                "type": "array",
                "items": [{ "type": "integer" }],
                "minItems": 1,
                "additionalItems": { "type": "string" },
            })),
            "[number, ...string[]]"
        );
        assert_eq!(
            ty(json!({ "type": "array", "items": [], "maxItems": 0 })),
            "[]"
        );
    }

    #[test]
    fn maps_and_objects() {
        // `HashMap<String, Inner>`.
        assert_eq!(
            ty(
                json!({ "type": "object", "additionalProperties": { "$ref": "#/definitions/Inner" } })
            ),
            "Record<string, Inner>"
        );
        // `BTreeMap<u32, i64>`: digit keys.
        assert_eq!(
            ty(json!({
                "type": "object",
                "additionalProperties": false,
                "patternProperties": { "^\\d+$": { "type": "integer" } },
            })),
            "Record<string, number>"
        );
        assert_eq!(ty(json!({ "type": "object" })), "Record<string, unknown>");
        assert_eq!(
            ty(json!({ "type": "object", "additionalProperties": false })),
            "Record<string, never>"
        );
        // Properties: optional unless required, quoted unless identifiers; other properties
        // are `unknown` (a typed index signature would have to fit every property).
        assert_eq!(
            ty(json!({
                "type": "object",
                "properties": {
                    "id": { "type": "integer" },
                    "display-name": { "type": ["string", "null"], "description": "Shown." },
                },
                "required": ["id"],
                "additionalProperties": { "type": "boolean" },
            })),
            "{\n  /** Shown. */\n  \"display-name\"?: string | null;\n  id: number;\n  [key: string]: unknown;\n}"
        );
    }
}

//! `events.ts`: the contracts as TypeScript declarations for `socket.io-client` v4.
//!
//! The file holds, in this order: a few common types (`Ack`, `WsError`, `Binary`, ...), one
//! exported type per JSON Schema definition, a `<Prefix>ClientToServerEvents` and a
//! `<Prefix>ServerToClientEvents` interface per namespace, and a `Namespaces` map of them.
//! A client types its socket with the namespace's pair:
//!
//! ```ts
//! const socket: Socket<ChatServerToClientEvents, ChatClientToServerEvents> = io(url + "/chat");
//! ```
//!
//! Choices the generated types make (the file's header repeats the ones users meet):
//!
//! - **Ack callbacks.** socket.io-client's `emitWithAck` finds the ack's type as the *last*
//!   parameter of the event's signature (`Last<Parameters<...>>`), which does not match when
//!   that parameter is optional: `emitWithAck` then resolves to `any`. So the ack parameter
//!   is required when the handler returns data, and optional only when it returns nothing
//!   (ack data `null`), where `socket.emit("typing", room)` without a callback is the normal
//!   use and little typing is lost.
//! - **Rest arguments** (`Args`): a typed parameter cannot follow a rest parameter, so the
//!   event takes `...args: [...args: unknown[], ack: ...]`, a tuple whose last element is the
//!   ack (which keeps `emitWithAck` typed), or plain `...args: unknown[]` when the ack is
//!   optional.
//! - **Binary**: what a client sends is `Binary` (`ArrayBuffer | ArrayBufferView`, what
//!   socket.io-parser detects as an attachment: Node `Buffer`s, typed arrays, `DataView`s);
//!   what it receives is `ReceivedBinary` (`ArrayBuffer` in browsers, `Buffer`, a
//!   `Uint8Array`, in Node), narrower and so easier to use. `Blob` is left out: naming it
//!   would need the DOM or Node type libraries.
//! - **Names.** Definition names that are valid identifiers are kept (they match the
//!   AsyncAPI document's schema names); others are made into one, and a name that is taken
//!   (a TypeScript keyword, a global the file uses, a common type, an earlier name) gets a
//!   `2`, `3`, ... suffix. Namespace prefixes are the path in PascalCase (`/admin/users` →
//!   `AdminUsers`, `/` → `Root`), suffixed the same way if an interface name is taken.
//! - **Schemas.** Objects with properties become interfaces (optional `?` for properties
//!   not `required`; other properties, when allowed, an `unknown` index signature, since a
//!   typed one would have to cover every declared property); maps become `Record<string, T>`;
//!   `oneOf`/`anyOf` unions, `allOf` intersections; `type: [.., "null"]` adds `| null`;
//!   integers are `number`; anything without a type is `unknown`. Descriptions become
//!   JSDoc, and validation keywords JSDoc tags (`@maxLength 500`).
//!
//! The output depends only on the contracts, whose maps are sorted: it is deterministic.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{ClientEvent, Contracts, NamespaceContract, ServerEventContract, Shape};
use crate::ack::AckMode;
use crate::error::code;

/// Lines longer than this put one parameter per line.
const MAX_WIDTH: usize = 100;

/// One level of indentation.
const INDENT: &str = "  ";

/// The codes any failing envelope ack can carry, in the order the guide lists them, with
/// what they mean.
const FRAMEWORK_CODES: [(&str, &str); 8] = [
    (code::BAD_PAYLOAD, "the payload could not be decoded"),
    (
        code::VALIDATION_FAILED,
        "the payload failed validation; `details` holds the failing fields",
    ),
    (code::UNAUTHORIZED, "the client is not authenticated"),
    (code::FORBIDDEN, "the client may not do this"),
    (
        code::RATE_LIMITED,
        "too many events; `details.retry_after_ms` says when to retry",
    ),
    (code::NOT_FOUND, "no such event or resource"),
    (code::INTERNAL, "the handler failed unexpectedly"),
    (
        code::UNAVAILABLE,
        "the server is shutting down; retry after reconnecting",
    ),
];

/// The event the server reports failures with (DESIGN §2.1).
const EXCEPTION_EVENT: &str = "exception";

/// The common types the file declares before anything else.
const COMMON_TYPES: [&str; 9] = [
    "WsErrorCode",
    "WsError",
    "Ack",
    "AckOf",
    "NestJsError",
    "NestJsAck",
    "WsException",
    "Binary",
    "ReceivedBinary",
];

/// The map of every namespace, declared last.
const NAMESPACES_MAP: &str = "Namespaces";

/// Globals the file refers to: a type of the same name would shadow them.
const USED_GLOBALS: [&str; 6] = [
    "ArrayBuffer",
    "ArrayBufferView",
    "Extract",
    "Parameters",
    "Record",
    "Uint8Array",
];

/// Words that cannot name a type or a parameter: reserved words (strict mode), contextual
/// keywords and the predefined type names.
const RESERVED_WORDS: &str = "\
     abstract any arguments as asserts async await bigint boolean break case catch class \
     const continue debugger declare default delete do else enum eval export extends false \
     finally for from function get global if implements import in infer instanceof interface \
     is keyof let module namespace never new null number object of package private protected \
     public readonly return satisfies set static string super switch symbol this throw true \
     try type typeof undefined unique unknown var void while with yield";

pub(super) fn render(contracts: &Contracts) -> String {
    let names = Names::assign(contracts);
    let types = Types {
        names: &names,
        definitions: &contracts.definitions,
    };
    let mut w = Writer::default();
    header(&mut w, contracts, &names);
    common_types(&mut w);
    for (key, schema) in &contracts.definitions {
        types.definition(&mut w, &names.definitions[key], schema);
    }
    for (path, namespace) in &contracts.namespaces {
        let prefix = &names.namespaces[path];
        types.client_to_server(&mut w, prefix, path, namespace);
        types.server_to_client(&mut w, prefix, path, namespace);
    }
    namespaces_map(&mut w, contracts, &names);
    w.finish()
}

fn header(w: &mut Writer, contracts: &Contracts, names: &Names) {
    let info = &contracts.info;
    let title = format!("{} {}", info.title, info.version).replace(['\r', '\n'], " ");
    let mut lines = vec![
        format!("events.ts: the Socket.IO events of {title}, for socket.io-client v4."),
        "Generated from the server's #[gateway] declarations: do not edit it, regenerate it".into(),
        "by running the server with `--export-contracts DIR` (writes DIR/events.ts).".into(),
    ];
    if let Some((path, prefix)) = names.namespaces.iter().next() {
        let (c2s, s2c) = (
            format!("{prefix}ClientToServerEvents"),
            format!("{prefix}ServerToClientEvents"),
        );
        lines.extend([
            String::new(),
            "  import { io, type Socket } from \"socket.io-client\";".into(),
            format!("  import type {{ {c2s}, {s2c} }} from \"./events\";"),
            format!(
                "  const socket: Socket<{s2c}, {c2s}> = io(url + {});",
                js_string(path)
            ),
        ]);
    }
    lines.extend(
        [
            "",
            "Every emit that passes an ack callback (or uses `emitWithAck`) gets exactly one ack:",
            "`Ack<T>` (narrow it with `ok`), or `NestJsAck<T>` for `ack = \"nestjs\"` gateways. An",
            "event whose handler returns data requires the callback, so `emitWithAck` resolves to",
            "the typed ack; one whose handler returns nothing (`data: null`) makes it optional, so",
            "`socket.emit(event, ...args)` needs none (its `emitWithAck` is then untyped:",
            "socket.io-client cannot see an optional last parameter). `socket.timeout(ms)`",
            "makes `emitWithAck` untyped for every event: annotate it with `AckOf<Events, \"event\">`.",
        ]
        .map(String::from),
    );
    for line in lines {
        w.line(0, format!("// {line}").trim_end());
    }
    w.blank();
}

fn common_types(w: &mut Writer) {
    let mut doc = Doc::default();
    doc.push("The framework's error codes, which any event's failing ack can carry:");
    for (code, meaning) in FRAMEWORK_CODES {
        doc.push(&format!("- `{code}`: {meaning}."));
    }
    doc.push("");
    doc.push("An event's own codes come on top: `WsErrorCode | \"not_member\"`.");
    w.doc(0, &doc);
    w.line(0, "export type WsErrorCode =");
    let last = FRAMEWORK_CODES.len() - 1;
    for (i, (code, _)) in FRAMEWORK_CODES.iter().enumerate() {
        let end = if i == last { ";" } else { "" };
        w.line(1, &format!("| {}{end}", js_string(code)));
    }
    w.blank();
    w.raw(
        r#"/** A failure as an envelope ack carries it. */
export interface WsError<Code extends string = WsErrorCode> {
  /** Stable, snake_case: one of the event's codes. */
  code: Code;
  /** For humans; never echoes the client's input. */
  message: string;
  /** Structured details, for some codes (`validation_failed`: the failing fields). */
  details?: unknown;
}

/**
 * An ack in the default ("envelope") mode: narrow it with `ok`.
 *
 * ```ts
 * const res = await socket.emitWithAck("send-message", msg);
 * if (res.ok) show(res.data);
 * else if (res.error.code === "validation_failed") highlight(res.error.details);
 * ```
 */
export type Ack<T, Code extends string = WsErrorCode> =
  | { ok: true; data: T }
  | { ok: false; error: WsError<Code> };

/**
 * The ack an event's callback receives, `AckOf<ChatClientToServerEvents, "send-message">`:
 * to annotate `await socket.timeout(ms).emitWithAck(...)`, which socket.io-client types as
 * `any`.
 */
export type AckOf<Events, Event extends keyof Events> = Events[Event] extends (
  ...args: infer Args
) => void
  ? Parameters<
      Extract<Args extends [...unknown[], infer Last] ? Last : Args[number], (res: never) => void>
    >[0]
  : never;

/** A failure of a NestJS-mode (`ack = "nestjs"`) event: its ack, and the `exception` event. */
export interface NestJsError {
  status: "error";
  message: string;
}

/** An ack in NestJS-compatible mode: the bare value on success, `NestJsError` on failure. */
export type NestJsAck<T> = T | NestJsError;

/** The `exception` event in envelope mode: an event emitted without an ack failed. */
export interface WsException<Code extends string = WsErrorCode> {
  /** The event that failed. */
  event: string;
  error: WsError<Code>;
}

/**
 * Binary data a client sends as an attachment: an `ArrayBuffer`, or a view of one (Node
 * `Buffer`, `Uint8Array` and the other typed arrays, `DataView`).
 */
export type Binary = ArrayBuffer | ArrayBufferView;

/**
 * Binary data as a client receives it: an `ArrayBuffer` in browsers, a `Buffer` (a
 * `Uint8Array`) in Node (or a `Blob` if you set the browser socket's `binaryType` to "blob").
 */
export type ReceivedBinary = ArrayBuffer | Uint8Array;

"#,
    );
}

fn namespaces_map(w: &mut Writer, contracts: &Contracts, names: &Names) {
    if contracts.namespaces.is_empty() {
        return;
    }
    let mut doc = Doc::default();
    doc.push("Every namespace's event maps, by path:");
    doc.push(
        "`Socket<Namespaces[\"/x\"][\"serverToClient\"], Namespaces[\"/x\"][\"clientToServer\"]>`.",
    );
    w.doc(0, &doc);
    w.line(0, &format!("export interface {NAMESPACES_MAP} {{"));
    for path in contracts.namespaces.keys() {
        let prefix = &names.namespaces[path];
        w.line(1, &format!("{}: {{", js_string(path)));
        w.line(2, &format!("clientToServer: {prefix}ClientToServerEvents;"));
        w.line(2, &format!("serverToClient: {prefix}ServerToClientEvents;"));
        w.line(1, "};");
    }
    w.line(0, "}");
}

/// The TypeScript names of the definitions and namespaces, chosen once, collision-free.
struct Names {
    /// Definition key → type name.
    definitions: BTreeMap<String, String>,
    /// Namespace path → prefix of its two interfaces.
    namespaces: BTreeMap<&'static str, String>,
}

impl Names {
    fn assign(contracts: &Contracts) -> Self {
        let mut taken: BTreeSet<String> = RESERVED_WORDS
            .split_whitespace()
            .chain(USED_GLOBALS)
            .chain(COMMON_TYPES)
            .chain([NAMESPACES_MAP])
            .map(str::to_owned)
            .collect();
        let definitions = contracts
            .definitions
            .keys()
            .map(|key| {
                let name = unique(&mut taken, &type_name(key), |n| vec![n.to_owned()]);
                (key.clone(), name)
            })
            .collect();
        let namespaces = contracts
            .namespaces
            .keys()
            .map(|path| {
                let prefix = unique(&mut taken, &namespace_prefix(path), |p| {
                    vec![
                        format!("{p}ClientToServerEvents"),
                        format!("{p}ServerToClientEvents"),
                    ]
                });
                (*path, prefix)
            })
            .collect();
        Self {
            definitions,
            namespaces,
        }
    }
}

/// `base`, or `base2`, `base3`, ...: the first whose `uses` are all free; marks them taken.
fn unique(taken: &mut BTreeSet<String>, base: &str, uses: impl Fn(&str) -> Vec<String>) -> String {
    let free = |candidate: &str, taken: &BTreeSet<String>| {
        uses(candidate).iter().all(|name| !taken.contains(name))
    };
    let name = if free(base, taken) {
        base.to_owned()
    } else {
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|candidate| free(candidate, taken))
            .unwrap_or_default()
    };
    taken.extend(uses(&name));
    name
}

/// A definition's name as a TypeScript identifier: kept if it is one, else its
/// alphanumeric runs in PascalCase (`Page<Message>` → `PageMessage`).
fn type_name(key: &str) -> String {
    if is_identifier(key) {
        return key.to_owned();
    }
    let name = pascal_case(key);
    match name.chars().next() {
        None => "Type".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("T{name}"),
        Some(_) => name,
    }
}

/// The prefix of a namespace's interfaces: its path in PascalCase, `Root` for `/`.
fn namespace_prefix(path: &str) -> String {
    let name = pascal_case(path);
    match name.chars().next() {
        None => "Root".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("Ns{name}"),
        Some(_) => name,
    }
}

/// The ASCII alphanumeric runs of `raw`, each with its first letter upper-cased, joined.
fn pascal_case(raw: &str) -> String {
    raw.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `[A-Za-z_$][A-Za-z0-9_$]*` (ASCII only, to stay clear of Unicode identifier rules).
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

fn is_reserved(word: &str) -> bool {
    RESERVED_WORDS
        .split_whitespace()
        .any(|reserved| reserved == word)
}

/// A handler's parameter names as TypeScript parameter names, unique within one signature.
#[derive(Default)]
struct ParamNames(BTreeSet<String>);

impl ParamNames {
    /// `raw` if it is an identifier, else its alphanumeric runs joined with `_`, else
    /// `arg<position>`; `_`-suffixed if reserved, number-suffixed if taken.
    fn take(&mut self, raw: &str, position: usize) -> String {
        let raw = raw.strip_prefix("r#").unwrap_or(raw);
        let mut name = if is_identifier(raw) {
            raw.to_owned()
        } else {
            raw.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
                .join("_")
        };
        if !is_identifier(&name) {
            name = format!("arg{position}");
        }
        if is_reserved(&name) {
            name.push('_');
        }
        unique(&mut self.0, &name, |n| vec![n.to_owned()])
    }
}

/// Renders schemas and events as TypeScript, with the names chosen for the definitions.
struct Types<'a> {
    names: &'a Names,
    definitions: &'a BTreeMap<String, Value>,
}

impl Types<'_> {
    /// `export interface Name { ... }` for an object with properties, else
    /// `export type Name = ...;`.
    fn definition(&self, w: &mut Writer, name: &str, schema: &Value) {
        w.doc(0, &Doc::of_schema(schema));
        match schema.as_object() {
            Some(map) if is_plain_object(map) => {
                w.line(0, &format!("export interface {name} {{"));
                self.members(w, map, 1);
                w.line(0, "}");
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

    /// The lines of an object's properties (and index signature) at `depth`.
    fn members(&self, w: &mut Writer, map: &Map<String, Value>, depth: usize) {
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
    fn ty(&self, schema: &Value, depth: usize) -> Ty {
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

    /// A payload a client sends.
    fn sent(&self, shape: &Shape, depth: usize) -> Ty {
        match shape {
            Shape::Binary => Ty::atom("Binary"),
            other => self.received(other, depth),
        }
    }

    /// A payload a client receives (ack data, server event).
    fn received(&self, shape: &Shape, depth: usize) -> Ty {
        match shape {
            Shape::Json(schema) => self.ty(schema, depth),
            Shape::Binary => Ty::atom("ReceivedBinary"),
            Shape::Rest => Ty::atom("unknown[]"),
            Shape::Unknown(type_name) => {
                Ty::atom(format!("unknown /* {type_name}: no JsonSchema */"))
            }
        }
    }

    fn client_to_server(&self, w: &mut Writer, prefix: &str, path: &str, ns: &NamespaceContract) {
        w.doc(
            0,
            &Doc::text(&format!("Events a client emits on `{path}`.")),
        );
        w.line(
            0,
            &format!("export interface {prefix}ClientToServerEvents {{"),
        );
        for event in ns.client_events.values() {
            self.client_event(w, event);
        }
        w.line(0, "}");
        w.blank();
    }

    fn client_event(&self, w: &mut Writer, event: &ClientEvent) {
        let depth = 1;
        let mut doc = event.doc.as_deref().map(Doc::text).unwrap_or_default();
        let mut param_docs = Vec::new();
        let mut names = ParamNames::default();
        let mut params = Vec::new();
        let mut rest = None;
        for (position, (name, shape)) in event.args.iter().enumerate() {
            if *shape == Shape::Rest {
                rest = Some(names.take(name, position));
                break;
            }
            let ident = names.take(name, position);
            if let Shape::Json(schema) = shape
                && schema.get("$ref").is_none()
            {
                let arg_doc = Doc::of_schema(schema).inline();
                if !arg_doc.is_empty() {
                    param_docs.push(format!("@param {ident} {arg_doc}"));
                }
            }
            params.push(format!("{ident}: {}", self.sent(shape, depth + 1).text));
        }
        // Optional only without data: see the module docs.
        let optional = event.ack == Shape::null();
        let callback = self.ack_callback(event, depth + 1);
        let ack = names.take("ack", event.args.len());
        match (rest, optional) {
            (Some(rest), true) => params.push(format!("...{rest}: unknown[]")),
            (Some(rest), false) => {
                params.push(format!(
                    "...{rest}: [...{rest}: unknown[], {ack}: {callback}]"
                ));
            }
            (None, true) => params.push(format!("{ack}?: {callback}")),
            (None, false) => params.push(format!("{ack}: {callback}")),
        }
        if !param_docs.is_empty() {
            if !doc.is_empty() {
                doc.push("");
            }
            for line in &param_docs {
                doc.push(line);
            }
        }
        w.doc(depth, &doc);
        signature(w, depth, &format!("{}: ", js_string(event.name)), &params);
    }

    /// `(res: Ack<Data, Codes>) => void`, or its NestJS-mode equivalent.
    fn ack_callback(&self, event: &ClientEvent, depth: usize) -> String {
        match (event.ack_mode, &event.ack) {
            (AckMode::NestJs, Shape::Rest) => "(...res: unknown[]) => void".to_owned(),
            (AckMode::NestJs, data) => {
                format!(
                    "(res: NestJsAck<{}>) => void",
                    self.received(data, depth).text
                )
            }
            (AckMode::Envelope, data) => {
                let data = self.received(data, depth).text;
                if event.error_codes.is_empty() {
                    format!("(res: Ack<{data}>) => void")
                } else {
                    format!(
                        "(res: Ack<{data}, {}>) => void",
                        error_codes(&event.error_codes)
                    )
                }
            }
        }
    }

    fn server_to_client(&self, w: &mut Writer, prefix: &str, path: &str, ns: &NamespaceContract) {
        w.doc(
            0,
            &Doc::text(&format!("Events the server emits on `{path}`.")),
        );
        w.line(
            0,
            &format!("export interface {prefix}ServerToClientEvents {{"),
        );
        let exception = self.exception_event(ns);
        let mut events: Vec<(&str, Doc, String)> = ns
            .server_events
            .values()
            .map(|event| {
                let (doc, params) = self.server_event(event);
                (event.name, doc, params)
            })
            .collect();
        if let Some((doc, params)) = exception {
            events.push((EXCEPTION_EVENT, doc, params));
            events.sort_by_key(|(name, _, _)| *name);
        }
        for (name, doc, params) in events {
            w.doc(1, &doc);
            signature(w, 1, &format!("{}: ", js_string(name)), &[params]);
        }
        w.line(0, "}");
        w.blank();
    }

    /// The JSDoc (the payload type's description) and parameter of a server event.
    fn server_event(&self, event: &ServerEventContract) -> (Doc, String) {
        let doc = match &event.payload {
            Shape::Json(schema) => {
                let described = schema
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|target| self.definition_of(target))
                    .unwrap_or(schema);
                Doc::description(described)
            }
            _ => Doc::default(),
        };
        let param = match &event.payload {
            Shape::Rest => "...args: unknown[]".to_owned(),
            payload => format!("payload: {}", self.received(payload, 2).text),
        };
        (doc, param)
    }

    /// The `exception` event, unless the namespace declares its own: NestJS-mode events
    /// always report failures with it; envelope-mode events report failures of emits
    /// without an ack when the app enables `report_exceptions`.
    fn exception_event(&self, ns: &NamespaceContract) -> Option<(Doc, String)> {
        if ns.server_events.contains_key(EXCEPTION_EVENT) {
            return None;
        }
        let envelope: Vec<&ClientEvent> = ns
            .client_events
            .values()
            .filter(|e| e.ack_mode == AckMode::Envelope)
            .collect();
        let nestjs = ns
            .client_events
            .values()
            .any(|e| e.ack_mode == AckMode::NestJs);
        let mut doc = Doc::default();
        let mut payloads = Vec::new();
        if !envelope.is_empty() {
            doc.push("An event emitted without an ack failed (sent only when the app enables");
            doc.push("`report_exceptions`).");
            let codes: BTreeSet<&str> = envelope
                .iter()
                .flat_map(|e| e.error_codes.iter().copied())
                .collect();
            let codes: Vec<&str> = codes.into_iter().collect();
            payloads.push(if codes.is_empty() {
                Ty::atom("WsException")
            } else {
                Ty::atom(format!("WsException<{}>", error_codes(&codes)))
            });
        }
        if nestjs {
            doc.push("A NestJS-mode event failed (sent on every failure, as NestJS does).");
            payloads.push(Ty::atom("NestJsError"));
        }
        if payloads.is_empty() {
            return None;
        }
        Some((doc, format!("payload: {}", union(payloads).text)))
    }

    /// The schema a `#/definitions/Name` reference points to.
    fn definition_of(&self, target: &str) -> Option<&Value> {
        self.definitions.get(&definition_key(target)?)
    }
}

/// `WsErrorCode | "a" | "b"`.
fn error_codes(codes: &[&str]) -> String {
    std::iter::once("WsErrorCode".to_owned())
        .chain(codes.iter().map(|c| js_string(c)))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// `head(a, b) => void;` on one line if it fits, else one parameter per line.
fn signature(w: &mut Writer, depth: usize, head: &str, params: &[String]) {
    let one_line = format!("{head}({}) => void;", params.join(", "));
    if !one_line.contains('\n') && INDENT.len() * depth + one_line.len() <= MAX_WIDTH {
        w.line(depth, &one_line);
        return;
    }
    w.line(depth, &format!("{head}("));
    let last = params.len().saturating_sub(1);
    for (i, param) in params.iter().enumerate() {
        // No trailing comma after the last: TypeScript rejects one after a rest parameter.
        let comma = if i == last { "" } else { "," };
        w.line(depth + 1, &format!("{param}{comma}"));
    }
    w.line(depth, ") => void;");
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

/// A property name: bare if it is an identifier, else a string literal.
fn property_key(key: &str) -> String {
    if is_identifier(key) {
        key.to_owned()
    } else {
        js_string(key)
    }
}

/// A string literal (JSON's escapes are JavaScript's).
fn js_string(value: &str) -> String {
    Value::String(value.to_owned()).to_string()
}

/// The definition a `#/definitions/Name` (or `#/$defs/Name`) reference names.
fn definition_key(target: &str) -> Option<String> {
    target
        .strip_prefix("#/definitions/")
        .or_else(|| target.strip_prefix("#/$defs/"))
        .filter(|pointer| !pointer.contains('/'))
        .map(decode_pointer_segment)
}

/// One segment of a JSON Pointer in URI fragment form, decoded: percent-escapes first,
/// then `~1` and `~0`.
fn decode_pointer_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .unwrap_or_else(|_| segment.to_owned())
        .replace("~1", "/")
        .replace("~0", "~")
}

/// How tightly a type expression binds, to know when it needs parentheses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Union,
    Intersection,
    Atom,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq)]
struct Ty {
    text: String,
    prec: Prec,
    /// A union's members, so that a union of unions is flat and without duplicates.
    members: Vec<Ty>,
}

impl Ty {
    fn atom(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            prec: Prec::Atom,
            members: Vec::new(),
        }
    }

    fn unknown() -> Self {
        Self::atom("unknown")
    }

    fn null() -> Self {
        Self::atom("null")
    }

    /// The text, parenthesised unless it binds at least as tightly as `min`.
    fn at(&self, min: Prec) -> String {
        if self.prec >= min {
            self.text.clone()
        } else {
            format!("({})", self.text)
        }
    }
}

/// `A | B`: flat, duplicates and `never` dropped; `unknown` absorbs the rest.
fn union(parts: impl IntoIterator<Item = Ty>) -> Ty {
    let mut members: Vec<Ty> = Vec::new();
    let flat = parts.into_iter().flat_map(|part| {
        if part.members.is_empty() {
            vec![part]
        } else {
            part.members
        }
    });
    for part in flat {
        if part.text == "unknown" {
            return Ty::unknown();
        }
        if part.text != "never" && !members.iter().any(|m| m.text == part.text) {
            members.push(part);
        }
    }
    match members.len() {
        0 => Ty::atom("never"),
        1 => members.remove(0),
        _ => Ty {
            text: members
                .iter()
                .map(|m| m.text.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            prec: Prec::Union,
            members,
        },
    }
}

/// `A & B`: duplicates and `unknown` dropped; `never` absorbs the rest.
fn intersection(parts: impl IntoIterator<Item = Ty>) -> Ty {
    let mut members: Vec<Ty> = Vec::new();
    for part in parts {
        if part.text == "never" {
            return part;
        }
        if part.text != "unknown" && !members.iter().any(|m| m.text == part.text) {
            members.push(part);
        }
    }
    match members.len() {
        0 => Ty::unknown(),
        1 => members.remove(0),
        _ => Ty {
            text: members
                .iter()
                .map(|m| m.at(Prec::Intersection))
                .collect::<Vec<_>>()
                .join(" & "),
            prec: Prec::Intersection,
            members: Vec::new(),
        },
    }
}

/// `T[]`, parenthesised as needed.
fn array_of(item: &Ty) -> Ty {
    Ty::atom(format!("{}[]", item.at(Prec::Atom)))
}

/// A JSDoc comment's lines.
#[derive(Debug, Default)]
struct Doc {
    lines: Vec<String>,
}

impl Doc {
    /// A doc comment's text.
    fn text(text: &str) -> Self {
        let mut doc = Self::default();
        for line in text.lines() {
            doc.push(line);
        }
        doc
    }

    /// A schema's `description` (or `title`), then its validation keywords as tags.
    fn of_schema(schema: &Value) -> Self {
        let mut doc = Self::description(schema);
        let tags = tags(schema);
        if !tags.is_empty() && !doc.is_empty() {
            doc.push("");
        }
        for tag in tags {
            doc.push(&tag);
        }
        doc
    }

    /// A schema's `description` (or `title`) alone.
    fn description(schema: &Value) -> Self {
        ["description", "title"]
            .iter()
            .find_map(|k| schema.get(*k).and_then(Value::as_str))
            .map(Self::text)
            .unwrap_or_default()
    }

    fn push(&mut self, line: &str) {
        self.lines.push(line.trim_end().replace("*/", "*\\/"));
    }

    fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The lines joined into one, tags as `(minimum 1, maximum 5)`, for `@param`.
    fn inline(&self) -> String {
        let mut text = Vec::new();
        let mut tags = Vec::new();
        for line in self.lines.iter().filter(|l| !l.is_empty()) {
            match line.strip_prefix('@') {
                Some(tag) => tags.push(tag.to_owned()),
                None => text.push(line.trim().to_owned()),
            }
        }
        if !tags.is_empty() {
            text.push(format!("({})", tags.join(", ")));
        }
        text.join(" ")
    }
}

/// JSDoc tags for a schema's validation keywords, in a fixed order.
fn tags(schema: &Value) -> Vec<String> {
    const VALUED: [&str; 14] = [
        "format",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "exclusiveMinimum",
        "maximum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
        "default",
    ];
    let mut tags = Vec::new();
    for keyword in VALUED {
        match schema.get(keyword) {
            Some(Value::String(text)) if keyword != "default" => {
                tags.push(format!("@{keyword} {text}"));
            }
            Some(value) => tags.push(format!("@{keyword} {value}")),
            None => {}
        }
    }
    if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
        tags.push("@uniqueItems".to_owned());
    }
    if schema.get("deprecated") == Some(&Value::Bool(true)) {
        tags.push("@deprecated".to_owned());
    }
    tags
}

/// The output, written line by line with explicit indentation depths.
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    /// `text` indented `depth` levels. Lines inside `text` keep their own indentation.
    fn line(&mut self, depth: usize, text: &str) {
        if !text.is_empty() {
            for _ in 0..depth {
                self.out.push_str(INDENT);
            }
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    /// Text written as is.
    fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// `/** one line */`, or a block for several lines; nothing when empty.
    fn doc(&mut self, depth: usize, doc: &Doc) {
        match doc.lines.as_slice() {
            [] => {}
            [line] => self.line(depth, &format!("/** {line} */")),
            lines => {
                self.line(depth, "/**");
                for line in lines {
                    if line.is_empty() {
                        self.line(depth, " *");
                    } else {
                        self.line(depth, &format!(" * {line}"));
                    }
                }
                self.line(depth, " */");
            }
        }
    }

    fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::contract::ContractInfo;

    fn contracts(definitions: &[(&str, Value)]) -> Contracts {
        Contracts {
            namespaces: BTreeMap::new(),
            definitions: definitions
                .iter()
                .map(|(name, schema)| ((*name).to_owned(), schema.clone()))
                .collect(),
            info: ContractInfo::default(),
        }
    }

    /// A schema rendered as a type, with `Inner` and `Page<Message>` defined.
    fn ty(schema: Value) -> String {
        let c = contracts(&[("Inner", json!({})), ("Page<Message>", json!({}))]);
        let names = Names::assign(&c);
        let types = Types {
            names: &names,
            definitions: &c.definitions,
        };
        types.ty(&schema, 0).text
    }

    /// A definition as rendered in the file.
    fn definition(name: &str, schema: Value) -> String {
        let c = contracts(&[("Inner", json!({})), (name, schema.clone())]);
        let names = Names::assign(&c);
        let types = Types {
            names: &names,
            definitions: &c.definitions,
        };
        let mut w = Writer::default();
        types.definition(&mut w, &names.definitions[name], &schema);
        w.finish()
    }

    fn event(name: &'static str, args: Vec<(&str, Shape)>, ack: Shape) -> ClientEvent {
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

    /// A client event's member of `...ClientToServerEvents`.
    fn member(event: &ClientEvent) -> String {
        let c = contracts(&[("Message", json!({}))]);
        let names = Names::assign(&c);
        let types = Types {
            names: &names,
            definitions: &c.definitions,
        };
        let mut w = Writer::default();
        types.client_event(&mut w, event);
        w.finish()
    }

    fn string() -> Shape {
        Shape::Json(json!({ "type": "string" }))
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

    #[test]
    fn names_are_identifiers_and_never_collide() {
        let mut c = contracts(&[
            ("Ack", json!({})),
            ("Foo_for_Bar", json!({})),
            ("Page<Message>", json!({})),
            ("PageMessage", json!({})),
            ("Record", json!({})),
            ("string", json!({})),
            ("1st", json!({})),
            ("ChatClientToServerEvents", json!({})),
        ]);
        for path in ["/", "/chat", "/admin/users", "/admin-users", "/2fa"] {
            c.namespaces.insert(path, NamespaceContract::default());
        }
        let names = Names::assign(&c);
        let d = |key: &str| names.definitions[key].as_str();
        assert_eq!(d("Ack"), "Ack2");
        assert_eq!(d("Foo_for_Bar"), "Foo_for_Bar");
        assert_eq!(d("Page<Message>"), "PageMessage");
        assert_eq!(d("PageMessage"), "PageMessage2");
        assert_eq!(d("Record"), "Record2");
        assert_eq!(d("string"), "string2");
        assert_eq!(d("1st"), "T1st");
        let n = |path: &str| names.namespaces[path].as_str();
        assert_eq!(n("/"), "Root");
        assert_eq!(n("/chat"), "Chat2");
        assert_eq!(n("/admin-users"), "AdminUsers");
        assert_eq!(n("/admin/users"), "AdminUsers2");
        assert_eq!(n("/2fa"), "Ns2fa");
    }

    #[test]
    fn parameter_names_are_identifiers_and_unique() {
        let mut names = ParamNames::default();
        assert_eq!(names.take("msg", 0), "msg");
        assert_eq!(names.take("new", 1), "new_");
        assert_eq!(names.take("r#type", 2), "type_");
        assert_eq!(names.take("(a, b)", 3), "a_b");
        assert_eq!(names.take("(1, 2)", 3), "arg3");
        assert_eq!(names.take("_", 3), "_");
        assert_eq!(names.take("msg", 4), "msg2");
        assert_eq!(names.take("ack", 5), "ack");
        assert_eq!(names.take("ack", 6), "ack2");
    }

    #[test]
    fn acks_are_required_with_data_and_optional_without() {
        let message = Shape::Json(json!({ "$ref": "#/definitions/Message" }));
        let mut send = event("send", vec![("msg", string())], message.clone());
        send.error_codes = vec!["not_member"];
        assert_eq!(
            member(&send),
            "  \"send\": (msg: string, ack: (res: Ack<Message, WsErrorCode | \"not_member\">) => void) => void;\n"
        );
        let typing = event("typing", vec![("room", string())], Shape::null());
        assert_eq!(
            member(&typing),
            "  \"typing\": (room: string, ack?: (res: Ack<null>) => void) => void;\n"
        );
        let mut ping = event("ping", vec![], string());
        ping.ack_mode = AckMode::NestJs;
        assert_eq!(
            member(&ping),
            "  \"ping\": (ack: (res: NestJsAck<string>) => void) => void;\n"
        );
    }

    #[test]
    fn rest_arguments_put_the_ack_in_a_tuple() {
        let echo = event("echo", vec![("args", Shape::Rest)], Shape::Rest);
        assert_eq!(
            member(&echo),
            "  \"echo\": (...args: [...args: unknown[], ack: (res: Ack<unknown[]>) => void]) => void;\n"
        );
        let log = event("log", vec![("lines", Shape::Rest)], Shape::null());
        assert_eq!(member(&log), "  \"log\": (...lines: unknown[]) => void;\n");
        let mut spread = event("spread", vec![("args", Shape::Rest)], Shape::Rest);
        spread.ack_mode = AckMode::NestJs;
        assert_eq!(
            member(&spread),
            "  \"spread\": (...args: [...args: unknown[], ack: (...res: unknown[]) => void]) => void;\n"
        );
    }

    #[test]
    fn binary_and_untyped_shapes() {
        let upload = event(
            "upload",
            vec![
                ("data", Shape::Binary),
                ("meta", Shape::Unknown("my::Meta")),
            ],
            Shape::Binary,
        );
        assert_eq!(
            member(&upload),
            "  \"upload\": (
    data: Binary,
    meta: unknown /* my::Meta: no JsonSchema */,
    ack: (res: Ack<ReceivedBinary>) => void
  ) => void;\n"
        );
    }

    #[test]
    fn handler_docs_and_inline_argument_constraints_become_jsdoc() {
        let mut rate = event(
            "rate",
            vec![(
                "stars",
                Shape::Json(json!({ "type": "integer", "minimum": 1, "description": "Stars." })),
            )],
            Shape::null(),
        );
        rate.doc = Some("Rates the room.\n\nOnce per user.".to_owned());
        assert_eq!(
            member(&rate),
            "  /**
   * Rates the room.
   *
   * Once per user.
   *
   * @param stars Stars. (minimum 1)
   */
  \"rate\": (stars: number, ack?: (res: Ack<null>) => void) => void;\n"
        );
    }

    #[test]
    fn the_exception_event_follows_the_ack_modes_of_the_namespace() {
        let c = contracts(&[]);
        let names = Names::assign(&c);
        let types = Types {
            names: &names,
            definitions: &c.definitions,
        };
        let mut ns = NamespaceContract::default();
        assert!(types.exception_event(&ns).is_none(), "no client events");
        let mut send = event("send", vec![], string());
        send.error_codes = vec!["b", "a"];
        ns.client_events.insert("send", send);
        let mut ping = event("ping", vec![], string());
        ping.ack_mode = AckMode::NestJs;
        ns.client_events.insert("ping", ping);
        let (_, param) = types.exception_event(&ns).expect("an exception event");
        assert_eq!(
            param,
            "payload: WsException<WsErrorCode | \"a\" | \"b\"> | NestJsError"
        );
        ns.server_events.insert(
            "exception",
            ServerEventContract {
                name: "exception",
                payload: string(),
            },
        );
        assert!(
            types.exception_event(&ns).is_none(),
            "the namespace's own `exception` wins"
        );
    }

    #[test]
    fn a_file_without_namespaces_still_declares_the_common_types() {
        let text = render(&contracts(&[]));
        assert!(text.starts_with("// events.ts: "), "{text}");
        assert!(text.contains("export type Ack<T, Code extends string = WsErrorCode> ="));
        assert!(!text.contains("export interface Namespaces"));
        for (code, _) in FRAMEWORK_CODES {
            assert!(text.contains(&format!("  | \"{code}\"")), "{code}");
        }
    }
}

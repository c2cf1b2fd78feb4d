//! `asyncapi.yaml`: the contracts as an [AsyncAPI 3.0.0](https://www.asyncapi.com/docs/reference/specification/v3.0.0)
//! document.
//!
//! How Socket.IO maps onto AsyncAPI (the document's `info.description` says the same to its
//! readers):
//!
//! - a namespace is a channel, whose `address` is the namespace (`/chat`);
//! - an event is a message (`name` = the event name): events clients emit are `receive`
//!   operations of the server, events the server emits are `send` operations;
//! - an ack is the `reply` of its event's `receive` operation, a message of the same channel
//!   whose payload is the ack envelope (or the NestJS shape);
//! - payloads are the default AsyncAPI schema format, a superset of JSON Schema draft-07, so
//!   the schemars definitions go into `components.schemas` as they are, with their `$ref`s
//!   rewritten from `#/definitions/X` to `#/components/schemas/X` (no `schemaFormat` needed).
//!
//! The document's own objects are built as ordered YAML mappings, in the order the
//! specification lists their fields; schemas come from `serde_json` and keep its sorted keys.
//! Ids are sanitised to `[A-Za-z0-9._-]` (what AsyncAPI allows as component keys, and safe
//! unescaped in a `$ref`) and made unique with a `_2`, `_3`, ... suffix, in the contracts'
//! sorted order: the output is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use serde_norway::{Mapping, Value as Yaml};

use super::{ClientEvent, Contracts, NamespaceContract, ServerEventContract, Shape};
use crate::ack::AckMode;
use crate::error::code;

/// The AsyncAPI version written.
const ASYNCAPI: &str = "3.0.0";

/// The id of the one server.
const SERVER_ID: &str = "socketio";

/// The codes any failing envelope ack can carry, in the order the guide lists them.
const FRAMEWORK_CODES: [&str; 8] = [
    code::BAD_PAYLOAD,
    code::VALIDATION_FAILED,
    code::UNAUTHORIZED,
    code::FORBIDDEN,
    code::RATE_LIMITED,
    code::NOT_FOUND,
    code::INTERNAL,
    code::UNAVAILABLE,
];

/// The event NestJS-mode gateways emit on every failure (DESIGN §2.1).
const EXCEPTION_EVENT: &str = "exception";

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

pub(super) fn render(contracts: &Contracts) -> String {
    let document = Renderer::new(contracts).document();
    // A `serde_norway::Value` built from strings, numbers, booleans, sequences and mappings
    // with string keys always serialises; failing here would be a bug in this file.
    serde_norway::to_string(&document).expect("an AsyncAPI document always serialises to YAML")
}

/// Turns [`Contracts`] into the document, holding the names chosen for shared schemas.
struct Renderer<'a> {
    contracts: &'a Contracts,
    /// `definitions` name → `components.schemas` key.
    schema_keys: BTreeMap<String, String>,
    /// The key of the shared `WsError` schema.
    ws_error: String,
    /// Whether any event acks in envelope mode (and so refers to `WsError`).
    uses_envelope: bool,
}

impl<'a> Renderer<'a> {
    fn new(contracts: &'a Contracts) -> Self {
        let mut taken = Ids::default();
        let schema_keys = contracts
            .definitions
            .keys()
            .map(|name| (name.clone(), taken.unique(sanitize(name, "Schema"))))
            .collect();
        let ws_error = taken.unique("WsError".to_owned());
        let uses_envelope = client_events(contracts).any(|e| e.ack_mode == AckMode::Envelope);
        Self {
            contracts,
            schema_keys,
            ws_error,
            uses_envelope,
        }
    }

    fn document(&self) -> Yaml {
        let info = &self.contracts.info;
        let mut channels = Map::default();
        let mut operations = Map::default();
        let mut channel_ids = Ids::default();
        let mut operation_ids = Ids::default();
        for (namespace, contract) in &self.contracts.namespaces {
            let id = channel_ids.unique(channel_id(namespace));
            let channel = self.channel(&id, namespace, contract, &mut operation_ids);
            channels = channels.with(&id, channel.object);
            for (op_id, operation) in channel.operations {
                operations = operations.with(&op_id, operation);
            }
        }
        Map::default()
            .with("asyncapi", ASYNCAPI)
            .with(
                "info",
                Map::default()
                    .with("title", info.title.as_str())
                    .with("version", info.version.as_str())
                    .with("description", self.info_description()),
            )
            .with("defaultContentType", "application/json")
            .with(
                "servers",
                Map::default().with(
                    SERVER_ID,
                    Map::default()
                        .with("host", info.host.as_str())
                        .with("protocol", "ws")
                        .with("pathname", info.path.as_str())
                        .with("title", "Socket.IO server")
                        .with("description", self.server_description()),
                ),
            )
            .with("channels", channels)
            .with("operations", operations)
            .with(
                "components",
                Map::default().with("schemas", self.component_schemas()),
            )
            .into()
    }

    fn info_description(&self) -> String {
        let info = &self.contracts.info;
        let example = self.example_namespace();
        let mut text = format!(
            "Generated from the server's `#[gateway]` declarations (run the server with \
             `--export-contracts DIR`); regenerate it rather than edit it.\n\
             \n\
             How Socket.IO maps onto this document:\n\
             \n\
             - **Namespaces are channels.** A channel's `address` is a Socket.IO namespace, not \
             a URL path: clients connect with `io(\"http://{host}{example}\")`, and all \
             namespaces share the server's one Engine.IO endpoint (`{path}`).\n\
             - **Events are messages.** A message's `name` is the event name. Events clients \
             emit are `receive` operations (the server receives them); events the server \
             emits are `send` operations.\n\
             - **Arguments are payloads.** An event with exactly one argument has that \
             argument's schema as its payload. An event with none or several has the argument \
             list as its payload, a tuple (`type: array`, `items: [...]`, `minItems`/`maxItems`); \
             `x-socketio-arguments` on the message names the arguments in order. Binary \
             attachments are `type: string, format: binary`.\n\
             - **Acks are replies.** A client that emits with an ack callback (or \
             `emitWithAck`) gets exactly one ack, on success and on every failure; the \
             operation's `reply` describes it.\n",
            host = info.host,
            path = info.path,
        );
        if self.uses_envelope {
            text.push_str(&format!(
                "\n\
                 Acks use the envelope: `{{\"ok\": true, \"data\": <value>}}` on success, \
                 `{{\"ok\": false, \"error\": {{\"code\", \"message\", \"details\"?}}}}` on \
                 failure (`{ws_error}`). `error.code` is one of the framework's codes ({codes}) \
                 or one of the event's own, listed in its reply.\n",
                ws_error = self.ws_error,
                codes = FRAMEWORK_CODES
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
        if client_events(self.contracts).any(|e| e.ack_mode == AckMode::NestJs) {
            text.push_str(
                "\n\
                 Gateways declared with `ack = \"nestjs\"` ack the way NestJS does: the bare \
                 value on success, `{\"status\": \"error\", \"message\"}` on failure, also \
                 emitted as the `exception` event.\n",
            );
        }
        text
    }

    fn server_description(&self) -> String {
        let info = &self.contracts.info;
        format!(
            "Socket.IO protocol v5 over Engine.IO protocol v4 (socket.io-client v4), at the \
             path `{path}`. AsyncAPI has no Socket.IO protocol; `ws` names the transport a \
             connection ends up on: it opens with HTTP long-polling at that path and upgrades \
             to WebSocket, or starts on WebSocket with `transports: [\"websocket\"]` \
             (`ws://{host}{path}/?EIO=4&transport=websocket`). Every namespace (channel) is \
             multiplexed over that one connection.",
            host = info.host,
            path = info.path.trim_end_matches('/'),
        )
    }

    /// The namespace used in examples: the first one, or the main namespace.
    fn example_namespace(&self) -> &str {
        self.contracts
            .namespaces
            .keys()
            .next()
            .copied()
            .unwrap_or("/")
    }

    fn channel(
        &self,
        id: &str,
        namespace: &str,
        contract: &NamespaceContract,
        operation_ids: &mut Ids,
    ) -> Channel {
        let mut messages = Map::default();
        let mut operations = Vec::new();
        let mut message_keys = Ids::default();
        let channel_ref = format!("#/channels/{id}");
        let message_ref = |key: &str| reference(&format!("{channel_ref}/messages/{key}"));

        for event in contract.client_events.values() {
            let event_id = sanitize(event.name, "event");
            let key = message_keys.unique(format!("client.{event_id}"));
            let ack_key = message_keys.unique(format!("ack.{event_id}"));
            messages = messages
                .with(&key, self.client_message(event))
                .with(&ack_key, self.ack_message(event));
            let operation = Map::default()
                .with("action", "receive")
                .with("channel", reference(&channel_ref))
                .with("title", event.name)
                .with_opt("summary", event.doc.as_deref().map(|doc| split_doc(doc).0))
                .with("description", receive_description(namespace, event))
                .with("messages", vec![message_ref(&key)])
                .with(
                    "reply",
                    Map::default()
                        .with("channel", reference(&channel_ref))
                        .with("messages", vec![message_ref(&ack_key)]),
                );
            let op_id = operation_ids.unique(format!("{id}.receive.{event_id}"));
            operations.push((op_id, operation.into()));
        }

        let nest_exception = contract
            .client_events
            .values()
            .any(|e| e.ack_mode == AckMode::NestJs)
            && !contract.server_events.contains_key(EXCEPTION_EVENT);
        let mut server_events: Vec<(&str, ServerMessage)> = contract
            .server_events
            .values()
            .map(|event| (event.name, self.server_message(event)))
            .collect();
        if nest_exception {
            server_events.push((EXCEPTION_EVENT, exception_message()));
            server_events.sort_by_key(|(name, _)| *name);
        }
        for (name, message) in server_events {
            let event_id = sanitize(name, "event");
            let key = message_keys.unique(format!("server.{event_id}"));
            let operation = Map::default()
                .with("action", "send")
                .with("channel", reference(&channel_ref))
                .with("title", name)
                .with_opt("summary", message.summary.clone())
                .with("description", message.operation_description)
                .with("messages", vec![message_ref(&key)]);
            messages = messages.with(&key, message.object);
            let op_id = operation_ids.unique(format!("{id}.send.{event_id}"));
            operations.push((op_id, operation.into()));
        }

        let gateways: BTreeSet<&str> = contract.client_events.values().map(|e| e.gateway).collect();
        let mut description = format!(
            "The Socket.IO namespace `{namespace}`: `io(\"http://{host}{namespace}\")`.",
            host = self.contracts.info.host,
        );
        if !gateways.is_empty() {
            let list = gateways
                .iter()
                .map(|g| format!("`{g}`"))
                .collect::<Vec<_>>()
                .join(", ");
            description.push_str(&format!(" Handled by {list}."));
        }
        let object = Map::default()
            .with("address", namespace)
            .with("title", namespace)
            .with("description", description)
            .with("messages", messages)
            .into();
        Channel { object, operations }
    }

    fn client_message(&self, event: &ClientEvent) -> Yaml {
        let (summary, rest) = match event.doc.as_deref().map(split_doc) {
            Some((summary, rest)) => (Some(summary), rest),
            None => (None, None),
        };
        Map::default()
            .with("name", event.name)
            .with("title", format!("{} (client to server)", event.name))
            .with_opt("summary", summary)
            .with_opt("description", rest)
            .with("payload", to_yaml(&self.args_payload(&event.args)))
            .with(
                "x-socketio-arguments",
                event
                    .args
                    .iter()
                    .map(|(name, shape)| match shape {
                        Shape::Rest => format!("...{name}"),
                        _ => name.clone(),
                    })
                    .collect::<Vec<_>>(),
            )
            .into()
    }

    /// The ack of a client event. It has no `name`: an ack carries no event name on the wire
    /// (it is matched to its emit by the ack id), and a name would invite code generators to
    /// listen for an event of that name.
    fn ack_message(&self, event: &ClientEvent) -> Yaml {
        let description = match event.ack_mode {
            AckMode::Envelope => {
                "Sent once for each emit that asks for an ack: `{\"ok\": true, \"data\"}` on \
                 success, `{\"ok\": false, \"error\"}` on failure, with `error.code` one of the \
                 codes listed in the schema."
            }
            AckMode::NestJs => {
                "Sent once for each emit that asks for an ack, NestJS style: the bare value on \
                 success, `{\"status\": \"error\", \"message\"}` on failure."
            }
        };
        Map::default()
            .with("title", format!("{} (ack)", event.name))
            .with("summary", format!("The ack of `{}`.", event.name))
            .with("description", description)
            .with("payload", to_yaml(&self.ack_payload(event)))
            .into()
    }

    fn server_message(&self, event: &ServerEventContract) -> ServerMessage {
        let summary = self.shape_doc(&event.payload);
        let object = Map::default()
            .with("name", event.name)
            .with("title", format!("{} (server to client)", event.name))
            .with_opt("summary", summary.clone())
            .with("payload", to_yaml(&self.shape_schema(&event.payload)))
            .into();
        let name = js_string(event.name);
        ServerMessage {
            object,
            summary,
            operation_description: format!(
                "The server emits it; clients listen with `socket.on({name}, (payload) => ...)`."
            ),
        }
    }

    /// The payload of a client event: its Socket.IO argument list.
    ///
    /// Exactly one argument: that argument's schema, so the common case reads like any
    /// other AsyncAPI payload. None or several: the list as a draft-07 tuple (`items: [...]`
    /// with `minItems`/`maxItems`), since an AsyncAPI message has one payload and a
    /// Socket.IO event carries a list. `Args` (any number of anything) takes the rest of the
    /// list: alone, an array of anything; after fixed arguments, the tuple without
    /// `maxItems`. A lone argument that is itself an array would look like a list: the
    /// message's `x-socketio-arguments` (the argument names) settles it.
    fn args_payload(&self, args: &[(String, Shape)]) -> Value {
        let fixed: Vec<&(String, Shape)> = args
            .iter()
            .take_while(|(_, shape)| !matches!(shape, Shape::Rest))
            .collect();
        let rest = fixed.len() < args.len();
        if let ([(_, shape)], false) = (fixed.as_slice(), rest) {
            return self.shape_schema(shape);
        }
        let mut schema = json!({ "type": "array", "description": args_note(args) });
        if !fixed.is_empty() {
            // AsyncAPI's schema object wants a non-empty `items` list.
            schema["items"] = fixed
                .iter()
                .map(|(_, shape)| self.shape_schema(shape))
                .collect();
            schema["minItems"] = json!(fixed.len());
        }
        if !rest {
            schema["maxItems"] = json!(fixed.len());
        }
        schema
    }

    /// The ack's payload: the envelope (`oneOf` success/failure, told apart by `ok`), or in
    /// NestJS mode the bare value or `{status: "error", message}`. NestJS acks use `anyOf`:
    /// a bare value of an open type (`Unknown`, `Args`) can itself look like the error
    /// object, and `oneOf` would then reject a valid ack.
    fn ack_payload(&self, event: &ClientEvent) -> Value {
        let data = self.shape_schema(&event.ack);
        match event.ack_mode {
            AckMode::Envelope => {
                let mut codes: Vec<&str> = FRAMEWORK_CODES.to_vec();
                for code in &event.error_codes {
                    if !codes.contains(code) {
                        codes.push(code);
                    }
                }
                json!({
                    "oneOf": [
                        {
                            "title": "success",
                            "type": "object",
                            "properties": { "ok": { "const": true }, "data": data },
                            "required": ["ok", "data"],
                            "additionalProperties": false,
                        },
                        {
                            "title": "failure",
                            "type": "object",
                            "properties": {
                                "ok": { "const": false },
                                "error": {
                                    "allOf": [{ "$ref": format!("#/components/schemas/{}", self.ws_error) }],
                                    "properties": { "code": { "enum": codes } },
                                },
                            },
                            "required": ["ok", "error"],
                            "additionalProperties": false,
                        },
                    ]
                })
            }
            AckMode::NestJs => json!({
                "anyOf": [
                    { "title": "success", "description": "The handler's value, bare.", "allOf": [data] },
                    nest_error_schema(),
                ]
            }),
        }
    }

    /// One argument's, ack's or server event's schema.
    fn shape_schema(&self, shape: &Shape) -> Value {
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

    /// The description of a shape's schema (of the definition it refers to, if it is a
    /// `$ref`), as a one-paragraph summary.
    fn shape_doc(&self, shape: &Shape) -> Option<String> {
        let Shape::Json(schema) = shape else {
            return None;
        };
        let described = match schema.get("$ref").and_then(Value::as_str) {
            Some(target) => {
                let (name, _) = definition_target(target)?;
                self.contracts.definitions.get(&name)?
            }
            None => schema,
        };
        let text = described.get("description")?.as_str()?;
        Some(split_doc(text).0)
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

    fn component_schemas(&self) -> Yaml {
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

/// A channel and the operations on it.
struct Channel {
    object: Yaml,
    operations: Vec<(String, Yaml)>,
}

/// A server-to-client message and what its `send` operation says about it.
struct ServerMessage {
    object: Yaml,
    summary: Option<String>,
    operation_description: String,
}

fn client_events(contracts: &Contracts) -> impl Iterator<Item = &ClientEvent> {
    contracts
        .namespaces
        .values()
        .flat_map(|ns| ns.client_events.values())
}

/// What the `receive` operation of a client event tells a client: how to emit it.
fn receive_description(namespace: &str, event: &ClientEvent) -> String {
    let mut call = vec![js_string(event.name)];
    call.extend(event.args.iter().map(|(name, shape)| match shape {
        Shape::Rest => format!("...{name}"),
        _ => name.clone(),
    }));
    format!(
        "Clients emit it on `{namespace}`: `await socket.emitWithAck({call})`, or \
         `socket.emit({call}, (ack) => ...)`. The reply is the ack, sent once for each emit \
         that asks for one. Handled by `{gateway}`.",
        call = call.join(", "),
        gateway = event.gateway,
    )
}

/// The description of a tuple payload: the arguments, in order.
fn args_note(args: &[(String, Shape)]) -> String {
    if args.is_empty() {
        return "No arguments: the payload is the empty argument list.".to_owned();
    }
    let list = args
        .iter()
        .map(|(name, shape)| match shape {
            Shape::Rest => format!("`...{name}` (any number of values)"),
            _ => format!("`{name}`"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("Socket.IO arguments, in order: {list}. The payload is that argument list.")
}

/// The `exception` event of NestJS-mode namespaces.
fn exception_message() -> ServerMessage {
    let summary = "A failed event, NestJS style.".to_owned();
    let object = Map::default()
        .with("name", EXCEPTION_EVENT)
        .with("title", format!("{EXCEPTION_EVENT} (server to client)"))
        .with("summary", summary.as_str())
        .with(
            "description",
            "Emitted to the client whenever one of its events fails in a gateway declared \
             with `ack = \"nestjs\"`, as NestJS's `BaseWsExceptionFilter` does; the same \
             payload is the failing ack.",
        )
        .with("payload", to_yaml(&nest_error_schema()))
        .into();
    ServerMessage {
        object,
        summary: Some(summary),
        operation_description: format!(
            "The server emits it; clients listen with `socket.on({}, (err) => ...)`.",
            js_string(EXCEPTION_EVENT)
        ),
    }
}

fn nest_error_schema() -> Value {
    json!({
        "title": "failure",
        "type": "object",
        "properties": {
            "status": { "const": "error" },
            "message": { "type": "string" },
        },
        "required": ["status", "message"],
        "additionalProperties": false,
    })
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

/// `{"$ref": target}` as YAML.
fn reference(target: &str) -> Yaml {
    Map::default().with("$ref", target).into()
}

/// `"event"` as a JavaScript string literal (JSON's syntax is a subset of it).
fn js_string(value: &str) -> String {
    Value::String(value.to_owned()).to_string()
}

/// The first paragraph of a doc comment (its lines joined), and the other paragraphs.
fn split_doc(doc: &str) -> (String, Option<String>) {
    let doc = doc.trim();
    let (first, rest) = match doc.split_once("\n\n") {
        Some((first, rest)) => (first, Some(rest.trim().to_owned())),
        None => (doc, None),
    };
    let summary = first.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    (summary, rest.filter(|r| !r.is_empty()))
}

/// The channel id of a namespace: its path without the leading `/`, `/` as `.`; `main` for
/// the main namespace `/`.
fn channel_id(namespace: &str) -> String {
    let path = namespace.trim_start_matches('/').replace('/', ".");
    sanitize(&path, "main")
}

/// `raw` with every character outside `[A-Za-z0-9._-]` replaced by `_`; `fallback` if empty.
fn sanitize(raw: &str, fallback: &str) -> String {
    if raw.is_empty() {
        return fallback.to_owned();
    }
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The definition a `#/definitions/...` reference names (decoded from its JSON Pointer in
/// URI fragment form), and the rest of the pointer (`/properties/x`, usually empty).
fn definition_target(target: &str) -> Option<(String, &str)> {
    let pointer = target.strip_prefix("#/definitions/")?;
    let (segment, more) = match pointer.find('/') {
        Some(at) => pointer.split_at(at),
        None => (pointer, ""),
    };
    let decoded = percent_decode(segment)
        .replace("~1", "/")
        .replace("~0", "~");
    Some((decoded, more))
}

/// Percent-decodes `s`; a `%` not followed by two hex digits stays, and bytes that do not
/// decode to UTF-8 give `s` back unchanged.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
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
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Ids handed out once each: a taken id gets a `_2`, `_3`, ... suffix.
#[derive(Default)]
struct Ids(BTreeSet<String>);

impl Ids {
    fn unique(&mut self, base: String) -> String {
        let id = if self.0.contains(&base) {
            (2..)
                .map(|n| format!("{base}_{n}"))
                .find(|candidate| !self.0.contains(candidate))
                .unwrap_or_default()
        } else {
            base
        };
        self.0.insert(id.clone());
        id
    }
}

/// A YAML mapping kept in insertion order, for the document's own objects.
#[derive(Default)]
struct Map(Mapping);

impl Map {
    fn with(mut self, key: &str, value: impl Into<Yaml>) -> Self {
        self.0.insert(Yaml::from(key), value.into());
        self
    }

    fn with_opt(self, key: &str, value: Option<impl Into<Yaml>>) -> Self {
        match value {
            Some(value) => self.with(key, value),
            None => self,
        }
    }
}

impl From<Map> for Yaml {
    fn from(map: Map) -> Self {
        Yaml::Mapping(map.0)
    }
}

/// A JSON value as YAML (objects keep `serde_json`'s sorted order).
fn to_yaml(value: &Value) -> Yaml {
    match value {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Bool(*b),
        Value::Number(n) => {
            let number = if let Some(u) = n.as_u64() {
                serde_norway::Number::from(u)
            } else if let Some(i) = n.as_i64() {
                serde_norway::Number::from(i)
            } else {
                serde_norway::Number::from(n.as_f64().unwrap_or(f64::NAN))
            };
            Yaml::Number(number)
        }
        Value::String(s) => Yaml::String(s.clone()),
        Value::Array(items) => Yaml::Sequence(items.iter().map(to_yaml).collect()),
        Value::Object(object) => Yaml::Mapping(
            object
                .iter()
                .map(|(k, v)| (Yaml::String(k.clone()), to_yaml(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::ContractInfo;

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

    fn string() -> Shape {
        Shape::Json(json!({ "type": "string" }))
    }

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
        assert_eq!(
            r.rewrite_refs(&schema),
            json!({
                "properties": {
                    "$ref": { "$ref": "#/components/schemas/Room" },
                    "default": { "items": { "$ref": "#/components/schemas/Wrapper_Room_" } },
                },
                "allOf": [{ "$ref": "#/components/schemas/Room/properties/id" }],
                "default": { "$ref": "#/definitions/Room" },
                "enum": [{ "$ref": "#/definitions/Room" }],
                "not": { "$ref": "https://example.com/schema.json" },
            })
        );
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

    #[test]
    fn one_argument_is_the_payload_and_several_are_a_tuple() {
        let c = contracts(&[]);
        let r = Renderer::new(&c);
        assert_eq!(
            r.args_payload(&[("room".into(), string())]),
            json!({ "type": "string" })
        );

        let two = r.args_payload(&[("name".into(), string()), ("data".into(), Shape::Binary)]);
        assert_eq!(two["type"], "array");
        assert_eq!(two["items"][0], json!({ "type": "string" }));
        assert_eq!(two["items"][1]["format"], "binary");
        assert_eq!(
            (two["minItems"].clone(), two["maxItems"].clone()),
            (json!(2), json!(2))
        );

        let none = r.args_payload(&[]);
        assert_eq!(none["maxItems"], 0);
        assert!(
            none.get("items").is_none(),
            "AsyncAPI rejects an empty `items` list"
        );

        let rest = r.args_payload(&[("args".into(), Shape::Rest)]);
        assert_eq!(rest["type"], "array");
        assert!(rest.get("items").is_none() && rest.get("maxItems").is_none());

        let prefix = r.args_payload(&[("room".into(), string()), ("args".into(), Shape::Rest)]);
        assert_eq!(prefix["items"], json!([{ "type": "string" }]));
        assert_eq!(prefix["minItems"], 1);
        assert!(prefix.get("maxItems").is_none());
    }

    #[test]
    fn the_envelope_reply_lists_framework_and_app_codes() {
        let c = contracts(&[("Message", json!({}))]);
        let r = Renderer::new(&c);
        let mut send = event(
            "send",
            vec![],
            Shape::Json(json!({ "$ref": "#/definitions/Message" })),
        );
        send.error_codes = vec!["not_member", "forbidden"];
        let payload = r.ack_payload(&send);
        let [success, failure] = payload["oneOf"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        else {
            panic!("two alternatives: {payload}");
        };
        assert_eq!(success["properties"]["ok"], json!({ "const": true }));
        assert_eq!(
            success["properties"]["data"],
            json!({ "$ref": "#/components/schemas/Message" })
        );
        assert_eq!(success["required"], json!(["ok", "data"]));
        assert_eq!(failure["properties"]["ok"], json!({ "const": false }));
        let error = &failure["properties"]["error"];
        assert_eq!(
            error["allOf"],
            json!([{ "$ref": "#/components/schemas/WsError" }])
        );
        assert_eq!(
            error["properties"]["code"]["enum"],
            json!([
                "bad_payload",
                "validation_failed",
                "unauthorized",
                "forbidden",
                "rate_limited",
                "not_found",
                "internal",
                "unavailable",
                "not_member"
            ])
        );
    }

    #[test]
    fn the_nestjs_reply_is_the_bare_value_or_the_error_object() {
        let c = contracts(&[]);
        let r = Renderer::new(&c);
        let mut ping = event("ping", vec![], string());
        ping.ack_mode = AckMode::NestJs;
        let payload = r.ack_payload(&ping);
        assert_eq!(payload["anyOf"][0]["allOf"], json!([{ "type": "string" }]));
        assert_eq!(
            payload["anyOf"][1]["properties"]["status"],
            json!({ "const": "error" })
        );
        assert!(payload.get("oneOf").is_none());
    }

    #[test]
    fn ids_are_sanitised_unique_and_messages_of_one_name_do_not_collide() {
        assert_eq!(channel_id("/"), "main");
        assert_eq!(channel_id("/admin/v2"), "admin.v2");
        assert_eq!(sanitize("calc:add", "event"), "calc_add");
        assert_eq!(sanitize("héllo", "event"), "h_llo");

        let mut c = contracts(&[]);
        let mut chat = NamespaceContract::default();
        chat.client_events.insert(
            "typing",
            event("typing", vec![("room", string())], Shape::null()),
        );
        chat.server_events.insert(
            "typing",
            ServerEventContract {
                name: "typing",
                payload: string(),
            },
        );
        c.namespaces.insert("/chat", chat);
        let yaml = render(&c);
        let doc: Value = serde_norway::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        let keys = |v: &Value| {
            v.as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        assert_eq!(
            keys(&doc["channels"]["chat"]["messages"]),
            ["ack.typing", "client.typing", "server.typing"]
        );
        assert_eq!(
            keys(&doc["operations"]),
            ["chat.receive.typing", "chat.send.typing"]
        );
        let receive = &doc["operations"]["chat.receive.typing"];
        assert_eq!(receive["action"], "receive");
        assert_eq!(
            receive["reply"]["messages"][0]["$ref"],
            "#/channels/chat/messages/ack.typing"
        );
        assert_eq!(doc["operations"]["chat.send.typing"]["action"], "send");
    }

    #[test]
    fn the_document_keeps_the_specification_order_at_the_top() {
        let yaml = render(&contracts(&[]));
        let top: Vec<&str> = yaml
            .lines()
            .filter(|line| !line.starts_with([' ', '-']) && line.contains(':'))
            .filter_map(|line| line.split(':').next())
            .collect();
        assert_eq!(
            top,
            [
                "asyncapi",
                "info",
                "defaultContentType",
                "servers",
                "channels",
                "operations",
                "components"
            ]
        );
        assert!(yaml.starts_with("asyncapi: 3.0.0\n"), "{yaml}");
    }
}

//! Channels: one per namespace, with its messages (each client event, its ack, each server
//! event) and the `receive` and `send` operations on them.

use std::collections::BTreeSet;

use serde_json::Value;
use serde_norway::Value as Yaml;

use super::ids::sanitize;
use super::payloads::nest_error_schema;
use super::schemas::{Renderer, definition_target};
use super::yaml::{Map, reference, to_yaml};
use crate::ack::AckMode;
use crate::contract::model::{
    ClientEvent, EXCEPTION_EVENT, NamespaceContract, ServerEventContract, Shape,
};
use crate::contract::names::{UniqueNames, js_string, path_params};

impl Renderer<'_> {
    /// The channel `id` of `namespace`, with its operations (their ids unique across the
    /// document, through `operation_ids`).
    pub(super) fn channel(
        &self,
        id: &str,
        namespace: &str,
        contract: &NamespaceContract,
        operation_ids: &mut UniqueNames,
    ) -> Channel {
        let mut messages = Map::default();
        let mut operations = Vec::new();
        let mut message_keys = UniqueNames::new("_");
        let channel_ref = format!("#/channels/{id}");
        let message_ref = |key: &str| reference(&format!("{channel_ref}/messages/{key}"));

        for event in contract.client_events.values() {
            let event_id = sanitize(event.name, "event");
            let key = message_keys.claim(&format!("client.{event_id}"));
            let ack_key = message_keys.claim(&format!("ack.{event_id}"));
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
            let op_id = operation_ids.claim(&format!("{id}.receive.{event_id}"));
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
            let key = message_keys.claim(&format!("server.{event_id}"));
            let operation = Map::default()
                .with("action", "send")
                .with("channel", reference(&channel_ref))
                .with("title", name)
                .with_opt("summary", message.summary.clone())
                .with("description", message.operation_description)
                .with("messages", vec![message_ref(&key)]);
            messages = messages.with(&key, message.object);
            let op_id = operation_ids.claim(&format!("{id}.send.{event_id}"));
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
        // A dynamic namespace's parameters are channel parameters; AsyncAPI writes each
        // `{name}`, the rest-of-path one included.
        let params = path_params(namespace);
        let address = namespace.replace("{*", "{");
        let mut parameters = Map::default();
        for name in &params {
            let description = format!(
                "The `{name}` segment of the namespace path (`NsParams<T>` on the server)."
            );
            parameters = parameters.with(name, Map::default().with("description", description));
        }
        let object = Map::default()
            .with("address", address)
            .with("title", namespace)
            .with("description", description)
            .with("messages", messages);
        let object = if params.is_empty() {
            object
        } else {
            object.with("parameters", parameters)
        };
        let object = object.into();
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
}

/// A channel and the operations on it.
pub(super) struct Channel {
    pub(super) object: Yaml,
    pub(super) operations: Vec<(String, Yaml)>,
}

/// A server-to-client message and what its `send` operation says about it.
struct ServerMessage {
    object: Yaml,
    summary: Option<String>,
    operation_description: String,
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

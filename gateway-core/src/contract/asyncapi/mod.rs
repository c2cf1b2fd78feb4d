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

mod channels;
mod ids;
mod payloads;
mod schemas;
mod yaml;

use ids::channel_id;
use schemas::{Renderer, client_events};
use serde_norway::Value as Yaml;
use yaml::Map;

use super::model::Contracts;
use super::names::UniqueNames;
use crate::ack::AckMode;
use crate::error::code;

/// The AsyncAPI version written.
const ASYNCAPI: &str = "3.0.0";

/// The id of the one server.
const SERVER_ID: &str = "socketio";

pub(super) fn render(contracts: &Contracts) -> String {
    let document = Renderer::new(contracts).document();
    // A `serde_norway::Value` built from strings, numbers, booleans, sequences and mappings
    // with string keys always serialises; failing here would be a bug in this file.
    serde_norway::to_string(&document).expect("an AsyncAPI document always serialises to YAML")
}

/// The document's top level and descriptions; channels and schemas come from `channels`
/// and `schemas`.
impl Renderer<'_> {
    fn document(&self) -> Yaml {
        let info = &self.contracts.info;
        let mut channels = Map::default();
        let mut operations = Map::default();
        let mut channel_ids = UniqueNames::new("_");
        let mut operation_ids = UniqueNames::new("_");
        for (namespace, contract) in &self.contracts.namespaces {
            let id = channel_ids.claim(&channel_id(namespace));
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
                codes = code::BUILT_IN
                    .iter()
                    .map(|(c, _)| format!("`{c}`"))
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
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::ids::sanitize;
    use super::*;
    use crate::contract::fixtures::{contracts, event, string};
    use crate::contract::model::{NamespaceContract, ServerEventContract, Shape};

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

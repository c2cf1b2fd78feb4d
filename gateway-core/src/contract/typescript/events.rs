//! The event interfaces: each namespace's `ClientToServerEvents` (payload parameters and the
//! ack callback) and `ServerToClientEvents` (declared server events and `exception`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::identifiers::ParamNames;
use super::jsdoc::Doc;
use super::schema_types::Types;
use super::type_expr::{Ty, union};
use super::writer::{INDENT, MAX_WIDTH, Writer};
use crate::ack::AckMode;
use crate::contract::model::{
    ClientEvent, EXCEPTION_EVENT, NamespaceContract, ServerEventContract, Shape,
};
use crate::contract::names::js_string;

impl Types<'_> {
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

    /// The namespace's two interfaces: `<prefix>ClientToServerEvents`, then
    /// `<prefix>ServerToClientEvents`.
    pub(super) fn event_interfaces(
        &self,
        w: &mut Writer,
        prefix: &str,
        path: &str,
        ns: &NamespaceContract,
    ) {
        w.doc(
            0,
            &Doc::text(&format!("Events a client emits on `{path}`.")),
        );
        w.interface(&format!("{prefix}ClientToServerEvents"), |w| {
            for event in ns.client_events.values() {
                self.client_event(w, event);
            }
        });
        w.blank();
        let server_events = self.server_events(ns);
        w.doc(
            0,
            &Doc::text(&format!("Events the server emits on `{path}`.")),
        );
        w.interface(&format!("{prefix}ServerToClientEvents"), |w| {
            for (name, doc, params) in server_events {
                w.doc(1, &doc);
                signature(w, 1, &format!("{}: ", js_string(name)), &[params]);
            }
        });
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

    /// The server events of a namespace, by name, with their JSDoc and parameter: those
    /// declared with `emits(...)`, and `exception` unless declared.
    fn server_events<'n>(&self, ns: &'n NamespaceContract) -> Vec<(&'n str, Doc, String)> {
        let exception = self.exception_event(ns);
        let mut events: Vec<(&'n str, Doc, String)> = ns
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
        events
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::contract::fixtures::{contracts, event, string};
    use crate::contract::typescript::identifiers::Names;

    /// A client event's member of `...ClientToServerEvents`.
    fn member(event: &ClientEvent) -> String {
        let c = contracts(&[("Message", json!({}))]);
        let names = Names::assign(&c);
        let types = Types::new(&names, &c.definitions);
        let mut w = Writer::default();
        types.client_event(&mut w, event);
        w.finish()
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
        let types = Types::new(&names, &c.definitions);
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
}

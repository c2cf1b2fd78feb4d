//! Message payloads: a client event's argument list, and its ack (the envelope, or the
//! NestJS shape).

use serde_json::{Value, json};

use super::schemas::Renderer;
use crate::ack::AckMode;
use crate::contract::model::{ClientEvent, Shape};
use crate::error::code;

impl Renderer<'_> {
    /// The payload of a client event: its Socket.IO argument list.
    ///
    /// Exactly one argument: that argument's schema, so the common case reads like any
    /// other AsyncAPI payload. None or several: the list as a draft-07 tuple (`items: [...]`
    /// with `minItems`/`maxItems`), since an AsyncAPI message has one payload and a
    /// Socket.IO event carries a list. `Args` (any number of anything) takes the rest of the
    /// list: alone, an array of anything; after fixed arguments, the tuple without
    /// `maxItems`. A lone argument that is itself an array would look like a list: the
    /// message's `x-socketio-arguments` (the argument names) settles it.
    pub(super) fn args_payload(&self, args: &[(String, Shape)]) -> Value {
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
    pub(super) fn ack_payload(&self, event: &ClientEvent) -> Value {
        let data = self.shape_schema(&event.ack);
        match event.ack_mode {
            AckMode::Envelope => {
                let mut codes: Vec<&str> = code::BUILT_IN.iter().map(|(c, _)| *c).collect();
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

pub(super) fn nest_error_schema() -> Value {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::fixtures::{contracts, event, string};

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
}

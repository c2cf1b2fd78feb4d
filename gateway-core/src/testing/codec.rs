//! The Socket.IO v5 packet codec of the test client: EVENT and ACK packets (and their
//! BINARY_ variants) to WebSocket frames, and text packets back to their parts.

use std::fmt::Write as _;

use bytes::Bytes;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::extract::Arg;

/// What an encoded packet is: an event, or the answer to one.
#[derive(Clone, Copy)]
pub(super) enum OutgoingKind {
    Event,
    Ack,
}

/// Encodes an EVENT/ACK (or their BINARY_ variants) as the text frame plus attachment frames.
pub(super) fn encode_packet(
    kind: OutgoingKind,
    ns: &str,
    id: Option<u64>,
    event: Option<&str>,
    args: Vec<Arg>,
) -> Vec<Message> {
    let mut attachments = Vec::new();
    let mut data = Vec::with_capacity(args.len() + 1);
    data.extend(event.map(|e| Value::String(e.to_owned())));
    for arg in args {
        match arg {
            Arg::Json(v) => data.push(v),
            Arg::Binary(b) => {
                data.push(json!({ "_placeholder": true, "num": attachments.len() }));
                attachments.push(b);
            }
        }
    }
    let mut text = String::from("4");
    text.push(match (kind, attachments.is_empty()) {
        (OutgoingKind::Event, true) => '2',
        (OutgoingKind::Ack, true) => '3',
        (OutgoingKind::Event, false) => '5',
        (OutgoingKind::Ack, false) => '6',
    });
    if !attachments.is_empty() {
        let _ = write!(text, "{}-", attachments.len());
    }
    text.push_str(&ns_prefix(ns));
    if let Some(id) = id {
        let _ = write!(text, "{id}");
    }
    text.push_str(&Value::Array(data).to_string());
    let mut frames = vec![Message::text(text)];
    frames.extend(attachments.into_iter().map(Message::Binary));
    frames
}

/// `"/chat,"` for `/chat`, nothing for the main namespace.
pub(super) fn ns_prefix(ns: &str) -> String {
    if ns == "/" {
        String::new()
    } else {
        format!("{ns},")
    }
}

/// The namespace path with its leading `/` (`chat` is `/chat`).
pub(super) fn normalize_ns(ns: &str) -> String {
    if ns.starts_with('/') {
        ns.to_owned()
    } else {
        format!("/{ns}")
    }
}

/// A parsed Socket.IO packet whose binary attachments may still be missing.
pub(super) struct ParsedPacket {
    /// The packet type, an ASCII digit (`b'0'` CONNECT to `b'6'` BINARY_ACK).
    pub(super) kind: u8,
    /// How many binary attachments follow the text frame.
    pub(super) attachment_count: usize,
    pub(super) ns: String,
    pub(super) id: Option<u64>,
    pub(super) data: Option<Value>,
}

/// Parses a Socket.IO packet (the text after the Engine.IO `4`).
pub(super) fn parse_packet(text: &str) -> Result<ParsedPacket, String> {
    let err = |what: &str| format!("{what} in Socket.IO packet {text:?}");
    let kind = *text.as_bytes().first().ok_or_else(|| err("empty packet"))?;
    if !(b'0'..=b'6').contains(&kind) {
        return Err(err("unknown packet type"));
    }
    let mut rest = &text[1..];
    let mut attachment_count = 0;
    if kind == b'5' || kind == b'6' {
        let dash = rest
            .find('-')
            .ok_or_else(|| err("missing attachment count"))?;
        attachment_count = rest[..dash]
            .parse()
            .map_err(|_| err("bad attachment count"))?;
        rest = &rest[dash + 1..];
    }
    let mut ns = String::from("/");
    if rest.starts_with('/') {
        let end = rest.find(',').unwrap_or(rest.len());
        ns = rest[..end].to_owned();
        rest = rest.get(end + 1..).unwrap_or("");
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let id = match digits {
        0 => None,
        _ => Some(rest[..digits].parse().map_err(|_| err("bad ack id"))?),
    };
    rest = &rest[digits..];
    let data = match rest {
        "" => None,
        json => Some(serde_json::from_str(json).map_err(|e| err(&format!("invalid JSON ({e})")))?),
    };
    Ok(ParsedPacket {
        kind,
        attachment_count,
        ns,
        id,
        data,
    })
}

/// Converts JSON arguments, replacing top-level binary placeholders with their attachment.
pub(super) fn decode_args(values: impl Iterator<Item = Value>, attachments: &[Bytes]) -> Vec<Arg> {
    values
        .map(
            |v| match placeholder_num(&v).and_then(|n| attachments.get(n)) {
                Some(bin) => Arg::Binary(bin.clone()),
                None => Arg::Json(v),
            },
        )
        .collect()
}

/// The `num` of a `{"_placeholder": true, "num": n}` object.
fn placeholder_num(v: &Value) -> Option<usize> {
    let obj = v.as_object()?;
    if obj.len() != 2 || obj.get("_placeholder")?.as_bool() != Some(true) {
        return None;
    }
    usize::try_from(obj.get("num")?.as_u64()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_packets_carry_placeholders_and_attachment_frames() {
        let frames = encode_packet(
            OutgoingKind::Ack,
            "/chat",
            Some(7),
            None,
            vec![Arg::from(json!("x")), Arg::from(Bytes::from_static(b"ab"))],
        );
        assert_eq!(
            frames,
            vec![
                Message::text(r#"461-/chat,7["x",{"_placeholder":true,"num":0}]"#),
                Message::binary(Bytes::from_static(b"ab")),
            ]
        );
        let parsed = parse_packet(r#"51-/chat,7["x",{"_placeholder":true,"num":0}]"#).unwrap();
        assert_eq!(
            (
                parsed.kind,
                parsed.attachment_count,
                parsed.ns.as_str(),
                parsed.id
            ),
            (b'5', 1, "/chat", Some(7))
        );
        let Some(Value::Array(values)) = parsed.data else {
            panic!("an array payload")
        };
        let args = decode_args(values.into_iter(), &[Bytes::from_static(b"ab")]);
        assert_eq!(args[1].as_binary().map(|b| b.as_ref()), Some(&b"ab"[..]));
    }

    #[test]
    fn malformed_packets_are_errors() {
        for text in [
            "",
            "9",
            "5",
            "5x-[]",
            "2/chat,[",
            "2999999999999999999999[]",
        ] {
            assert!(parse_packet(text).is_err(), "{text:?}");
        }
    }
}

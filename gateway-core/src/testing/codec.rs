//! The Socket.IO packets of the test client, encoded and decoded by socketioxide's own
//! parser crates (socketioxide-parser-common for JSON, socketioxide-parser-msgpack for
//! msgpack), so the client speaks each parser exactly as the server does and there is no
//! second codec to keep in step with them.

use bytes::Bytes;
use serde_json::Value;
use socketioxide_core::Str;
use socketioxide_core::packet::{Packet, PacketData};
use socketioxide_core::parser::{Parse, ParseConfig, ParseError, ParserState};
use socketioxide_parser_common::CommonParser;
#[cfg(feature = "msgpack")]
use socketioxide_parser_msgpack::MsgPackParser;
use tokio_tungstenite::tungstenite::Message;

use super::any_value::AnyArgs;
use super::error::TestClientError;
use crate::app::Parser;
use crate::extract::{Arg, Args};

/// The parser a test client speaks, chosen with
/// [`TestClientBuilder::parser`](super::TestClientBuilder::parser).
#[derive(Debug, Clone, Copy)]
pub(super) enum Codec {
    Json(CommonParser),
    #[cfg(feature = "msgpack")]
    MsgPack(MsgPackParser),
}

/// Runs `$body` with `$p` bound to the codec's parser (each parser is its own type).
macro_rules! with_parser {
    ($codec:expr, $p:ident => $body:expr) => {
        match $codec {
            Codec::Json($p) => $body,
            #[cfg(feature = "msgpack")]
            Codec::MsgPack($p) => $body,
        }
    };
}

/// A packet the server sent, decoded by the parser.
pub(super) enum Decoded {
    /// A complete packet.
    Packet(Packet),
    /// A CONNECT_ERROR: its namespace and message.
    Refused { ns: String, message: String },
    /// A binary packet still waiting for attachments.
    Incomplete,
}

impl Codec {
    /// The codec of `parser`; msgpack needs the crate's `msgpack` feature.
    pub(super) fn new(parser: Parser) -> Result<Self, TestClientError> {
        match parser {
            Parser::Json => Ok(Codec::Json(CommonParser)),
            #[cfg(feature = "msgpack")]
            Parser::MsgPack => Ok(Codec::MsgPack(MsgPackParser)),
            #[cfg(not(feature = "msgpack"))]
            Parser::MsgPack => Err(TestClientError::InvalidRequest(
                "the msgpack parser needs socketioxide-gateway's `msgpack` feature".to_owned(),
            )),
        }
    }

    /// An EVENT (BINARY_EVENT when an argument is binary), asking for ack `id` if given.
    pub(super) fn event(
        self,
        ns: &str,
        id: Option<u64>,
        event: &str,
        args: Vec<Arg>,
    ) -> Result<Vec<Message>, TestClientError> {
        let data = with_parser!(self, p => p.encode_value(&Args(args), Some(event)))
            .map_err(encode_error)?;
        let mut packet = Packet::event(Str::from(ns.to_owned()), data);
        if let Some(id) = id {
            packet.inner.set_ack_id(ack_id(id)?);
        }
        Ok(self.frames(packet))
    }

    /// The ACK (BINARY_ACK) of the server's emit `id`.
    pub(super) fn ack(
        self,
        ns: &str,
        id: u64,
        args: Vec<Arg>,
    ) -> Result<Vec<Message>, TestClientError> {
        let data =
            with_parser!(self, p => p.encode_value(&Args(args), None)).map_err(encode_error)?;
        Ok(self.frames(Packet::ack(Str::from(ns.to_owned()), data, ack_id(id)?)))
    }

    /// The CONNECT to `ns`, with its auth payload.
    pub(super) fn connect(
        self,
        ns: &str,
        auth: Option<&Value>,
    ) -> Result<Vec<Message>, TestClientError> {
        let data = auth
            .map(|auth| with_parser!(self, p => p.encode_default(auth)))
            .transpose()
            .map_err(encode_error)?;
        Ok(self.frames(Packet::connect(Str::from(ns.to_owned()), data)))
    }

    /// The DISCONNECT from `ns`.
    pub(super) fn disconnect(self, ns: &str) -> Vec<Message> {
        self.frames(Packet::disconnect(Str::from(ns.to_owned())))
    }

    /// `packet` as WebSocket frames: Engine.IO's `4` message, then its binary attachments
    /// (JSON), or one binary message (msgpack).
    fn frames(self, packet: Packet) -> Vec<Message> {
        match with_parser!(self, p => p.encode(packet)) {
            socketioxide_core::Value::Str(text, attachments) => {
                let mut frames = vec![Message::text(format!("4{}", text.as_str()))];
                frames.extend(attachments.into_iter().flatten().map(Message::Binary));
                frames
            }
            socketioxide_core::Value::Bytes(bytes) => vec![Message::Binary(bytes)],
        }
    }

    /// Decodes the Socket.IO packet of an Engine.IO text message (the text after its `4`).
    pub(super) fn decode_text(
        self,
        state: &ParserState,
        text: &str,
    ) -> Result<Decoded, TestClientError> {
        // The common parser decodes what a server receives, and a server never receives a
        // CONNECT_ERROR; so the one packet only servers send is read here.
        if let Some(refused) = text.strip_prefix('4') {
            return refused_packet(refused);
        }
        let decoded = with_parser!(self, p => p.decode_str(&ParseConfig::default(), state, Str::from(text.to_owned())));
        decoded_or_incomplete(decoded, text)
    }

    /// Decodes an Engine.IO binary message: an attachment (JSON) or a packet (msgpack).
    pub(super) fn decode_binary(
        self,
        state: &ParserState,
        bytes: Bytes,
    ) -> Result<Decoded, TestClientError> {
        let decoded = with_parser!(self, p => p.decode_bin(&ParseConfig::default(), state, bytes));
        match decoded {
            Ok(Packet {
                inner: PacketData::ConnectError(message),
                ns,
            }) => Ok(Decoded::Refused {
                ns: ns.to_string(),
                message,
            }),
            other => decoded_or_incomplete(other, "a binary frame"),
        }
    }

    /// An EVENT's name and arguments, with every binary of the packet.
    pub(super) fn event_args(
        self,
        mut data: socketioxide_core::Value,
    ) -> Result<(String, Vec<Arg>, Vec<Bytes>), String> {
        let event = with_parser!(self, p => p.read_event(&data).map(str::to_owned))
            .map_err(|e| format!("the event name could not be read ({e})"))?;
        let args: AnyArgs = with_parser!(self, p => p.decode_value(&mut data, true))
            .map_err(|e| format!("the arguments of {event:?} do not decode ({e})"))?;
        let (args, attachments) = args.into_args();
        Ok((event, args, attachments))
    }

    /// An ACK's arguments, with every binary of the packet.
    pub(super) fn ack_args(
        self,
        mut data: socketioxide_core::Value,
    ) -> Result<(Vec<Arg>, Vec<Bytes>), String> {
        let args: AnyArgs = with_parser!(self, p => p.decode_value(&mut data, false))
            .map_err(|e| format!("the ack's arguments do not decode ({e})"))?;
        Ok(args.into_args())
    }

    /// The session id a CONNECT reply carries (`{"sid": "..."}`), if it decodes.
    pub(super) fn connect_sid(self, data: Option<&socketioxide_core::Value>) -> Option<String> {
        let data: Value = with_parser!(self, p => p.decode_default(data)).ok()?;
        data.get("sid").and_then(Value::as_str).map(str::to_owned)
    }
}

/// A decode result, with "needs more attachments" as [`Decoded::Incomplete`].
fn decoded_or_incomplete(
    decoded: Result<Packet, ParseError>,
    what: &str,
) -> Result<Decoded, TestClientError> {
    match decoded {
        Ok(packet) => Ok(Decoded::Packet(packet)),
        Err(ParseError::NeedsMoreBinaryData) => Ok(Decoded::Incomplete),
        Err(e) => Err(TestClientError::Protocol(format!(
            "{e} in Socket.IO packet {what:?}"
        ))),
    }
}

/// A CONNECT_ERROR in the common format: `[/ns,]{"message": "..."}` (after its `4`).
fn refused_packet(rest: &str) -> Result<Decoded, TestClientError> {
    let (ns, json) = match rest.strip_prefix('/') {
        Some(_) => rest.split_once(',').unwrap_or((rest, "")),
        None => ("/", rest),
    };
    let data: Value = serde_json::from_str(json).map_err(|e| {
        TestClientError::Protocol(format!("invalid CONNECT_ERROR packet {rest:?} ({e})"))
    })?;
    let message = match &data {
        Value::Object(o) => o.get("message").and_then(Value::as_str).map(str::to_owned),
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    Ok(Decoded::Refused {
        ns: ns.to_owned(),
        message: message.unwrap_or_else(|| data.to_string()),
    })
}

/// An ack id as the parsers take it (an `i64`).
fn ack_id(id: u64) -> Result<i64, TestClientError> {
    i64::try_from(id).map_err(|_| TestClientError::Unexpected(format!("ack id {id} overflows")))
}

fn encode_error(e: impl std::fmt::Display) -> TestClientError {
    TestClientError::Unexpected(format!("the arguments do not encode: {e}"))
}

/// The namespace path with its leading `/` (`chat` is `/chat`).
pub(super) fn normalize_ns(ns: &str) -> String {
    if ns.starts_with('/') {
        ns.to_owned()
    } else {
        format!("/{ns}")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn text(frame: &Message) -> &str {
        match frame {
            Message::Text(text) => text.as_str(),
            other => panic!("a text frame, got {other:?}"),
        }
    }

    #[test]
    fn json_binary_packets_carry_placeholders_and_attachment_frames() {
        let codec = Codec::new(Parser::Json).unwrap();
        let frames = codec
            .event(
                "/chat",
                Some(7),
                "upload",
                vec![Arg::from(json!("x")), Arg::from(Bytes::from_static(b"ab"))],
            )
            .unwrap();
        assert_eq!(
            text(&frames[0]),
            r#"451-/chat,7["upload","x",{"_placeholder":true,"num":0}]"#
        );
        assert_eq!(frames[1], Message::binary(Bytes::from_static(b"ab")));

        let state = ParserState::default();
        let Decoded::Incomplete = codec.decode_text(&state, &text(&frames[0])[1..]).unwrap() else {
            panic!("waits for its attachment")
        };
        let Decoded::Packet(packet) = codec
            .decode_binary(&state, Bytes::from_static(b"ab"))
            .unwrap()
        else {
            panic!("complete with its attachment")
        };
        let PacketData::BinaryEvent(data, Some(7)) = packet.inner else {
            panic!("a binary event with ack id 7")
        };
        let (event, args, attachments) = codec.event_args(data).unwrap();
        assert_eq!(event, "upload");
        assert_eq!(args[1].as_binary().map(|b| b.as_ref()), Some(&b"ab"[..]));
        assert_eq!(attachments, vec![Bytes::from_static(b"ab")]);
    }

    #[test]
    fn nested_binary_is_shown_as_a_placeholder() {
        let codec = Codec::new(Parser::Json).unwrap();
        let state = ParserState::default();
        let text = r#"61-/chat,3[{"ok":true,"data":{"_placeholder":true,"num":0}}]"#;
        assert!(matches!(
            codec.decode_text(&state, text).unwrap(),
            Decoded::Incomplete
        ));
        let Decoded::Packet(packet) = codec
            .decode_binary(&state, Bytes::from_static(b"z"))
            .unwrap()
        else {
            panic!("complete")
        };
        let PacketData::BinaryAck(data, 3) = packet.inner else {
            panic!("a binary ack")
        };
        let (args, attachments) = codec.ack_args(data).unwrap();
        assert_eq!(
            args,
            vec![Arg::from(
                json!({"ok": true, "data": {"_placeholder": true, "num": 0}})
            )]
        );
        assert_eq!(attachments, vec![Bytes::from_static(b"z")]);
    }

    #[test]
    fn connect_error_is_read_with_its_namespace() {
        let codec = Codec::new(Parser::Json).unwrap();
        let state = ParserState::default();
        let Decoded::Refused { ns, message } = codec
            .decode_text(&state, r#"4/admin,{"message":"forbidden"}"#)
            .unwrap()
        else {
            panic!("a refusal")
        };
        assert_eq!((ns.as_str(), message.as_str()), ("/admin", "forbidden"));
    }

    #[test]
    fn malformed_packets_are_errors() {
        let codec = Codec::new(Parser::Json).unwrap();
        for text in ["", "9", "5x-[]", "4/chat,{", "3/chat,[]"] {
            let state = ParserState::default();
            assert!(codec.decode_text(&state, text).is_err(), "{text:?}");
        }
    }

    #[cfg(feature = "msgpack")]
    #[test]
    fn msgpack_packets_are_one_binary_frame_with_inline_binary() {
        let codec = Codec::new(Parser::MsgPack).unwrap();
        let frames = codec
            .event(
                "/chat",
                Some(1),
                "upload",
                vec![
                    Arg::from(json!({"n": 1})),
                    Arg::from(Bytes::from_static(b"ab")),
                ],
            )
            .unwrap();
        let [Message::Binary(bytes)] = frames.as_slice() else {
            panic!("one binary frame, got {frames:?}")
        };
        let state = ParserState::default();
        let Decoded::Packet(packet) = codec.decode_binary(&state, bytes.clone()).unwrap() else {
            panic!("complete")
        };
        assert_eq!(packet.ns.as_str(), "/chat");
        let PacketData::Event(data, Some(1)) = packet.inner else {
            panic!("an event with ack id 1")
        };
        let (event, args, _) = codec.event_args(data).unwrap();
        assert_eq!(event, "upload");
        assert_eq!(
            args,
            vec![
                Arg::from(json!({"n": 1})),
                Arg::from(Bytes::from_static(b"ab"))
            ]
        );
    }
}

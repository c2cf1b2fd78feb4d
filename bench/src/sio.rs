//! Socket.IO v5 over Engine.IO v4, on [`WsConn`]: connect to a namespace (with an auth
//! token), write events with ack ids, read acks and events. JSON packets are formatted and
//! parsed as text, without building JSON values; msgpack packets ([`Wire::MsgPack`], what
//! `socket.io-msgpack-parser` sends) are binary frames, encoded and decoded with
//! `rmp-serde`.

use std::io::{self, Write as _};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use crate::ws::WsConn;

/// How long a connection step may take before the client gives up.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a client could not join the namespace.
#[derive(Debug)]
pub enum ConnectError {
    /// The transport failed (I/O, protocol, timeout).
    Io(io::Error),
    /// The server refused the namespace CONNECT (`44`), with this message payload.
    Refused(String),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::Io(err) => write!(f, "{err}"),
            ConnectError::Refused(msg) => write!(f, "connection refused by the server: {msg}"),
        }
    }
}

impl std::error::Error for ConnectError {}

impl From<io::Error> for ConnectError {
    fn from(err: io::Error) -> Self {
        ConnectError::Io(err)
    }
}

/// An incoming Socket.IO packet of the client's namespace.
#[derive(Debug, PartialEq, Eq)]
pub enum Packet<'a> {
    /// `43`: the ack with this id; `data` is the JSON array of its arguments.
    Ack {
        /// The ack id.
        id: u64,
        /// The arguments, a JSON array.
        data: &'a [u8],
    },
    /// `42`: an event; `data` is the JSON array `["name", args...]`.
    Event {
        /// `["name", args...]`.
        data: &'a [u8],
    },
    /// Anything else (another namespace, CONNECT, DISCONNECT...).
    Other,
}

/// The Socket.IO parser a client speaks; the server must speak the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wire {
    /// socket.io's default text packets.
    #[default]
    Json,
    /// msgpack packets, one binary frame each.
    MsgPack,
}

impl std::str::FromStr for Wire {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "json" => Ok(Wire::Json),
            "msgpack" => Ok(Wire::MsgPack),
            other => Err(format!("unknown parser `{other}`: `json` or `msgpack`")),
        }
    }
}

/// Reads the packets of one namespace off the wire.
#[derive(Debug, Clone)]
pub struct Decoder {
    /// `/bench,`: the namespace prefix of every JSON packet (empty for `/`).
    pub prefix: Vec<u8>,
    /// The namespace, as msgpack packets carry it.
    nsp: String,
    wire: Wire,
}

impl Decoder {
    /// Parses a frame of this client's namespace. A msgpack event's `data` is not handed
    /// over (the scenarios that read events speak JSON).
    pub fn parse<'a>(&self, frame: &'a [u8]) -> Packet<'a> {
        match self.wire {
            Wire::Json => parse_packet(&self.prefix, frame),
            Wire::MsgPack => match rmp_serde::from_slice::<MsgPackHeader<'_>>(frame) {
                Ok(header) if header.nsp == self.nsp => match (header.kind, header.id) {
                    (3, Some(id)) => Packet::Ack { id, data: &[] },
                    (2, _) => Packet::Event { data: &[] },
                    _ => Packet::Other,
                },
                _ => Packet::Other,
            },
        }
    }
}

/// The fields of a msgpack packet a client routes by.
#[derive(serde::Deserialize)]
struct MsgPackHeader<'a> {
    #[serde(rename = "type")]
    kind: u8,
    #[serde(borrow)]
    nsp: &'a str,
    #[serde(default)]
    id: Option<u64>,
}

/// A msgpack packet with its data, as JSON.
#[derive(serde::Serialize, serde::Deserialize)]
struct MsgPackPacket<'a> {
    #[serde(rename = "type")]
    kind: u8,
    nsp: &'a str,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data: Option<serde_json::Value>,
}

/// A Socket.IO client connected to one namespace.
pub struct SioClient {
    /// The connection.
    pub ws: WsConn,
    /// Reads its namespace's packets.
    pub decoder: Decoder,
    scratch: Vec<u8>,
}

impl SioClient {
    /// Connects over WebSocket and joins `namespace`, sending `{"token": ...}` as the
    /// auth payload when `token` is set. Resolves once the server's CONNECT arrives.
    pub async fn connect(
        addr: SocketAddr,
        namespace: &str,
        token: Option<&str>,
        read_buf: usize,
        wire: Wire,
    ) -> Result<Self, ConnectError> {
        Self::connect_from(addr, None, namespace, token, read_buf, wire).await
    }

    /// [`connect`](Self::connect) from the local address `source`, when given (see
    /// [`WsConn::connect_from`]).
    pub async fn connect_from(
        addr: SocketAddr,
        source: Option<IpAddr>,
        namespace: &str,
        token: Option<&str>,
        read_buf: usize,
        wire: Wire,
    ) -> Result<Self, ConnectError> {
        match tokio::time::timeout(
            STEP_TIMEOUT,
            Self::connect_inner(addr, source, namespace, token, read_buf, wire),
        )
        .await
        {
            Ok(result) => result,
            Err(_) => Err(ConnectError::Io(io::Error::new(
                io::ErrorKind::TimedOut,
                "connecting took too long",
            ))),
        }
    }

    async fn connect_inner(
        addr: SocketAddr,
        source: Option<IpAddr>,
        namespace: &str,
        token: Option<&str>,
        read_buf: usize,
        wire: Wire,
    ) -> Result<Self, ConnectError> {
        let mut ws = WsConn::connect_from(
            addr,
            source,
            "/socket.io/?EIO=4&transport=websocket",
            read_buf,
        )
        .await?;
        // Engine.IO OPEN (`0{...}`).
        let mut opened = false;
        while !opened {
            ws.read_batch(|text| opened |= text.first() == Some(&b'0'))
                .await?;
        }
        let prefix = if namespace == "/" {
            Vec::new()
        } else {
            format!("{namespace},").into_bytes()
        };
        let auth = token.map(|token| serde_json::json!({ "token": token }));
        match wire {
            Wire::Json => {
                let mut connect = b"40".to_vec();
                connect.extend_from_slice(&prefix);
                if let Some(auth) = &auth {
                    connect.extend_from_slice(auth.to_string().as_bytes());
                }
                ws.queue_text(&connect);
            }
            Wire::MsgPack => {
                let connect = MsgPackPacket {
                    kind: 0,
                    nsp: namespace,
                    id: None,
                    data: auth,
                };
                ws.queue_binary(&encode_msgpack(&connect)?);
            }
        }
        ws.flush().await?;
        let mut outcome: Option<Result<(), String>> = None;
        while outcome.is_none() {
            ws.read_batch(|frame| {
                if outcome.is_some() {
                    return;
                }
                outcome = connect_answer(wire, namespace, &prefix, frame);
            })
            .await?;
        }
        match outcome {
            Some(Err(msg)) => Err(ConnectError::Refused(msg)),
            _ => Ok(Self {
                ws,
                decoder: Decoder {
                    prefix,
                    nsp: namespace.to_owned(),
                    wire,
                },
                scratch: Vec::with_capacity(256),
            }),
        }
    }

    /// Queues `event` with the JSON argument `arg` (already serialised), asking for an ack
    /// when `ack_id` is set.
    pub fn queue_emit(&mut self, ack_id: Option<u64>, event: &str, arg: &[u8]) {
        if self.decoder.wire == Wire::MsgPack {
            return self.queue_msgpack_emit(ack_id, event, arg);
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(b"42");
        self.scratch.extend_from_slice(&self.decoder.prefix);
        if let Some(id) = ack_id {
            // Writing to a Vec cannot fail.
            let _ = write!(self.scratch, "{id}");
        }
        self.scratch.extend_from_slice(b"[\"");
        self.scratch.extend_from_slice(event.as_bytes());
        self.scratch.extend_from_slice(b"\",");
        self.scratch.extend_from_slice(arg);
        self.scratch.push(b']');
        self.ws.queue_text(&self.scratch);
    }

    /// The msgpack form of [`queue_emit`](Self::queue_emit): `arg` (JSON) goes out as
    /// msgpack, as a client of `socket.io-msgpack-parser` would send it.
    fn queue_msgpack_emit(&mut self, ack_id: Option<u64>, event: &str, arg: &[u8]) {
        let arg: serde_json::Value = serde_json::from_slice(arg).unwrap_or_default();
        let packet = MsgPackPacket {
            kind: 2,
            nsp: &self.decoder.nsp,
            id: ack_id,
            data: Some(serde_json::json!([event, arg])),
        };
        self.scratch.clear();
        // Writing to a Vec cannot fail.
        let _ = rmp_serde::encode::write_named(&mut self.scratch, &packet);
        self.ws.queue_binary(&self.scratch);
    }

    /// Emits `event` with `arg` and waits for its ack (id `ack_id`); other packets that
    /// arrive meanwhile are dropped. Returns the ack's arguments (a JSON array).
    pub async fn call(&mut self, ack_id: u64, event: &str, arg: &[u8]) -> io::Result<Vec<u8>> {
        self.queue_emit(Some(ack_id), event, arg);
        self.ws.flush().await?;
        let decoder = self.decoder.clone();
        let mut ack = None;
        while ack.is_none() {
            self.ws
                .read_batch_timeout(STEP_TIMEOUT, |frame| {
                    if let Packet::Ack { id, data } = decoder.parse(frame)
                        && id == ack_id
                    {
                        ack = Some(match decoder.wire {
                            Wire::Json => data.to_vec(),
                            Wire::MsgPack => msgpack_data_as_json(frame),
                        });
                    }
                })
                .await?;
        }
        ack.ok_or_else(|| io::Error::other("no ack"))
    }
}

/// The answer to a CONNECT, if `frame` is one: joined, or refused with the server's message.
fn connect_answer(
    wire: Wire,
    namespace: &str,
    prefix: &[u8],
    frame: &[u8],
) -> Option<Result<(), String>> {
    match wire {
        Wire::Json => {
            if let Some(rest) = frame.strip_prefix(b"40")
                && rest.starts_with(prefix)
            {
                Some(Ok(()))
            } else if let Some(rest) = frame.strip_prefix(b"44")
                && let Some(msg) = rest.strip_prefix(prefix)
            {
                Some(Err(String::from_utf8_lossy(msg).into_owned()))
            } else {
                None
            }
        }
        Wire::MsgPack => {
            let packet: MsgPackPacket<'_> = rmp_serde::from_slice(frame).ok()?;
            match packet.kind {
                0 if packet.nsp == namespace => Some(Ok(())),
                4 if packet.nsp == namespace => {
                    Some(Err(packet.data.map(|d| d.to_string()).unwrap_or_default()))
                }
                _ => None,
            }
        }
    }
}

fn encode_msgpack(packet: &MsgPackPacket<'_>) -> io::Result<Vec<u8>> {
    rmp_serde::to_vec_named(packet).map_err(io::Error::other)
}

/// The `data` of a msgpack packet as JSON text (`[]` when it has none).
fn msgpack_data_as_json(frame: &[u8]) -> Vec<u8> {
    rmp_serde::from_slice::<MsgPackPacket<'_>>(frame)
        .ok()
        .and_then(|packet| packet.data)
        .map_or_else(|| b"[]".to_vec(), |data| data.to_string().into_bytes())
}

/// Parses `4<type>[<prefix>][<id>]<json>`.
pub fn parse_packet<'a>(prefix: &[u8], text: &'a [u8]) -> Packet<'a> {
    let Some((&kind, rest)) = text.strip_prefix(b"4").and_then(<[u8]>::split_first) else {
        return Packet::Other;
    };
    let Some(rest) = rest.strip_prefix(prefix) else {
        return Packet::Other;
    };
    match kind {
        b'2' => {
            let start = rest.iter().position(|b| !b.is_ascii_digit()).unwrap_or(0);
            Packet::Event {
                data: &rest[start..],
            }
        }
        b'3' => {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            let id = rest[..digits]
                .iter()
                .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            Packet::Ack {
                id,
                data: &rest[digits..],
            }
        }
        _ => Packet::Other,
    }
}

/// The unsigned integer following `"key":` in a JSON text (the first occurrence).
pub fn find_u64(json: &[u8], key: &[u8]) -> Option<u64> {
    let pos = json.windows(key.len()).position(|w| w == key)?;
    let digits = &json[pos + key.len()..];
    let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    if len == 0 {
        return None;
    }
    Some(digits[..len].iter().fold(0u64, |n, d| {
        n.wrapping_mul(10).wrapping_add(u64::from(d - b'0'))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msgpack_packets_round_trip() {
        let decoder = Decoder {
            prefix: b"/bench,".to_vec(),
            nsp: "/bench".to_owned(),
            wire: Wire::MsgPack,
        };
        let ack = MsgPackPacket {
            kind: 3,
            nsp: "/bench",
            id: Some(9),
            data: Some(serde_json::json!([{"ok": true}])),
        };
        let frame = encode_msgpack(&ack).unwrap();
        assert_eq!(decoder.parse(&frame), Packet::Ack { id: 9, data: &[] });
        assert_eq!(msgpack_data_as_json(&frame), br#"[{"ok":true}]"#.to_vec());
        let other = MsgPackPacket {
            nsp: "/other",
            ..ack
        };
        assert_eq!(
            decoder.parse(&encode_msgpack(&other).unwrap()),
            Packet::Other
        );
    }

    #[test]
    fn parses_acks_and_events() {
        assert_eq!(
            parse_packet(b"/bench,", b"43/bench,17[true]"),
            Packet::Ack {
                id: 17,
                data: b"[true]"
            }
        );
        assert_eq!(
            parse_packet(b"/bench,", b"42/bench,[\"msg\",{\"t\":5}]"),
            Packet::Event {
                data: b"[\"msg\",{\"t\":5}]"
            }
        );
        assert_eq!(parse_packet(b"/bench,", b"42/other,[\"x\"]"), Packet::Other);
        assert_eq!(
            parse_packet(b"", b"431[null]"),
            Packet::Ack {
                id: 1,
                data: b"[null]"
            }
        );
        assert_eq!(
            find_u64(b"[\"msg\",{\"room\":\"a\",\"t\":123}]", b"\"t\":"),
            Some(123)
        );
    }
}

//! Socket.IO v5 over Engine.IO v4, on [`WsConn`]: connect to a namespace (with an auth
//! token), write events with ack ids, read acks and events. Packets are formatted and
//! parsed as text, without building JSON values.

use std::io::{self, Write as _};
use std::net::SocketAddr;
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

/// A Socket.IO client connected to one namespace.
pub struct SioClient {
    /// The connection.
    pub ws: WsConn,
    /// `/bench,`: the namespace prefix of every packet (empty for `/`).
    pub prefix: Vec<u8>,
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
    ) -> Result<Self, ConnectError> {
        match tokio::time::timeout(
            STEP_TIMEOUT,
            Self::connect_inner(addr, namespace, token, read_buf),
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
        namespace: &str,
        token: Option<&str>,
        read_buf: usize,
    ) -> Result<Self, ConnectError> {
        let mut ws =
            WsConn::connect(addr, "/socket.io/?EIO=4&transport=websocket", read_buf).await?;
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
        let mut connect = b"40".to_vec();
        connect.extend_from_slice(&prefix);
        if let Some(token) = token {
            let auth = serde_json::json!({ "token": token });
            connect.extend_from_slice(auth.to_string().as_bytes());
        }
        ws.queue_text(&connect);
        ws.flush().await?;
        let mut outcome: Option<Result<(), String>> = None;
        while outcome.is_none() {
            ws.read_batch(|text| {
                if outcome.is_some() {
                    return;
                }
                if let Some(rest) = text.strip_prefix(b"40")
                    && rest.starts_with(&prefix)
                {
                    outcome = Some(Ok(()));
                } else if let Some(rest) = text.strip_prefix(b"44")
                    && let Some(msg) = rest.strip_prefix(prefix.as_slice())
                {
                    outcome = Some(Err(String::from_utf8_lossy(msg).into_owned()));
                }
            })
            .await?;
        }
        match outcome {
            Some(Err(msg)) => Err(ConnectError::Refused(msg)),
            _ => Ok(Self {
                ws,
                prefix,
                scratch: Vec::with_capacity(256),
            }),
        }
    }

    /// Queues `event` with the JSON argument `arg` (already serialised), asking for an ack
    /// when `ack_id` is set.
    pub fn queue_emit(&mut self, ack_id: Option<u64>, event: &str, arg: &[u8]) {
        self.scratch.clear();
        self.scratch.extend_from_slice(b"42");
        self.scratch.extend_from_slice(&self.prefix);
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

    /// Parses a text frame of this client's namespace.
    pub fn parse<'a>(&self, text: &'a [u8]) -> Packet<'a> {
        parse_packet(&self.prefix, text)
    }

    /// Emits `event` with `arg` and waits for its ack (id `ack_id`); other packets that
    /// arrive meanwhile are dropped. Returns the ack's arguments (a JSON array).
    pub async fn call(&mut self, ack_id: u64, event: &str, arg: &[u8]) -> io::Result<Vec<u8>> {
        self.queue_emit(Some(ack_id), event, arg);
        self.ws.flush().await?;
        let prefix = self.prefix.clone();
        let mut ack = None;
        while ack.is_none() {
            self.ws
                .read_batch_timeout(STEP_TIMEOUT, |text| {
                    if let Packet::Ack { id, data } = parse_packet(&prefix, text)
                        && id == ack_id
                    {
                        ack = Some(data.to_vec());
                    }
                })
                .await?;
        }
        ack.ok_or_else(|| io::Error::other("no ack"))
    }
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

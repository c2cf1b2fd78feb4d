//! The WebSocket under the test client: the handshake up to the Engine.IO OPEN packet,
//! then a reader task (answers pings, reassembles binary packets, hands each packet to the
//! connection) and a writer task (writes each packet with its attachments back to back).

use std::sync::{Arc, Weak};
use std::time::Duration;

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use socketioxide_core::parser::ParserState;

use super::codec::{Codec, Decoded};
use super::connection::{Connection, REASON_TRANSPORT_CLOSE, lock};
use super::error::{TestClientError, timeout_error};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// An open Engine.IO connection and its background tasks.
pub(super) struct Opened {
    pub(super) connection: Arc<Connection>,
    /// The Engine.IO session id.
    pub(super) sid: String,
    /// The JSON of the OPEN packet.
    pub(super) handshake: Value,
    pub(super) writer: JoinHandle<()>,
    pub(super) reader: JoinHandle<()>,
}

/// Opens the WebSocket (`url` is `request`'s, for errors), reads the Engine.IO OPEN packet
/// and starts the reader and writer tasks; each wait is bounded by `wait`.
pub(super) async fn open(
    request: Request,
    url: &str,
    wait: Duration,
    codec: Codec,
) -> Result<Opened, TestClientError> {
    let (ws, _response) = timeout(
        wait,
        tokio_tungstenite::connect_async_with_config(request, None, true),
    )
    .await
    .map_err(|_| timeout_error(format_args!("the WebSocket handshake with {url}"), wait))??;
    let (sink, mut stream) = ws.split();

    let first = timeout(wait, stream.next())
        .await
        .map_err(|_| timeout_error(format_args!("the Engine.IO OPEN packet from {url}"), wait))?;
    let open = match first {
        Some(Ok(Message::Text(text))) => text,
        Some(Ok(other)) => {
            let msg = format!("expected the Engine.IO OPEN packet, got {other:?}");
            return Err(TestClientError::Protocol(msg));
        }
        Some(Err(e)) => return Err(e.into()),
        None => return Err(TestClientError::Closed),
    };
    let handshake: Value = open
        .as_str()
        .strip_prefix('0')
        .and_then(|json| serde_json::from_str(json).ok())
        .ok_or_else(|| {
            TestClientError::Protocol(format!("invalid Engine.IO OPEN packet {open:?}"))
        })?;
    let sid = handshake
        .get("sid")
        .and_then(Value::as_str)
        .ok_or_else(|| TestClientError::Protocol(format!("no sid in the OPEN packet {open:?}")))?
        .to_owned();

    let (outbox, outbox_rx) = mpsc::unbounded_channel();
    let connection = Arc::new(Connection::new(outbox, codec));
    let writer = tokio::spawn(write_loop(sink, outbox_rx, Arc::downgrade(&connection)));
    let reader = tokio::spawn(read_loop(stream, Arc::downgrade(&connection)));
    Ok(Opened {
        connection,
        sid,
        handshake,
        writer,
        reader,
    })
}

/// Reads frames, answers pings and hands packets to the connection until it ends.
async fn read_loop(mut stream: SplitStream<Ws>, connection: Weak<Connection>) {
    // Where the parser keeps a binary packet until its attachments have arrived.
    let parser_state = ParserState::default();
    let reason = loop {
        let Some(frame) = stream.next().await else {
            break REASON_TRANSPORT_CLOSE.to_owned();
        };
        let Some(connection) = connection.upgrade() else {
            return; // every handle is gone
        };
        match frame {
            Ok(Message::Text(text)) => {
                if let Some(reason) = handle_text(&connection, &parser_state, text.as_str()) {
                    break reason;
                }
            }
            Ok(Message::Binary(bin)) => {
                let decoded = connection.codec.decode_binary(&parser_state, bin);
                deliver(&connection, &parser_state, decoded);
            }
            Ok(Message::Close(_)) => break REASON_TRANSPORT_CLOSE.to_owned(),
            Ok(_) => {}
            Err(e) => break format!("transport error: {e}"),
        }
    };
    if let Some(connection) = connection.upgrade() {
        connection.shutdown(&reason);
    }
}

/// Handles one Engine.IO text packet; returns a reason when the connection must end.
fn handle_text(connection: &Connection, parser_state: &ParserState, text: &str) -> Option<String> {
    let mut chars = text.chars();
    let kind = chars.next();
    let rest = chars.as_str();
    match kind {
        Some('2') => {
            let _ = connection
                .outbox
                .send(vec![Message::text(format!("3{rest}"))]);
        }
        Some('1') => return Some(REASON_TRANSPORT_CLOSE.to_owned()),
        Some('4') => {
            if lock(&parser_state.partial_bin_packet).take().is_some() {
                let msg = format!(
                    "text packet {text:?} arrived while a binary packet waited for its attachments"
                );
                connection.protocol_error(None, msg);
            }
            let decoded = connection.codec.decode_text(parser_state, rest);
            deliver(connection, parser_state, decoded);
        }
        Some('0' | '3' | '5' | '6') => {} // open (again), pong, upgrade, noop
        _ => connection.protocol_error(None, format!("unknown Engine.IO packet {text:?}")),
    }
    None
}

/// Hands a decoded packet to the connection; a malformed one is reported, and a binary
/// packet it interrupted is dropped, so the next packets decode again.
fn deliver(
    connection: &Connection,
    parser_state: &ParserState,
    decoded: Result<Decoded, TestClientError>,
) {
    match decoded {
        Ok(Decoded::Packet(packet)) => connection.receive_packet(packet),
        Ok(Decoded::Refused { ns, message }) => connection.refused(&ns, message),
        Ok(Decoded::Incomplete) => {}
        Err(e) => {
            *lock(&parser_state.partial_bin_packet) = None;
            connection.protocol_error(None, e.to_string());
        }
    }
}

/// Writes queued frame batches; a batch (a packet and its attachments) is written contiguously.
async fn write_loop(
    mut sink: SplitSink<Ws, Message>,
    mut outbox: mpsc::UnboundedReceiver<Vec<Message>>,
    connection: Weak<Connection>,
) {
    while let Some(batch) = outbox.recv().await {
        let closing = batch.iter().any(|m| matches!(m, Message::Close(_)));
        let mut res = Ok(());
        for frame in batch {
            res = sink.feed(frame).await;
            if res.is_err() {
                break;
            }
        }
        if res.is_ok() {
            res = sink.flush().await;
        }
        if let Err(e) = res {
            if let Some(connection) = connection.upgrade() {
                connection.shutdown(&format!("transport error: {e}"));
            }
            return;
        }
        if closing {
            return;
        }
    }
    let _ = sink.close().await; // every handle is gone
}

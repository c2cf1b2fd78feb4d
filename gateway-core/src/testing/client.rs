//! A protocol-level Socket.IO v5 / Engine.IO v4 test client over WebSocket.
//!
//! [`TestClient`] opens one Engine.IO connection; [`TestClient::namespace`] joins a namespace
//! and returns a [`NsClient`] to emit events, wait for acks and receive server events. The
//! client speaks the raw protocol (text packets, binary attachments, heartbeats) so that tests
//! exercise exactly what a browser would send. Engine.IO pings are answered in the background.
//!
//! Every wait is bounded by a timeout (5 s by default, see [`TestClientBuilder::timeout`]); a
//! [`TestClientError::Timeout`] says what was being waited for.
//!
//! ```no_run
//! use gateway_core::testing::{TestClient, TestClientError};
//! use serde_json::json;
//!
//! # async fn demo() -> Result<(), TestClientError> {
//! let client = TestClient::connect("http://127.0.0.1:3000").await?;
//! let mut chat = client.namespace("/chat", Some(json!({ "token": "secret" }))).await?;
//!
//! // Emit with an ack and read its first argument as JSON.
//! let joined = chat.call("join", ("lobby",)).await?;
//! assert_eq!(joined, json!(true));
//!
//! // Emit without an ack, then wait for the broadcast.
//! chat.emit("message", ("lobby", "hello")).await?;
//! let event = chat.recv_event("message").await?;
//! assert_eq!(event.json(0), Some(&json!("hello")));
//!
//! client.close().await;
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout, timeout_at};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The default timeout of every wait of a [`TestClient`] and its [`NsClient`]s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Disconnect reason: the server sent a Socket.IO DISCONNECT for the namespace.
const REASON_SERVER_DISCONNECT: &str = "io server disconnect";
/// Disconnect reason: this client closed the namespace or the connection.
const REASON_CLIENT_DISCONNECT: &str = "io client disconnect";
/// Disconnect reason: the Engine.IO connection was closed by the server.
const REASON_TRANSPORT_CLOSE: &str = "transport close";

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

// ==== errors ====

/// Errors of the [`TestClient`] and [`NsClient`].
#[derive(Debug, thiserror::Error)]
pub enum TestClientError {
    /// The URL, path, query or a header given to the builder is invalid.
    #[error("invalid connection request: {0}")]
    InvalidRequest(String),
    /// An I/O error (for instance "connection refused").
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// A WebSocket error (for instance the server answered the upgrade with 404).
    #[error("WebSocket error: {0}")]
    WebSocket(#[source] Box<tungstenite::Error>),
    /// A wait did not end in time.
    #[error("timed out waiting for {waiting_for}")]
    Timeout {
        /// What was being waited for (and for how long).
        waiting_for: String,
    },
    /// The server answered CONNECT with CONNECT_ERROR.
    #[error("the server refused the namespace connection: {message}")]
    ConnectRefused {
        /// The `message` of the CONNECT_ERROR packet.
        message: String,
    },
    /// The server sent something that is not valid Socket.IO / Engine.IO.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// The connection, or this namespace, is closed.
    #[error("the connection or the namespace is closed")]
    Closed,
    /// Something arrived that the test did not expect (or a value has an unexpected shape).
    #[error("unexpected: {0}")]
    Unexpected(String),
}

impl From<tungstenite::Error> for TestClientError {
    fn from(err: tungstenite::Error) -> Self {
        match err {
            tungstenite::Error::Io(e) => Self::Io(e),
            tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => {
                Self::Closed
            }
            other => Self::WebSocket(Box::new(other)),
        }
    }
}

fn timeout_error(what: impl fmt::Display, after: Duration) -> TestClientError {
    TestClientError::Timeout {
        waiting_for: format!("{what} (after {after:?})"),
    }
}

// ==== arguments ====

pub use crate::extract::Arg;

/// Values usable as the positional arguments of an emit or an ack.
///
/// A [`serde_json::Value`] is always *one* argument (a JSON array is sent as a single array
/// argument); use a tuple or a `Vec<Arg>` for several arguments.
pub trait IntoArgs {
    /// Converts into the list of positional arguments.
    fn into_args(self) -> Vec<Arg>;
}

impl IntoArgs for () {
    fn into_args(self) -> Vec<Arg> {
        Vec::new()
    }
}

impl IntoArgs for Vec<Arg> {
    fn into_args(self) -> Vec<Arg> {
        self
    }
}

/// A single value is one argument (a JSON array too).
macro_rules! single_into_args {
    ($($t:ty),*) => {$(
        impl IntoArgs for $t {
            fn into_args(self) -> Vec<Arg> {
                vec![Arg::from(self)]
            }
        }
    )*};
}
single_into_args!(
    Arg, Value, Bytes, &str, String, bool, i32, i64, u32, u64, usize, f32, f64
);

macro_rules! tuple_into_args {
    ($($name:ident),+) => {
        impl<$($name: Into<Arg>),+> IntoArgs for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_args(self) -> Vec<Arg> {
                let ($($name,)+) = self;
                vec![$($name.into()),+]
            }
        }
    };
}
tuple_into_args!(A);
tuple_into_args!(A, B);
tuple_into_args!(A, B, C);
tuple_into_args!(A, B, C, D);

// ==== server events ====

/// An event sent by the server on a namespace.
pub struct ServerEvent {
    /// The event name.
    pub event: String,
    /// The positional arguments (top-level binary placeholders are resolved to [`Arg::Binary`]).
    pub args: Vec<Arg>,
    namespace: String,
    ack_id: Option<u64>,
    attachments: Vec<Bytes>,
    shared: Arc<Shared>,
}

impl ServerEvent {
    /// The `i`-th argument as JSON (`None` if missing or binary).
    pub fn json(&self, i: usize) -> Option<&Value> {
        self.args.get(i).and_then(Arg::as_json)
    }

    /// The `i`-th argument as bytes (`None` if missing or JSON).
    pub fn binary(&self, i: usize) -> Option<&Bytes> {
        self.args.get(i).and_then(Arg::as_binary)
    }

    /// The namespace the event was received on.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// Every binary attachment of the packet, in `num` order (useful to resolve placeholders
    /// nested inside JSON arguments, which are left as `{"_placeholder":true,"num":n}`).
    pub fn attachments(&self) -> &[Bytes] {
        &self.attachments
    }

    /// Whether the server asked for an acknowledgement (call [`ServerEvent::ack`]).
    pub fn wants_ack(&self) -> bool {
        self.ack_id.is_some()
    }

    /// Answers the server's `emit_with_ack` with these arguments.
    pub async fn ack(self, args: impl IntoArgs) -> Result<(), TestClientError> {
        let Some(id) = self.ack_id else {
            return Err(TestClientError::Unexpected(format!(
                "event {:?} on namespace {:?} did not ask for an ack",
                self.event, self.namespace
            )));
        };
        let frames = encode_packet(
            Outgoing::Ack,
            &self.namespace,
            Some(id),
            None,
            args.into_args(),
        );
        self.shared.send(frames)
    }
}

impl fmt::Debug for ServerEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerEvent")
            .field("event", &self.event)
            .field("args", &self.args)
            .field("namespace", &self.namespace)
            .field("ack_id", &self.ack_id)
            .finish_non_exhaustive()
    }
}

// ==== shared connection state ====

/// What the background reader delivers to a namespace's queue.
enum NsMsg {
    Event(ServerEvent),
    /// The namespace (or the whole connection) was closed; the reason is in [`NsStatus`].
    Closed,
    /// CONNECT_ERROR after [`TestClient::namespace_nowait`].
    Refused(String),
    /// A malformed packet was received.
    Error(String),
}

/// State shared between a namespace slot and its [`NsClient`].
#[derive(Default)]
struct NsStatus {
    sid: Mutex<Option<String>>,
    closed: Mutex<Option<String>>,
}

impl NsStatus {
    fn set_closed(&self, reason: &str) {
        lock(&self.closed).get_or_insert_with(|| reason.to_owned());
    }

    fn closed(&self) -> Option<String> {
        lock(&self.closed).clone()
    }
}

/// The reader's view of a joined namespace.
struct NsSlot {
    events: mpsc::UnboundedSender<NsMsg>,
    status: Arc<NsStatus>,
    connect_waiter: Option<oneshot::Sender<Result<(), TestClientError>>>,
}

impl NsSlot {
    fn close(mut self, reason: &str) {
        self.status.set_closed(reason);
        if let Some(waiter) = self.connect_waiter.take() {
            let _ = waiter.send(Err(TestClientError::Closed));
        }
        let _ = self.events.send(NsMsg::Closed);
    }
}

#[derive(Default)]
struct State {
    /// Set once the Engine.IO connection is closed.
    closed: Option<String>,
    namespaces: HashMap<String, NsSlot>,
    pending_acks: HashMap<(String, u64), oneshot::Sender<AckReply>>,
    /// Acks that arrived for no pending emit: a second ack for one emit, or an ack nobody
    /// asked for. The "exactly one ack" contract says this stays 0.
    stray_acks: u64,
}

struct Shared {
    out: mpsc::UnboundedSender<Vec<Message>>,
    state: Mutex<State>,
    next_ack_id: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// Queues frames for the writer task; they are written back to back.
    fn send(&self, frames: Vec<Message>) -> Result<(), TestClientError> {
        if lock(&self.state).closed.is_some() {
            return Err(TestClientError::Closed);
        }
        self.out.send(frames).map_err(|_| TestClientError::Closed)
    }

    /// Marks the connection closed and wakes every waiter.
    fn shutdown(&self, reason: &str) {
        let (slots, pending) = {
            let mut st = lock(&self.state);
            if st.closed.is_some() {
                return;
            }
            st.closed = Some(reason.to_owned());
            (
                std::mem::take(&mut st.namespaces),
                std::mem::take(&mut st.pending_acks),
            )
        };
        drop(pending); // ack waiters see a dropped sender: `Closed`
        for slot in slots.into_values() {
            slot.close(reason);
        }
    }

    /// Removes the slot of `ns` if it still belongs to `status`, with the namespace's pending acks.
    fn remove_ns(&self, ns: &str, status: &Arc<NsStatus>) -> Option<NsSlot> {
        let mut st = lock(&self.state);
        let owned = st
            .namespaces
            .get(ns)
            .is_some_and(|s| Arc::ptr_eq(&s.status, status));
        if !owned {
            return None;
        }
        st.pending_acks.retain(|(n, _), _| n != ns);
        st.namespaces.remove(ns)
    }

    fn protocol_error(&self, ns: Option<&str>, msg: String) {
        tracing::warn!("test client: {msg}");
        let st = lock(&self.state);
        for (name, slot) in &st.namespaces {
            if ns.is_none_or(|ns| ns == name) {
                let _ = slot.events.send(NsMsg::Error(msg.clone()));
            }
        }
    }

    /// Handles one complete Socket.IO packet (attachments included).
    fn dispatch(self: &Arc<Self>, packet: RawPacket, attachments: Vec<Bytes>) {
        let RawPacket {
            kind, ns, id, data, ..
        } = packet;
        match kind {
            b'0' => {
                let sid = data
                    .as_ref()
                    .and_then(|d| d.get("sid"))
                    .and_then(Value::as_str);
                let mut st = lock(&self.state);
                if let Some(slot) = st.namespaces.get_mut(&ns) {
                    *lock(&slot.status.sid) = sid.map(str::to_owned);
                    if let Some(waiter) = slot.connect_waiter.take() {
                        let _ = waiter.send(Ok(()));
                    }
                }
            }
            b'1' => {
                let slot = {
                    let mut st = lock(&self.state);
                    st.pending_acks.retain(|(n, _), _| *n != ns);
                    st.namespaces.remove(&ns)
                };
                if let Some(slot) = slot {
                    slot.close(REASON_SERVER_DISCONNECT);
                }
            }
            b'2' | b'5' => {
                let mut values = match data {
                    Some(Value::Array(values)) => values.into_iter(),
                    other => {
                        let msg = format!("EVENT on {ns:?} without an array payload: {other:?}");
                        return self.protocol_error(Some(&ns), msg);
                    }
                };
                let Some(Value::String(event)) = values.next() else {
                    let msg = format!("EVENT on {ns:?} whose first element is not a string");
                    return self.protocol_error(Some(&ns), msg);
                };
                let args = decode_args(values, &attachments);
                let event = ServerEvent {
                    event,
                    args,
                    namespace: ns,
                    ack_id: id,
                    attachments,
                    shared: Arc::clone(self),
                };
                let st = lock(&self.state);
                match st.namespaces.get(&event.namespace) {
                    Some(slot) => {
                        let _ = slot.events.send(NsMsg::Event(event));
                    }
                    None => {
                        tracing::debug!("test client: dropped {event:?} (namespace not joined)")
                    }
                }
            }
            b'3' | b'6' => {
                let Some(id) = id else {
                    return self.protocol_error(Some(&ns), format!("ACK on {ns:?} without an id"));
                };
                let args = match data {
                    Some(Value::Array(values)) => decode_args(values.into_iter(), &attachments),
                    other => {
                        let msg = format!("ACK {id} on {ns:?} without an array payload: {other:?}");
                        return self.protocol_error(Some(&ns), msg);
                    }
                };
                let mut st = lock(&self.state);
                match st.pending_acks.remove(&(ns, id)) {
                    Some(waiter) => {
                        let _ = waiter.send(AckReply { args, attachments });
                    }
                    None => {
                        st.stray_acks += 1;
                        tracing::debug!("test client: stray ack {id} (no one waits for it)");
                    }
                }
            }
            b'4' => {
                let message = match &data {
                    Some(Value::Object(o)) => o.get("message").and_then(Value::as_str),
                    Some(Value::String(s)) => Some(s.as_str()),
                    _ => None,
                };
                let message = message.map_or_else(|| format!("{data:?}"), str::to_owned);
                let slot = lock(&self.state).namespaces.remove(&ns);
                if let Some(mut slot) = slot {
                    slot.status
                        .set_closed(&format!("connect refused: {message}"));
                    match slot.connect_waiter.take() {
                        Some(w) => {
                            let _ = w.send(Err(TestClientError::ConnectRefused { message }));
                        }
                        None => {
                            let _ = slot.events.send(NsMsg::Refused(message));
                        }
                    }
                }
            }
            other => {
                let msg = format!("unknown Socket.IO packet type {:?}", char::from(other));
                self.protocol_error(Some(&ns), msg);
            }
        }
    }
}

// ==== packet encoding / decoding ====

#[derive(Clone, Copy)]
enum Outgoing {
    Event,
    Ack,
}

/// Encodes an EVENT/ACK (or their BINARY_ variants) as the text frame plus attachment frames.
fn encode_packet(
    kind: Outgoing,
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
        (Outgoing::Event, true) => '2',
        (Outgoing::Ack, true) => '3',
        (Outgoing::Event, false) => '5',
        (Outgoing::Ack, false) => '6',
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
fn ns_prefix(ns: &str) -> String {
    if ns == "/" {
        String::new()
    } else {
        format!("{ns},")
    }
}

fn normalize_ns(ns: &str) -> String {
    if ns.starts_with('/') {
        ns.to_owned()
    } else {
        format!("/{ns}")
    }
}

/// A parsed Socket.IO packet whose binary attachments may still be missing.
struct RawPacket {
    kind: u8,
    attachments: usize,
    ns: String,
    id: Option<u64>,
    data: Option<Value>,
}

/// Parses a Socket.IO packet (the text after the Engine.IO `4`).
fn parse_packet(text: &str) -> Result<RawPacket, String> {
    let err = |what: &str| format!("{what} in Socket.IO packet {text:?}");
    let kind = *text.as_bytes().first().ok_or_else(|| err("empty packet"))?;
    if !(b'0'..=b'6').contains(&kind) {
        return Err(err("unknown packet type"));
    }
    let mut rest = &text[1..];
    let mut attachments = 0;
    if kind == b'5' || kind == b'6' {
        let dash = rest
            .find('-')
            .ok_or_else(|| err("missing attachment count"))?;
        attachments = rest[..dash]
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
    Ok(RawPacket {
        kind,
        attachments,
        ns,
        id,
        data,
    })
}

/// Converts JSON arguments, replacing top-level binary placeholders with their attachment.
/// An ack as received: its arguments (top-level binary placeholders resolved) and every
/// binary attachment of the packet, in placeholder order.
#[derive(Debug, Clone, PartialEq)]
pub struct AckReply {
    /// The ack's arguments.
    pub args: Vec<Arg>,
    /// The packet's binary attachments (`{"_placeholder": true, "num": n}` is `attachments[n]`).
    pub attachments: Vec<Bytes>,
}

fn decode_args(values: impl Iterator<Item = Value>, attachments: &[Bytes]) -> Vec<Arg> {
    values
        .map(
            |v| match placeholder_num(&v).and_then(|n| attachments.get(n)) {
                Some(bin) => Arg::Binary(bin.clone()),
                None => Arg::Json(v),
            },
        )
        .collect()
}

fn placeholder_num(v: &Value) -> Option<usize> {
    let obj = v.as_object()?;
    if obj.len() != 2 || obj.get("_placeholder")?.as_bool() != Some(true) {
        return None;
    }
    usize::try_from(obj.get("num")?.as_u64()?).ok()
}

// ==== background tasks ====

/// A BINARY_EVENT / BINARY_ACK waiting for its attachments.
struct Partial {
    packet: RawPacket,
    attachments: Vec<Bytes>,
}

/// Reads frames, answers pings and dispatches packets until the connection ends.
async fn read_loop(mut stream: SplitStream<Ws>, shared: Weak<Shared>) {
    let mut partial: Option<Partial> = None;
    let reason = loop {
        let Some(frame) = stream.next().await else {
            break REASON_TRANSPORT_CLOSE.to_owned();
        };
        let Some(shared) = shared.upgrade() else {
            return; // every handle is gone
        };
        match frame {
            Ok(Message::Text(text)) => {
                if let Some(reason) = handle_text(&shared, text.as_str(), &mut partial) {
                    break reason;
                }
            }
            Ok(Message::Binary(bin)) => match partial.take() {
                Some(mut p) => {
                    p.attachments.push(bin);
                    if p.attachments.len() >= p.packet.attachments {
                        shared.dispatch(p.packet, p.attachments);
                    } else {
                        partial = Some(p);
                    }
                }
                None => shared.protocol_error(None, "unexpected binary frame".to_owned()),
            },
            Ok(Message::Close(_)) => break REASON_TRANSPORT_CLOSE.to_owned(),
            Ok(_) => {}
            Err(e) => break format!("transport error: {e}"),
        }
    };
    if let Some(shared) = shared.upgrade() {
        shared.shutdown(&reason);
    }
}

/// Handles one Engine.IO text packet; returns a reason when the connection must end.
fn handle_text(shared: &Arc<Shared>, text: &str, partial: &mut Option<Partial>) -> Option<String> {
    let mut chars = text.chars();
    let kind = chars.next();
    let rest = chars.as_str();
    match kind {
        Some('2') => {
            let _ = shared.out.send(vec![Message::text(format!("3{rest}"))]);
        }
        Some('1') => return Some(REASON_TRANSPORT_CLOSE.to_owned()),
        Some('4') => {
            if let Some(p) = partial.take() {
                let msg = format!(
                    "text packet {text:?} arrived while {} of {} attachments were missing",
                    p.packet.attachments - p.attachments.len(),
                    p.packet.attachments
                );
                shared.protocol_error(Some(&p.packet.ns), msg);
            }
            match parse_packet(rest) {
                Ok(packet) if packet.attachments > 0 => {
                    *partial = Some(Partial {
                        packet,
                        attachments: Vec::new(),
                    });
                }
                Ok(packet) => shared.dispatch(packet, Vec::new()),
                Err(msg) => shared.protocol_error(None, msg),
            }
        }
        Some('0' | '3' | '5' | '6') => {} // open (again), pong, upgrade, noop
        _ => shared.protocol_error(None, format!("unknown Engine.IO packet {text:?}")),
    }
    None
}

/// Writes queued frame batches; a batch (a packet and its attachments) is written contiguously.
async fn write_loop(
    mut sink: SplitSink<Ws, Message>,
    mut rx: mpsc::UnboundedReceiver<Vec<Message>>,
    shared: Weak<Shared>,
) {
    while let Some(batch) = rx.recv().await {
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
            if let Some(shared) = shared.upgrade() {
                shared.shutdown(&format!("transport error: {e}"));
            }
            return;
        }
        if closing {
            return;
        }
    }
    let _ = sink.close().await; // every handle is gone
}

// ==== TestClient ====

/// Builder of a [`TestClient`] (path, timeout, headers, query parameters).
#[derive(Debug, Clone)]
pub struct TestClientBuilder {
    base: String,
    path: String,
    timeout: Duration,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
}

impl TestClientBuilder {
    /// The Socket.IO path of the server (default `/socket.io`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The timeout of every wait of the client and its namespaces (default 5 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Adds an HTTP header to the WebSocket upgrade request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter to the connection URL (after `EIO=4&transport=websocket`).
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// The WebSocket URL the client will connect to.
    fn url(&self) -> Result<String, TestClientError> {
        let base = self.base.trim().trim_end_matches('/');
        let (scheme, authority) = [
            ("http://", "ws"),
            ("ws://", "ws"),
            ("https://", "wss"),
            ("wss://", "wss"),
        ]
        .iter()
        .find_map(|(prefix, scheme)| base.strip_prefix(prefix).map(|rest| (*scheme, rest)))
        .unwrap_or(("ws", base));
        if authority.is_empty() || authority.contains("://") {
            return Err(TestClientError::InvalidRequest(format!(
                "unsupported base URL {:?}",
                self.base
            )));
        }
        let path = self.path.trim_matches('/');
        let path = if path.is_empty() {
            String::new()
        } else {
            format!("/{path}")
        };
        let mut url = format!("{scheme}://{authority}{path}/?EIO=4&transport=websocket");
        for (k, v) in &self.query {
            let _ = write!(url, "&{}={}", percent_encode(k), percent_encode(v));
        }
        Ok(url)
    }

    /// Opens the connection and reads the Engine.IO OPEN packet.
    pub async fn connect(self) -> Result<TestClient, TestClientError> {
        let url = self.url()?;
        let invalid = |e: &dyn fmt::Display| TestClientError::InvalidRequest(e.to_string());
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| invalid(&e))?;
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(&e))?;
            let value = HeaderValue::from_str(value).map_err(|e| invalid(&e))?;
            request.headers_mut().append(name, value);
        }
        let d = self.timeout;
        let (ws, _response) = timeout(
            d,
            tokio_tungstenite::connect_async_with_config(request, None, true),
        )
        .await
        .map_err(|_| timeout_error(format_args!("the WebSocket handshake with {url}"), d))??;
        let (sink, mut stream) = ws.split();

        let first = timeout(d, stream.next())
            .await
            .map_err(|_| timeout_error(format_args!("the Engine.IO OPEN packet from {url}"), d))?;
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
            .ok_or_else(|| {
                TestClientError::Protocol(format!("no sid in the OPEN packet {open:?}"))
            })?
            .to_owned();

        let (out, out_rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            out,
            state: Mutex::new(State::default()),
            next_ack_id: AtomicU64::new(0),
        });
        let writer = tokio::spawn(write_loop(sink, out_rx, Arc::downgrade(&shared)));
        let reader = tokio::spawn(read_loop(stream, Arc::downgrade(&shared)));
        Ok(TestClient {
            shared,
            sid,
            handshake,
            timeout: d,
            writer,
            reader,
        })
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// One Engine.IO connection to a Socket.IO server, over WebSocket.
///
/// Join namespaces with [`TestClient::namespace`]; the [`NsClient`]s keep the connection alive
/// even if the `TestClient` itself is dropped.
pub struct TestClient {
    shared: Arc<Shared>,
    sid: String,
    handshake: Value,
    timeout: Duration,
    writer: JoinHandle<()>,
    reader: JoinHandle<()>,
}

impl TestClient {
    /// Opens the Engine.IO connection over WebSocket with the default options.
    ///
    /// `base` is like `"http://127.0.0.1:3000"` (`ws://`, `https://`, `wss://` or no scheme
    /// are also accepted); the Socket.IO path is `/socket.io`.
    pub async fn connect(base: &str) -> Result<TestClient, TestClientError> {
        Self::builder(base).connect().await
    }

    /// Opens the Engine.IO connection to `http://{addr}` with the default options.
    pub async fn connect_addr(addr: SocketAddr) -> Result<TestClient, TestClientError> {
        Self::builder(&format!("http://{addr}")).connect().await
    }

    /// A builder to set the path, the timeout, headers or query parameters.
    pub fn builder(base: &str) -> TestClientBuilder {
        TestClientBuilder {
            base: base.to_owned(),
            path: "/socket.io".to_owned(),
            timeout: DEFAULT_TIMEOUT,
            headers: Vec::new(),
            query: Vec::new(),
        }
    }

    /// The Engine.IO session id.
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// The JSON of the Engine.IO OPEN packet (`sid`, `pingInterval`, `pingTimeout`, ...).
    pub fn handshake(&self) -> &Value {
        &self.handshake
    }

    /// The timeout of the waits of this client.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Whether the Engine.IO connection is closed.
    pub fn is_closed(&self) -> bool {
        lock(&self.shared.state).closed.is_some()
    }

    /// Joins a namespace: sends CONNECT (with `auth` as payload, if any) and waits for the
    /// server's answer. A CONNECT_ERROR gives [`TestClientError::ConnectRefused`].
    pub async fn namespace(
        &self,
        ns: &str,
        auth: Option<Value>,
    ) -> Result<NsClient, TestClientError> {
        let (client, answer) = self.join(ns, auth, true)?;
        let Some(answer) = answer else {
            return Err(TestClientError::Closed);
        };
        match timeout(self.timeout, answer).await {
            Ok(Ok(Ok(()))) => Ok(client),
            Ok(Ok(Err(e))) => Err(e),
            Ok(Err(_)) => Err(TestClientError::Closed),
            Err(_) => {
                self.shared.remove_ns(&client.ns, &client.status);
                let what = format!(
                    "the server's answer to CONNECT on namespace {:?}",
                    client.ns
                );
                Err(timeout_error(what, self.timeout))
            }
        }
    }

    /// Like [`TestClient::namespace`] but returns right after sending CONNECT, without
    /// waiting for the answer (to emit "in the same tick" as the connection). A later
    /// CONNECT_ERROR is reported by [`NsClient::recv`] as [`TestClientError::ConnectRefused`].
    pub async fn namespace_nowait(
        &self,
        ns: &str,
        auth: Option<Value>,
    ) -> Result<NsClient, TestClientError> {
        self.join(ns, auth, false).map(|(client, _)| client)
    }

    /// Registers the namespace and sends CONNECT.
    #[allow(clippy::type_complexity)]
    fn join(
        &self,
        ns: &str,
        auth: Option<Value>,
        wait: bool,
    ) -> Result<
        (
            NsClient,
            Option<oneshot::Receiver<Result<(), TestClientError>>>,
        ),
        TestClientError,
    > {
        let ns = normalize_ns(ns);
        let (events_tx, events) = mpsc::unbounded_channel();
        let (waiter, answer) = if wait {
            let (tx, rx) = oneshot::channel();
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        let status = Arc::new(NsStatus::default());
        {
            let mut st = lock(&self.shared.state);
            if st.closed.is_some() {
                return Err(TestClientError::Closed);
            }
            if st
                .namespaces
                .get(&ns)
                .is_some_and(|slot| !slot.events.is_closed())
            {
                let msg = format!("namespace {ns:?} is already joined on this connection");
                return Err(TestClientError::Unexpected(msg));
            }
            let slot = NsSlot {
                events: events_tx,
                status: Arc::clone(&status),
                connect_waiter: waiter,
            };
            st.namespaces.insert(ns.clone(), slot);
        }
        let mut packet = format!("40{}", ns_prefix(&ns));
        if let Some(auth) = auth {
            packet.push_str(&auth.to_string());
        }
        if let Err(e) = self.shared.send(vec![Message::text(packet)]) {
            self.shared.remove_ns(&ns, &status);
            return Err(e);
        }
        let client = NsClient {
            shared: Arc::clone(&self.shared),
            ns,
            status,
            events,
            timeout: self.timeout,
        };
        Ok((client, answer))
    }

    /// Closes the WebSocket (the server sees a "transport close") and waits, within the
    /// timeout, for the server to acknowledge it. Every [`NsClient`] of this connection is
    /// closed too.
    pub async fn close(self) {
        self.shared.shutdown(REASON_CLIENT_DISCONNECT);
        let _ = self.shared.out.send(vec![Message::Close(None)]);
        let deadline = Instant::now() + self.timeout;
        let (mut writer, mut reader) = (self.writer, self.reader);
        if timeout_at(deadline, &mut writer).await.is_err() {
            writer.abort();
        }
        if timeout_at(deadline, &mut reader).await.is_err() {
            reader.abort();
        }
    }
}

impl fmt::Debug for TestClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestClient")
            .field("sid", &self.sid)
            .field("timeout", &self.timeout)
            .field("closed", &lock(&self.shared.state).closed)
            .finish_non_exhaustive()
    }
}

// ==== NsClient ====

/// A socket of a [`TestClient`] on one namespace.
///
/// Server events queue up until read with [`NsClient::recv`] and friends; none are lost.
pub struct NsClient {
    shared: Arc<Shared>,
    ns: String,
    status: Arc<NsStatus>,
    events: mpsc::UnboundedReceiver<NsMsg>,
    timeout: Duration,
}

impl NsClient {
    /// The Socket.IO session id, once the server accepted the connection.
    pub fn sid(&self) -> Option<String> {
        lock(&self.status.sid).clone()
    }

    /// The namespace path (always starting with `/`).
    pub fn namespace(&self) -> &str {
        &self.ns
    }

    /// Changes the timeout of this namespace's waits (it starts as the client's).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Why the namespace was closed, if it was: `"io server disconnect"`, `"transport close"`,
    /// `"io client disconnect"`, `"connect refused: ..."` or `"transport error: ..."`.
    pub fn closed_reason(&self) -> Option<String> {
        self.status.closed()
    }

    /// Acks received on this connection that matched no pending emit (a duplicate ack, or
    /// an ack for an emit that did not ask for one). Stays 0 when every emit gets exactly
    /// one ack.
    pub fn stray_acks(&self) -> u64 {
        lock(&self.shared.state).stray_acks
    }

    fn check_open(&self) -> Result<(), TestClientError> {
        match self.status.closed() {
            Some(_) => Err(TestClientError::Closed),
            None => Ok(()),
        }
    }

    /// Emits an event without asking for an ack.
    pub async fn emit(&self, event: &str, args: impl IntoArgs) -> Result<(), TestClientError> {
        self.check_open()?;
        let frames = encode_packet(
            Outgoing::Event,
            &self.ns,
            None,
            Some(event),
            args.into_args(),
        );
        self.shared.send(frames)
    }

    /// Emits an event asking for an ack, waits for it and returns its arguments.
    pub async fn emit_with_ack(
        &self,
        event: &str,
        args: impl IntoArgs,
    ) -> Result<Vec<Arg>, TestClientError> {
        self.emit_with_ack_reply(event, args)
            .await
            .map(|reply| reply.args)
    }

    /// Like [`emit_with_ack`](Self::emit_with_ack), but also returns the ack's binary
    /// attachments, including those placed below the top level (an envelope's `data`).
    pub async fn emit_with_ack_reply(
        &self,
        event: &str,
        args: impl IntoArgs,
    ) -> Result<AckReply, TestClientError> {
        self.check_open()?;
        let id = self.shared.next_ack_id.fetch_add(1, Ordering::Relaxed);
        let key = (self.ns.clone(), id);
        let (tx, rx) = oneshot::channel();
        {
            let mut st = lock(&self.shared.state);
            let joined = st
                .namespaces
                .get(&self.ns)
                .is_some_and(|s| Arc::ptr_eq(&s.status, &self.status));
            if st.closed.is_some() || !joined {
                return Err(TestClientError::Closed);
            }
            st.pending_acks.insert(key.clone(), tx);
        }
        let frames = encode_packet(
            Outgoing::Event,
            &self.ns,
            Some(id),
            Some(event),
            args.into_args(),
        );
        if let Err(e) = self.shared.send(frames) {
            lock(&self.shared.state).pending_acks.remove(&key);
            return Err(e);
        }
        match timeout(self.timeout, rx).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(_)) => Err(TestClientError::Closed),
            Err(_) => {
                lock(&self.shared.state).pending_acks.remove(&key);
                let what = format!(
                    "the ack of event {event:?} (ack id {id}) on namespace {:?}",
                    self.ns
                );
                Err(timeout_error(what, self.timeout))
            }
        }
    }

    /// Emits with an ack and returns the ack's first argument as JSON (an error if the ack
    /// has no argument or if it is binary).
    pub async fn call(&self, event: &str, args: impl IntoArgs) -> Result<Value, TestClientError> {
        let args = self.emit_with_ack(event, args).await?;
        match args.into_iter().next() {
            Some(Arg::Json(v)) => Ok(v),
            Some(Arg::Binary(b)) => Err(TestClientError::Unexpected(format!(
                "the ack of {event:?} starts with a binary argument ({} bytes), not JSON",
                b.len()
            ))),
            None => Err(TestClientError::Unexpected(format!(
                "the ack of {event:?} has no argument"
            ))),
        }
    }

    fn take(&mut self, msg: Option<NsMsg>) -> Result<ServerEvent, TestClientError> {
        match msg {
            Some(NsMsg::Event(event)) => Ok(event),
            Some(NsMsg::Closed) | None => Err(TestClientError::Closed),
            Some(NsMsg::Refused(message)) => Err(TestClientError::ConnectRefused { message }),
            Some(NsMsg::Error(msg)) => Err(TestClientError::Protocol(msg)),
        }
    }

    /// The next server event on this namespace. Once the namespace is closed and its queue
    /// drained, returns [`TestClientError::Closed`].
    pub async fn recv(&mut self) -> Result<ServerEvent, TestClientError> {
        match timeout(self.timeout, self.events.recv()).await {
            Ok(msg) => self.take(msg),
            Err(_) => Err(timeout_error(
                format!("an event on namespace {:?}", self.ns),
                self.timeout,
            )),
        }
    }

    /// Skips (drops) events until one named `event` arrives; the timeout covers the whole wait.
    pub async fn recv_event(&mut self, event: &str) -> Result<ServerEvent, TestClientError> {
        let deadline = Instant::now() + self.timeout;
        let mut skipped = Vec::new();
        loop {
            let Ok(msg) = timeout_at(deadline, self.events.recv()).await else {
                let what = format!(
                    "event {event:?} on namespace {:?}; skipped meanwhile: {skipped:?}",
                    self.ns
                );
                return Err(timeout_error(what, self.timeout));
            };
            let received = self.take(msg)?;
            if received.event == event {
                return Ok(received);
            }
            skipped.push(received.event);
        }
    }

    /// Asserts that no event arrives within `d`: [`TestClientError::Unexpected`] if one does,
    /// [`TestClientError::Closed`] if the namespace is (or gets) closed.
    pub async fn expect_silence(&mut self, d: Duration) -> Result<(), TestClientError> {
        let Ok(msg) = timeout(d, self.events.recv()).await else {
            return Ok(());
        };
        let event = self.take(msg)?;
        Err(TestClientError::Unexpected(format!(
            "expected no event on namespace {:?} for {d:?}, got {:?} with args {:?}",
            self.ns, event.event, event.args
        )))
    }

    /// Sends a Socket.IO DISCONNECT for this namespace (the server sees a "client namespace
    /// disconnect"); acks still pending on this namespace fail with [`TestClientError::Closed`].
    pub async fn disconnect(self) -> Result<(), TestClientError> {
        self.check_open()?;
        self.shared.remove_ns(&self.ns, &self.status);
        self.status.set_closed(REASON_CLIENT_DISCONNECT);
        self.shared
            .send(vec![Message::text(format!("41{}", ns_prefix(&self.ns)))])
    }

    /// Waits until the server disconnects this namespace or the connection closes, and
    /// returns the reason (`"io server disconnect"`, `"transport close"`, ...). Events received
    /// meanwhile are dropped. On timeout, returns the timeout error's message instead.
    pub async fn closed(&mut self) -> String {
        let d = self.timeout;
        self.closed_within(d)
            .await
            .unwrap_or_else(|e| e.to_string())
    }

    /// Like [`NsClient::closed`] with an explicit timeout and a `Result`.
    pub async fn closed_within(&mut self, d: Duration) -> Result<String, TestClientError> {
        let deadline = Instant::now() + d;
        loop {
            if let Some(reason) = self.status.closed() {
                return Ok(reason);
            }
            match timeout_at(deadline, self.events.recv()).await {
                Ok(Some(NsMsg::Event(_) | NsMsg::Error(_))) => {}
                Ok(Some(NsMsg::Closed | NsMsg::Refused(_)) | None) => {
                    let reason = self.status.closed();
                    return Ok(reason.unwrap_or_else(|| REASON_TRANSPORT_CLOSE.to_owned()));
                }
                Err(_) => {
                    let what = format!("namespace {:?} to be closed", self.ns);
                    return Err(timeout_error(what, d));
                }
            }
        }
    }

    /// Sends a raw Socket.IO packet: `packet` is everything after the Engine.IO `4`
    /// (e.g. `2/chat,["event",1]`), sent as is, for malformed-input tests.
    pub async fn send_raw(&self, packet: &str) -> Result<(), TestClientError> {
        self.shared.send(vec![Message::text(format!("4{packet}"))])
    }

    /// Sends one raw binary WebSocket frame (a binary attachment, as the client would send
    /// after a `5`/`6` packet), for malformed-input tests.
    pub async fn send_raw_binary(&self, bytes: impl Into<Bytes>) -> Result<(), TestClientError> {
        self.shared.send(vec![Message::binary(bytes.into())])
    }
}

impl fmt::Debug for NsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NsClient")
            .field("namespace", &self.ns)
            .field("sid", &self.sid())
            .field("closed", &self.status.closed())
            .finish_non_exhaustive()
    }
}

//! [`TestClient`]: one Engine.IO connection of the test client, and [`TestClientBuilder`],
//! the options it is opened with.

use std::fmt::{self, Write as _};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout, timeout_at};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};

use super::codec::{Codec, normalize_ns};
use super::connection::{Connection, NsSlot, NsStatus, REASON_CLIENT_DISCONNECT};
use super::error::{TestClientError, timeout_error};
use super::namespace::NsClient;
use super::transport;
use crate::app::Parser;

/// The server's answer to a CONNECT: joined, or why not.
type ConnectAnswer = oneshot::Receiver<Result<(), TestClientError>>;

/// The default timeout of every wait of a [`TestClient`] and its [`NsClient`]s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Builder of a [`TestClient`] (path, timeout, headers, query parameters, parser).
#[derive(Debug, Clone)]
pub struct TestClientBuilder {
    base: String,
    path: String,
    timeout: Duration,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    parser: Parser,
}

impl TestClientBuilder {
    /// The parser to speak (default [`Parser::Json`]); it must be the server's
    /// ([`GatewayApp::parser`](crate::GatewayApp::parser)). [`Parser::MsgPack`] needs the
    /// `msgpack` feature. Either way the test reads the same [`Arg`](super::Arg)s: JSON,
    /// and binary as [`Arg::Binary`](super::Arg::Binary).
    pub fn parser(mut self, parser: Parser) -> Self {
        self.parser = parser;
        self
    }

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
        let codec = Codec::new(self.parser)?;
        let opened = transport::open(request, &url, self.timeout, codec).await?;
        Ok(TestClient {
            connection: opened.connection,
            sid: opened.sid,
            handshake: opened.handshake,
            timeout: self.timeout,
            writer: opened.writer,
            reader: opened.reader,
        })
    }
}

/// `s` percent-encoded for a query string (unreserved characters kept).
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
    connection: Arc<Connection>,
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
            parser: Parser::Json,
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
        self.connection.is_closed()
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
                self.connection.remove_ns(&client.ns, &client.status);
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
    fn join(
        &self,
        ns: &str,
        auth: Option<Value>,
        wait: bool,
    ) -> Result<(NsClient, Option<ConnectAnswer>), TestClientError> {
        let ns = normalize_ns(ns);
        let (events_tx, events) = mpsc::unbounded_channel();
        let (waiter, answer) = if wait {
            let (tx, rx) = oneshot::channel();
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        let status = Arc::new(NsStatus::default());
        let slot = NsSlot {
            events: events_tx,
            status: Arc::clone(&status),
            connect_waiter: waiter,
        };
        self.connection.add_ns(&ns, slot)?;
        let sent = self
            .connection
            .codec
            .connect(&ns, auth.as_ref())
            .and_then(|frames| self.connection.send(frames));
        if let Err(e) = sent {
            self.connection.remove_ns(&ns, &status);
            return Err(e);
        }
        let client = NsClient {
            connection: Arc::clone(&self.connection),
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
        self.connection.shutdown(REASON_CLIENT_DISCONNECT);
        let _ = self.connection.outbox.send(vec![Message::Close(None)]);
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
            .field("closed", &self.connection.closed())
            .finish_non_exhaustive()
    }
}

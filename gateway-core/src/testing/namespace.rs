//! [`NsClient`]: a socket of the test client on one namespace: emit, wait for acks, read
//! the server's events, leave.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::time::{Instant, timeout, timeout_at};
use tokio_tungstenite::tungstenite::Message;

use super::ack::AckReply;
use super::args::IntoArgs;
use super::connection::{
    Connection, NsMessage, NsStatus, REASON_CLIENT_DISCONNECT, REASON_TRANSPORT_CLOSE, lock,
};
use super::error::{TestClientError, timeout_error};
use super::received::ReceivedEvent;
use crate::extract::Arg;

/// A socket of a [`TestClient`](super::TestClient) on one namespace.
///
/// Server events queue up until read with [`NsClient::recv`] and friends; none are lost.
pub struct NsClient {
    pub(super) connection: Arc<Connection>,
    pub(super) ns: String,
    pub(super) status: Arc<NsStatus>,
    pub(super) events: mpsc::UnboundedReceiver<NsMessage>,
    pub(super) timeout: Duration,
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
        self.connection.stray_acks()
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
        let frames = self
            .connection
            .codec
            .event(&self.ns, None, event, args.into_args())?;
        self.connection.send(frames)
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
        let (id, reply) = self.connection.wait_for_ack(&self.ns, &self.status)?;
        let sent = self
            .connection
            .codec
            .event(&self.ns, Some(id), event, args.into_args())
            .and_then(|frames| self.connection.send(frames));
        if let Err(e) = sent {
            self.connection.forget_ack(&self.ns, id);
            return Err(e);
        }
        match timeout(self.timeout, reply).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(_)) => Err(TestClientError::Closed),
            Err(_) => {
                self.connection.forget_ack(&self.ns, id);
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

    /// The event in `msg`, or the error it stands for.
    fn take(&self, msg: Option<NsMessage>) -> Result<ReceivedEvent, TestClientError> {
        match msg {
            Some(NsMessage::Event(incoming)) => {
                Ok(ReceivedEvent::new(incoming, Arc::clone(&self.connection)))
            }
            Some(NsMessage::Closed) | None => Err(TestClientError::Closed),
            Some(NsMessage::Refused(message)) => Err(TestClientError::ConnectRefused { message }),
            Some(NsMessage::Error(msg)) => Err(TestClientError::Protocol(msg)),
        }
    }

    /// The next server event on this namespace. Once the namespace is closed and its queue
    /// drained, returns [`TestClientError::Closed`].
    pub async fn recv(&mut self) -> Result<ReceivedEvent, TestClientError> {
        match timeout(self.timeout, self.events.recv()).await {
            Ok(msg) => self.take(msg),
            Err(_) => Err(timeout_error(
                format!("an event on namespace {:?}", self.ns),
                self.timeout,
            )),
        }
    }

    /// Skips (drops) events until one named `event` arrives; the timeout covers the whole wait.
    pub async fn recv_event(&mut self, event: &str) -> Result<ReceivedEvent, TestClientError> {
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
        self.connection.remove_ns(&self.ns, &self.status);
        self.status.set_closed(REASON_CLIENT_DISCONNECT);
        self.connection
            .send(self.connection.codec.disconnect(&self.ns))
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
                Ok(Some(NsMessage::Event(_) | NsMessage::Error(_))) => {}
                Ok(Some(NsMessage::Closed | NsMessage::Refused(_)) | None) => {
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
        self.connection
            .send(vec![Message::text(format!("4{packet}"))])
    }

    /// Sends one raw binary WebSocket frame (a binary attachment, as the client would send
    /// after a `5`/`6` packet), for malformed-input tests.
    pub async fn send_raw_binary(&self, bytes: impl Into<Bytes>) -> Result<(), TestClientError> {
        self.connection.send(vec![Message::binary(bytes.into())])
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

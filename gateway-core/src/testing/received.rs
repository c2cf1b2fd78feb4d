//! An event the server sent on a namespace, as a test reads it: its name, its arguments,
//! and a way to answer it when the server asked for an ack.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use serde_json::Value;

use super::args::IntoArgs;
use super::connection::{Connection, IncomingEvent};
use super::error::TestClientError;
use crate::extract::Arg;

/// An event received from the server on a namespace (by [`NsClient::recv`] and friends).
///
/// Not to be confused with the [`ServerEvent`](crate::ServerEvent) trait, which the server's
/// own event types implement to be emitted.
///
/// [`NsClient::recv`]: super::NsClient::recv
pub struct ReceivedEvent {
    /// The event name.
    pub event: String,
    /// The positional arguments (top-level binary placeholders are resolved to [`Arg::Binary`]).
    pub args: Vec<Arg>,
    namespace: String,
    ack_id: Option<u64>,
    attachments: Vec<Bytes>,
    connection: Arc<Connection>,
}

impl ReceivedEvent {
    /// `incoming`, answerable on `connection`.
    pub(super) fn new(incoming: IncomingEvent, connection: Arc<Connection>) -> Self {
        let IncomingEvent {
            event,
            args,
            namespace,
            ack_id,
            attachments,
        } = incoming;
        Self {
            event,
            args,
            namespace,
            ack_id,
            attachments,
            connection,
        }
    }

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

    /// Whether the server asked for an acknowledgement (call [`ReceivedEvent::ack`]).
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
        let frames = self
            .connection
            .codec
            .ack(&self.namespace, id, args.into_args())?;
        self.connection.send(frames)
    }
}

impl fmt::Debug for ReceivedEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceivedEvent")
            .field("event", &self.event)
            .field("args", &self.args)
            .field("namespace", &self.namespace)
            .field("ack_id", &self.ack_id)
            .finish_non_exhaustive()
    }
}

//! What can go wrong in a [`TestClient`](super::TestClient) or an [`NsClient`](super::NsClient).

use std::fmt;
use std::time::Duration;

use tokio_tungstenite::tungstenite;

/// Errors of the [`TestClient`](super::TestClient) and [`NsClient`](super::NsClient).
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

/// A [`TestClientError::Timeout`] saying what was awaited, and for how long.
pub(super) fn timeout_error(what: impl fmt::Display, after: Duration) -> TestClientError {
    TestClientError::Timeout {
        waiting_for: format!("{what} (after {after:?})"),
    }
}

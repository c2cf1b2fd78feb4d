//! The client on `tokio-tungstenite`.

use std::io;
use std::net::SocketAddr;

use futures_util::{FutureExt as _, SinkExt as _, StreamExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Bytes, Error as WsError, Message};

/// One WebSocket connection.
pub(super) struct Conn {
    ws: WebSocketStream<TcpStream>,
    queued: Vec<Message>,
    /// Whether [`read_batch`](Self::read_batch) also takes the messages already
    /// received (one more read of the socket, which usually finds nothing), or returns
    /// after one.
    drain: bool,
}

fn to_io(err: WsError) -> io::Error {
    match err {
        WsError::Io(err) => err,
        WsError::ConnectionClosed | WsError::AlreadyClosed => {
            io::Error::new(io::ErrorKind::UnexpectedEof, "server closed the connection")
        }
        other => io::Error::new(io::ErrorKind::InvalidData, other),
    }
}

impl Conn {
    /// Upgrades `path` (with its query) to WebSocket on `stream`.
    pub(super) async fn upgrade(
        stream: TcpStream,
        addr: SocketAddr,
        path: &str,
        read_buf: usize,
        drain: bool,
    ) -> io::Result<Self> {
        let request = format!("ws://{addr}{path}")
            .into_client_request()
            .map_err(to_io)?;
        let config = WebSocketConfig::default().read_buffer_size(read_buf.max(512));
        let (ws, _response) =
            tokio_tungstenite::client_async_with_config(request, stream, Some(config))
                .await
                .map_err(to_io)?;
        Ok(Self {
            ws,
            queued: Vec::new(),
            drain,
        })
    }

    pub(super) fn queue_text(&mut self, payload: &[u8]) {
        self.queued.push(Message::Text(
            String::from_utf8_lossy(payload).into_owned().into(),
        ));
    }

    pub(super) fn queue_binary(&mut self, payload: &[u8]) {
        self.queued
            .push(Message::Binary(Bytes::copy_from_slice(payload)));
    }

    pub(super) fn has_queued(&self) -> bool {
        !self.queued.is_empty()
    }

    pub(super) async fn flush(&mut self) -> io::Result<()> {
        for message in self.queued.drain(..) {
            self.ws.feed(message).await.map_err(to_io)?;
        }
        self.ws.flush().await.map_err(to_io)
    }

    /// Handles one message; returns whether it was handed over.
    fn handle(&mut self, message: Message, on_text: &mut impl FnMut(&[u8])) -> io::Result<bool> {
        match message {
            Message::Text(text) if text.as_str() == "2" => {
                self.queue_text(b"3");
                Ok(false)
            }
            Message::Text(text) => {
                on_text(text.as_bytes());
                Ok(true)
            }
            Message::Binary(bytes) => {
                on_text(&bytes);
                Ok(true)
            }
            // tungstenite answers pings itself (on the next read or flush).
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => Ok(false),
            Message::Close(_) => Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "the server closed the WebSocket",
            )),
        }
    }

    pub(super) async fn read_batch(&mut self, mut on_text: impl FnMut(&[u8])) -> io::Result<usize> {
        let closed =
            || io::Error::new(io::ErrorKind::UnexpectedEof, "server closed the connection");
        let first = self.ws.next().await.ok_or_else(closed)?.map_err(to_io)?;
        let mut texts = usize::from(self.handle(first, &mut on_text)?);
        // The messages already buffered, without waiting (the stream keeps a partly read
        // frame across polls).
        while self.drain
            && let Some(next) = self.ws.next().now_or_never()
        {
            let message = next.ok_or_else(closed)?.map_err(to_io)?;
            texts += usize::from(self.handle(message, &mut on_text)?);
        }
        self.flush().await?;
        Ok(texts)
    }
}

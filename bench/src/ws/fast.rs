//! The client on `fastwebsockets`: [`Conn::upgrade`] writes the upgrade request here and
//! reads its response byte by byte, so that no frame bytes are left behind, on the TCP
//! stream itself; [`Conn::upgrade_with_hyper`] has `fastwebsockets::handshake::client`
//! (hyper) do it, frames then going through hyper's upgraded connection.

use std::io;
use std::net::SocketAddr;

use fastwebsockets::{Frame, OpCode, Payload, Role, WebSocket};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The stream under the frames, after hyper's upgrade.
pub(super) type Upgraded = hyper_util::rt::TokioIo<hyper::upgrade::Upgraded>;

/// One WebSocket connection.
pub(super) struct Conn<S> {
    ws: WebSocket<S>,
    queued: Vec<(OpCode, Vec<u8>)>,
}

fn to_io(err: fastwebsockets::WebSocketError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, err)
}

impl Conn<Upgraded> {
    /// Upgrades `path` on `stream` with `fastwebsockets::handshake::client`.
    pub(super) async fn upgrade_with_hyper(
        stream: TcpStream,
        addr: SocketAddr,
        path: &str,
    ) -> io::Result<Self> {
        let request = http::Request::builder()
            .method("GET")
            .uri(path)
            .header("Host", addr.to_string())
            .header("Upgrade", "websocket")
            .header("Connection", "upgrade")
            .header(
                "Sec-WebSocket-Key",
                fastwebsockets::handshake::generate_key(),
            )
            .header("Sec-WebSocket-Version", "13")
            .body(http_body_util::Empty::<bytes::Bytes>::new())
            .map_err(io::Error::other)?;
        let (ws, _response) = fastwebsockets::handshake::client(
            &hyper_util::rt::TokioExecutor::new(),
            request,
            stream,
        )
        .await
        .map_err(to_io)?;
        Ok(Self {
            ws,
            queued: Vec::new(),
        })
    }
}

impl Conn<TcpStream> {
    /// Upgrades `path` (with its query) to WebSocket on `stream`.
    pub(super) async fn upgrade(
        mut stream: TcpStream,
        addr: SocketAddr,
        path: &str,
        _read_buf: usize,
    ) -> io::Result<Self> {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await?;
        let mut head = Vec::with_capacity(256);
        while !head.ends_with(b"\r\n\r\n") {
            if head.len() > 16 * 1024 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "oversized upgrade response",
                ));
            }
            head.push(stream.read_u8().await?);
        }
        if !head.starts_with(b"HTTP/1.1 101") {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "upgrade refused",
            ));
        }
        let mut ws = WebSocket::after_handshake(stream, Role::Client);
        ws.set_auto_pong(true);
        ws.set_auto_close(true);
        Ok(Self {
            ws,
            queued: Vec::new(),
        })
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    pub(super) fn queue_text(&mut self, payload: &[u8]) {
        self.queued.push((OpCode::Text, payload.to_vec()));
    }

    pub(super) fn queue_binary(&mut self, payload: &[u8]) {
        self.queued.push((OpCode::Binary, payload.to_vec()));
    }

    pub(super) fn has_queued(&self) -> bool {
        !self.queued.is_empty()
    }

    pub(super) async fn flush(&mut self) -> io::Result<()> {
        for (opcode, payload) in self.queued.drain(..) {
            self.ws
                .write_frame(Frame::new(true, opcode, None, Payload::Owned(payload)))
                .await
                .map_err(to_io)?;
        }
        Ok(())
    }

    /// One frame per call: the frame reader is not cancel-safe, so it is never polled
    /// without being awaited to the end.
    pub(super) async fn read_batch(&mut self, mut on_text: impl FnMut(&[u8])) -> io::Result<usize> {
        let frame = self.ws.read_frame().await.map_err(to_io)?;
        let texts = match frame.opcode {
            OpCode::Text if &frame.payload[..] == b"2" => {
                self.queue_text(b"3");
                0
            }
            OpCode::Text | OpCode::Binary => {
                on_text(&frame.payload);
                1
            }
            OpCode::Close => {
                return Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "the server closed the WebSocket",
                ));
            }
            OpCode::Ping | OpCode::Pong => 0,
            OpCode::Continuation => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "fragmented frames are not supported",
                ));
            }
        };
        self.flush().await?;
        Ok(texts)
    }
}

//! The load generator's WebSocket client, on `fastwebsockets`: what the scenarios need of
//! it. The upgrade is `fastwebsockets::handshake::client` (hyper's HTTP/1.1 client);
//! frames out are queued and written together by [`WsConn::flush`] (through a write
//! buffer, so a batch of frames is one `write`); frames in are handed over one at a
//! time by [`WsConn::read_batch`], from the crate's read buffer.
//!
//! Engine.IO pings (the text frame `2`) and WebSocket pings are answered here, so a
//! connection that only waits stays alive.
//!
//! Chosen by measurement against `tokio-tungstenite` and the hand-written RFC 6455 client
//! this module replaced (book/src/performance.md, "The scenarios"): in the `ack` scenario
//! the generator runs about as many instructions per ack as with the hand-written client
//! (4,736 against 4,705 under callgrind) and half of what `tokio-tungstenite` takes
//! (9,821).

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use fastwebsockets::{Frame, OpCode, Payload, Role, WebSocket, WebSocketError};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::BufWriter;
use tokio::net::TcpSocket;

/// The stream under the frames: hyper's upgraded connection (which keeps any bytes read
/// past the upgrade response), behind a write buffer.
type Stream = BufWriter<TokioIo<hyper::upgrade::Upgraded>>;

/// The write buffer's bounds (see [`WsConn::connect`]).
const WRITE_BUF: (usize, usize) = (512, 64 * 1024);

/// One WebSocket connection.
pub struct WsConn {
    ws: WebSocket<Stream>,
    /// Frames queued by `queue_*`, written by [`flush`](Self::flush).
    queued: Vec<(OpCode, Vec<u8>)>,
}

fn to_io(err: WebSocketError) -> io::Error {
    match err {
        WebSocketError::IoError(err) => err,
        WebSocketError::UnexpectedEOF | WebSocketError::ConnectionClosed => {
            io::Error::new(io::ErrorKind::UnexpectedEof, "server closed the connection")
        }
        other => io::Error::new(io::ErrorKind::InvalidData, other),
    }
}

impl WsConn {
    /// Opens a TCP connection to `addr` and upgrades `path` (with its query) to WebSocket.
    /// The socket has `TCP_NODELAY`, and closes with a reset (no `TIME_WAIT` left behind
    /// by the thousands of connections a run opens).
    ///
    /// `read_buf`: the buffer size the scenario asks for (512 bytes for its idle
    /// connections, 4 KiB for ack clients, 64 KiB for fanout). `fastwebsockets` sizes its
    /// read buffer itself (8 KiB, grown for a larger frame), so this sizes the write buffer
    /// instead (from 512 bytes to 64 KiB): a batch of frames that fits it goes out in one
    /// write, as the fanout sender's 64 `broadcast`s do, and an idle connection does not
    /// hold kilobytes it never fills.
    pub async fn connect(addr: SocketAddr, path: &str, read_buf: usize) -> io::Result<Self> {
        Self::connect_from(addr, None, path, read_buf).await
    }

    /// [`connect`](Self::connect), the local end bound to `source` when given: one source
    /// address has at most about 28,000 ephemeral ports towards one server, so more
    /// connections than that come from several loopback addresses (`127.0.0.x`). Naming
    /// the port too is much faster at scale (`bind` with port 0 searches the bound ports
    /// one by one).
    pub async fn connect_from(
        addr: SocketAddr,
        source: Option<SocketAddr>,
        path: &str,
        read_buf: usize,
    ) -> io::Result<Self> {
        let socket = if addr.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        socket.set_nodelay(true)?;
        socket.set_zero_linger()?;
        if let Some(source) = source {
            socket.bind(source).map_err(|err| {
                io::Error::new(err.kind(), format!("cannot bind {source}: {err}"))
            })?;
        }
        let stream = socket.connect(addr).await?;
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
        let (ws, _response) =
            fastwebsockets::handshake::client(&TokioExecutor::new(), request, stream)
                .await
                .map_err(to_io)?;
        // No frame has been read yet: the upgraded connection holds whatever came after
        // the response, so the stream can be wrapped and the frame layer set up again.
        let upgraded = ws.into_inner();
        let mut ws = WebSocket::after_handshake(
            BufWriter::with_capacity(read_buf.clamp(WRITE_BUF.0, WRITE_BUF.1), upgraded),
            Role::Client,
        );
        // Pongs are queued here and flushed with the rest: the crate's own would wait in
        // the write buffer.
        ws.set_auto_pong(false);
        ws.set_auto_close(true);
        Ok(Self {
            ws,
            queued: Vec::new(),
        })
    }

    /// Queues a text frame; [`flush`](Self::flush) sends it.
    pub fn queue_text(&mut self, payload: &[u8]) {
        self.queued.push((OpCode::Text, payload.to_vec()));
    }

    /// Queues a binary frame (a msgpack packet); [`flush`](Self::flush) sends it.
    pub fn queue_binary(&mut self, payload: &[u8]) {
        self.queued.push((OpCode::Binary, payload.to_vec()));
    }

    /// Whether frames are queued.
    pub fn has_queued(&self) -> bool {
        !self.queued.is_empty()
    }

    /// Sends the queued frames.
    pub async fn flush(&mut self) -> io::Result<()> {
        if self.queued.is_empty() {
            return Ok(());
        }
        for (opcode, payload) in self.queued.drain(..) {
            self.ws
                .write_frame(Frame::new(true, opcode, None, Payload::Owned(payload)))
                .await
                .map_err(to_io)?;
        }
        self.ws.flush().await.map_err(to_io)
    }

    /// Waits for the next frame and hands it to `on_text` if it is a text or binary frame
    /// (a binary frame is a msgpack packet: its first byte is a map's, never an Engine.IO
    /// digit). An Engine.IO ping is answered (and not handed over), as is a WebSocket ping;
    /// queued frames, answers included, are flushed before returning. Returns the number
    /// of frames handed over (0 or 1): callers loop until they have what they wait for.
    ///
    /// One frame per call because `fastwebsockets`' frame reader is not cancel-safe: it is
    /// only ever dropped while waiting for a frame's first bytes (by
    /// [`read_batch_timeout`](Self::read_batch_timeout)), never polled once to see whether
    /// more frames have arrived.
    pub async fn read_batch(&mut self, mut on_text: impl FnMut(&[u8])) -> io::Result<usize> {
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
            OpCode::Ping => {
                self.queued.push((OpCode::Pong, frame.payload.to_vec()));
                0
            }
            OpCode::Pong => 0,
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

    /// Like [`read_batch`](Self::read_batch), but gives up after `limit`.
    pub async fn read_batch_timeout(
        &mut self,
        limit: Duration,
        on_text: impl FnMut(&[u8]),
    ) -> io::Result<usize> {
        match tokio::time::timeout(limit, self.read_batch(on_text)).await {
            Ok(result) => result,
            Err(_) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "no frame from the server in time",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `connect_from` binds the local end: the listener sees the connection come from
    /// the given loopback address (the upgrade then fails, nothing answers it).
    #[tokio::test]
    async fn connects_from_the_given_address() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a listener");
        let addr = listener.local_addr().expect("its address");
        let source = SocketAddr::from(([127, 0, 0, 2], 0));
        let client = tokio::spawn(WsConn::connect_from(addr, Some(source), "/", 512));
        let (stream, peer) = listener.accept().await.expect("a connection");
        assert_eq!(peer.ip(), source.ip());
        drop(stream);
        assert!(client.await.expect("the task ends").is_err());
    }
}

//! The hand-written WebSocket client (RFC 6455), the reference of the comparison: the
//! upgrade handshake, masked text frames out, unmasked frames in, parsed in place from one
//! read buffer. Writes are queued and sent with one `write_all` per batch.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const OP_CONTINUATION: u8 = 0x0;
const OP_TEXT: u8 = 0x1;
const OP_BINARY: u8 = 0x2;
const OP_CLOSE: u8 = 0x8;
const OP_PING: u8 = 0x9;
const OP_PONG: u8 = 0xA;

/// Largest frame accepted from the server.
const MAX_FRAME: usize = 16 << 20;

/// One WebSocket connection.
pub(super) struct Conn {
    stream: TcpStream,
    rbuf: Vec<u8>,
    /// Start of the unparsed bytes in `rbuf`.
    rpos: usize,
    wbuf: Vec<u8>,
    mask_seed: u32,
}

fn protocol_error(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

impl Conn {
    /// Upgrades `path` (with its query) to WebSocket on `stream`.
    pub(super) async fn upgrade(
        stream: TcpStream,
        addr: SocketAddr,
        path: &str,
        read_buf: usize,
    ) -> io::Result<Self> {
        let mut conn = Self {
            stream,
            rbuf: Vec::with_capacity(read_buf.max(512)),
            rpos: 0,
            wbuf: Vec::with_capacity(256),
            mask_seed: seed(addr),
        };
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
        conn.stream.write_all(request.as_bytes()).await?;
        let header_end = loop {
            if let Some(end) = find(&conn.rbuf, b"\r\n\r\n") {
                break end + 4;
            }
            if conn.rbuf.len() > 16 * 1024 {
                return Err(protocol_error("oversized upgrade response"));
            }
            conn.fill().await?;
        };
        if !conn.rbuf.starts_with(b"HTTP/1.1 101") {
            let status = String::from_utf8_lossy(&conn.rbuf[..header_end.min(64)]).into_owned();
            return Err(protocol_error(&format!("upgrade refused: {status}")));
        }
        conn.rpos = header_end;
        Ok(conn)
    }

    /// Reads more bytes into the buffer; an orderly close by the server is an error.
    async fn fill(&mut self) -> io::Result<()> {
        if self.rpos > 0 && self.rpos == self.rbuf.len() {
            self.rbuf.clear();
            self.rpos = 0;
        } else if self.rpos > self.rbuf.capacity() / 2 {
            self.rbuf.drain(..self.rpos);
            self.rpos = 0;
        }
        if self.rbuf.capacity() - self.rbuf.len() < 512 {
            self.rbuf.reserve(self.rbuf.capacity().max(4096));
        }
        let n = self.stream.read_buf(&mut self.rbuf).await?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "server closed the connection",
            ));
        }
        Ok(())
    }

    /// Queues a masked text frame; [`flush`](Self::flush) sends it.
    pub(super) fn queue_text(&mut self, payload: &[u8]) {
        self.queue_frame(OP_TEXT, payload);
    }

    /// Queues a masked binary frame (a msgpack packet); [`flush`](Self::flush) sends it.
    pub(super) fn queue_binary(&mut self, payload: &[u8]) {
        self.queue_frame(OP_BINARY, payload);
    }

    fn queue_frame(&mut self, opcode: u8, payload: &[u8]) {
        self.wbuf.push(0x80 | opcode);
        let len = payload.len();
        if len < 126 {
            // `len < 126` fits a byte.
            self.wbuf.push(0x80 | len as u8);
        } else if let Ok(len) = u16::try_from(len) {
            self.wbuf.push(0x80 | 126);
            self.wbuf.extend_from_slice(&len.to_be_bytes());
        } else {
            self.wbuf.push(0x80 | 127);
            self.wbuf.extend_from_slice(&(len as u64).to_be_bytes());
        }
        // xorshift32: client frames must be masked; the key need not be secret here.
        let mut x = self.mask_seed;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.mask_seed = x;
        let mask = x.to_ne_bytes();
        self.wbuf.extend_from_slice(&mask);
        self.wbuf.extend(
            payload
                .iter()
                .zip(mask.iter().cycle())
                .map(|(byte, key)| byte ^ key),
        );
    }

    /// Whether frames are queued.
    pub(super) fn has_queued(&self) -> bool {
        !self.wbuf.is_empty()
    }

    /// Sends the queued frames.
    pub(super) async fn flush(&mut self) -> io::Result<()> {
        if !self.wbuf.is_empty() {
            self.stream.write_all(&self.wbuf).await?;
            self.wbuf.clear();
        }
        Ok(())
    }

    /// Waits for at least one frame, then hands every complete text or binary frame in the
    /// buffer to `on_text`, in order (a binary frame is a msgpack packet: its first byte is
    /// a map's, never an Engine.IO digit). Engine.IO pings are answered (and not handed
    /// over); queued frames, answers included, are flushed before returning. Returns the
    /// number of frames handed over.
    pub(super) async fn read_batch(&mut self, mut on_text: impl FnMut(&[u8])) -> io::Result<usize> {
        let mut texts = 0;
        loop {
            let mut frames = 0;
            while let Some((opcode, start, end)) = self.next_frame()? {
                frames += 1;
                match opcode {
                    OP_TEXT => {
                        let payload = &self.rbuf[start..end];
                        if payload == b"2" {
                            self.queue_text(b"3");
                        } else {
                            texts += 1;
                            on_text(payload);
                        }
                    }
                    OP_PING => {
                        let payload = self.rbuf[start..end].to_vec();
                        self.queue_frame(OP_PONG, &payload);
                    }
                    OP_CLOSE => {
                        return Err(io::Error::new(
                            io::ErrorKind::ConnectionAborted,
                            "the server closed the WebSocket",
                        ));
                    }
                    OP_BINARY => {
                        texts += 1;
                        on_text(&self.rbuf[start..end]);
                    }
                    OP_PONG => {}
                    _ => return Err(protocol_error("unexpected frame")),
                }
            }
            if frames > 0 {
                break;
            }
            self.fill().await?;
        }
        self.flush().await?;
        Ok(texts)
    }

    /// The next complete frame in the buffer (opcode, payload range), consumed.
    fn next_frame(&mut self) -> io::Result<Option<(u8, usize, usize)>> {
        let buf = &self.rbuf[self.rpos..];
        if buf.len() < 2 {
            return Ok(None);
        }
        let (fin, opcode) = (buf[0] & 0x80 != 0, buf[0] & 0x0F);
        if !fin || opcode == OP_CONTINUATION {
            return Err(protocol_error("fragmented frames are not supported"));
        }
        if buf[1] & 0x80 != 0 {
            return Err(protocol_error("masked frame from the server"));
        }
        let (len, header) = match buf[1] & 0x7F {
            126 if buf.len() >= 4 => (usize::from(u16::from_be_bytes([buf[2], buf[3]])), 4),
            127 if buf.len() >= 10 => {
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(&buf[2..10]);
                let len = usize::try_from(u64::from_be_bytes(bytes))
                    .map_err(|_| protocol_error("frame too large"))?;
                (len, 10)
            }
            126 | 127 => return Ok(None),
            len => (usize::from(len), 2),
        };
        if len > MAX_FRAME {
            return Err(protocol_error("frame too large"));
        }
        if buf.len() < header + len {
            let need = self.rpos + header + len;
            if need > self.rbuf.capacity() {
                self.rbuf.reserve(need - self.rbuf.len());
            }
            return Ok(None);
        }
        let start = self.rpos + header;
        self.rpos = start + len;
        Ok(Some((opcode, start, start + len)))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A per-connection mask seed (never zero, as xorshift needs).
fn seed(addr: SocketAddr) -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0x9E37_79B9);
    let n = NEXT.fetch_add(0x6D2B_79F5, Ordering::Relaxed);
    (n ^ u32::from(addr.port())) | 1
}

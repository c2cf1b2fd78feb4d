//! The load generator's WebSocket client: just what it needs. Text and binary frames out,
//! queued and sent in one batch; frames in, handed over in order.
//!
//! Engine.IO pings (the text frame `2`) and WebSocket pings are answered here, so a
//! connection that only waits stays alive.
//!
//! While the clients are compared (`loadgen --client handwritten|tungstenite|tungstenite-drain|fastwebsockets[-hyper]`,
//! see `bench/ws-client.sh`) there are three behind one type; the comparison keeps one.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use tokio::net::{TcpSocket, TcpStream};

mod fast;
mod handwritten;
mod tungstenite;

/// Which WebSocket client the connections use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Client {
    /// The hand-written RFC 6455 client (the reference).
    #[default]
    HandWritten,
    /// `tokio-tungstenite`, one message per `read_batch`.
    Tungstenite,
    /// `tokio-tungstenite`, taking every message already received in `read_batch`.
    TungsteniteDrain,
    /// `fastwebsockets`, the upgrade written by hand (reading the response byte by byte).
    FastWebSockets,
    /// `fastwebsockets`, the upgrade by its `handshake::client` (hyper).
    FastWebSocketsHyper,
}

impl std::str::FromStr for Client {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "handwritten" => Ok(Self::HandWritten),
            "tungstenite" => Ok(Self::Tungstenite),
            "tungstenite-drain" => Ok(Self::TungsteniteDrain),
            "fastwebsockets" => Ok(Self::FastWebSockets),
            "fastwebsockets-hyper" => Ok(Self::FastWebSocketsHyper),
            other => Err(format!(
                "unknown client `{other}`: handwritten, tungstenite, tungstenite-drain, \
                 fastwebsockets or fastwebsockets-hyper"
            )),
        }
    }
}

static CLIENT: AtomicU8 = AtomicU8::new(0);

/// Chooses the client of the connections opened from now on.
pub fn use_client(client: Client) {
    CLIENT.store(client as u8, Ordering::Relaxed);
}

fn client() -> Client {
    match CLIENT.load(Ordering::Relaxed) {
        1 => Client::Tungstenite,
        2 => Client::TungsteniteDrain,
        3 => Client::FastWebSockets,
        4 => Client::FastWebSocketsHyper,
        _ => Client::HandWritten,
    }
}

/// One WebSocket connection.
pub struct WsConn {
    inner: Inner,
}

enum Inner {
    HandWritten(handwritten::Conn),
    Tungstenite(tungstenite::Conn),
    Fast(fast::Conn<TcpStream>),
    FastHyper(fast::Conn<fast::Upgraded>),
}

macro_rules! each {
    ($self:expr, $conn:ident => $body:expr) => {
        match &mut $self.inner {
            Inner::HandWritten($conn) => $body,
            Inner::Tungstenite($conn) => $body,
            Inner::Fast($conn) => $body,
            Inner::FastHyper($conn) => $body,
        }
    };
}

/// Opens the TCP connection: `TCP_NODELAY`, closed with a reset (no `TIME_WAIT` left behind
/// by the thousands of connections a run opens), the local end bound to `source` if given.
async fn tcp(addr: SocketAddr, source: Option<IpAddr>) -> io::Result<TcpStream> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_nodelay(true)?;
    socket.set_zero_linger()?;
    if let Some(ip) = source {
        socket.bind(SocketAddr::new(ip, 0))?;
    }
    socket.connect(addr).await
}

impl WsConn {
    /// Opens a TCP connection to `addr` and upgrades `path` (with its query) to WebSocket.
    /// The socket has `TCP_NODELAY`, and closes with a reset (no `TIME_WAIT` left behind
    /// by the thousands of connections a run opens). `read_buf`: the initial read buffer.
    pub async fn connect(addr: SocketAddr, path: &str, read_buf: usize) -> io::Result<Self> {
        Self::connect_from(addr, None, path, read_buf).await
    }

    /// [`connect`](Self::connect), the local end bound to `source` (any port) when given:
    /// one source address has at most about 28,000 ephemeral ports towards one server, so
    /// more connections than that come from several loopback addresses (`127.0.0.x`).
    pub async fn connect_from(
        addr: SocketAddr,
        source: Option<IpAddr>,
        path: &str,
        read_buf: usize,
    ) -> io::Result<Self> {
        let stream = tcp(addr, source).await?;
        let inner = match client() {
            Client::HandWritten => {
                Inner::HandWritten(handwritten::Conn::upgrade(stream, addr, path, read_buf).await?)
            }
            client @ (Client::Tungstenite | Client::TungsteniteDrain) => {
                let drain = client == Client::TungsteniteDrain;
                Inner::Tungstenite(
                    tungstenite::Conn::upgrade(stream, addr, path, read_buf, drain).await?,
                )
            }
            Client::FastWebSockets => {
                Inner::Fast(fast::Conn::upgrade(stream, addr, path, read_buf).await?)
            }
            Client::FastWebSocketsHyper => {
                Inner::FastHyper(fast::Conn::upgrade_with_hyper(stream, addr, path).await?)
            }
        };
        Ok(Self { inner })
    }

    /// Queues a text frame; [`flush`](Self::flush) sends it.
    pub fn queue_text(&mut self, payload: &[u8]) {
        each!(self, conn => conn.queue_text(payload))
    }

    /// Queues a binary frame (a msgpack packet); [`flush`](Self::flush) sends it.
    pub fn queue_binary(&mut self, payload: &[u8]) {
        each!(self, conn => conn.queue_binary(payload))
    }

    /// Whether frames are queued.
    pub fn has_queued(&self) -> bool {
        match &self.inner {
            Inner::HandWritten(conn) => conn.has_queued(),
            Inner::Tungstenite(conn) => conn.has_queued(),
            Inner::Fast(conn) => conn.has_queued(),
            Inner::FastHyper(conn) => conn.has_queued(),
        }
    }

    /// Sends the queued frames.
    pub async fn flush(&mut self) -> io::Result<()> {
        each!(self, conn => conn.flush().await)
    }

    /// Waits for at least one frame, then hands every text or binary frame already
    /// received to `on_text`, in order (a binary frame is a msgpack packet: its first byte
    /// is a map's, never an Engine.IO digit). Engine.IO pings are answered (and not handed
    /// over), as are WebSocket pings; queued frames, answers included, are flushed before
    /// returning. Returns the number of frames handed over.
    pub async fn read_batch(&mut self, on_text: impl FnMut(&[u8])) -> io::Result<usize> {
        each!(self, conn => conn.read_batch(on_text).await)
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

//! The bytes a served app receives and sends, counted at its listener for the Admin UI's
//! `bytesIn` / `bytesOut` (socketioxide has no hook on packets): [`Counted`] wraps the
//! listener `serve` uses, [`CountedIo`] each connection. Only an app with the Admin UI
//! serves through it; the others keep the plain listener. The counts are the wire's
//! (HTTP and WebSocket framing included), where the Node package counts Engine.IO
//! packets: the same curve, a little higher.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use axum::serve::Listener;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::admin_ui::Traffic;

/// A listener whose connections count their bytes into `traffic`.
pub(crate) struct Counted<L> {
    pub(crate) inner: L,
    pub(crate) traffic: Arc<Traffic>,
}

impl<L: Listener> Listener for Counted<L> {
    type Io = CountedIo<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = self.inner.accept().await;
        let traffic = self.traffic.clone();
        (CountedIo { io, traffic }, addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// One connection, counting what it reads and writes.
pub(crate) struct CountedIo<T> {
    io: T,
    traffic: Arc<Traffic>,
}

impl<T> CountedIo<T> {
    /// The connection itself (to set its socket options).
    pub(crate) fn get_mut(&mut self) -> &mut T {
        &mut self.io
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for CountedIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        if read > 0 {
            self.traffic
                .bytes_in
                .fetch_add(read as u64, Ordering::Relaxed);
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for CountedIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        if let Poll::Ready(Ok(written)) = polled {
            self.traffic
                .bytes_out
                .fetch_add(written as u64, Ordering::Relaxed);
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(written)) = polled {
            self.traffic
                .bytes_out
                .fetch_add(written as u64, Ordering::Relaxed);
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

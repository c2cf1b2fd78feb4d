//! HTTP compression of long-polling responses (`GatewayApp::http_compression`), through
//! tower-http's compression layer: gzip, brotli or deflate, as the request's
//! `Accept-Encoding` prefers, for bodies of 1 KB and more, the threshold socket.io uses.
//!
//! WebSocket frames are not compressed: permessage-deflate is in no released tungstenite
//! (book/src/throttling-and-limits.md, "Compression").

use axum::http::{HeaderMap, StatusCode, Version, header};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};

/// The smallest body compressed, in bytes (socket.io's `perMessageDeflate.threshold` and
/// `httpCompression.threshold` are 1024 too).
pub(crate) const THRESHOLD: u16 = 1024;

/// The layer: Engine.IO's polling payloads (`text/plain`, or `application/octet-stream`
/// for binary ones) of [`THRESHOLD`] bytes and more; never a WebSocket upgrade.
pub(crate) fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(SizeAbove::new(THRESHOLD).and(polling_payload))
}

/// Whether a response is a long-polling payload: not an upgrade, and of Engine.IO's types.
fn polling_payload(
    status: StatusCode,
    _: Version,
    headers: &HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    status != StatusCode::SWITCHING_PROTOCOLS
        && (content_type.starts_with("text/plain")
            || content_type.starts_with("application/octet-stream"))
}

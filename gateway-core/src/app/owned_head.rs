//! The request head re-owned before Socket.IO keeps it. socketioxide keeps each
//! connection's handshake request head (`socket.req_parts()`: what guards, `cx.header`,
//! `cx.cookie` and the Admin UI read) for the life of the socket; as hyper parses it, its
//! URI and header values are slices of the connection's read buffer, which has grown to
//! 16 KiB by then, so one idle socket pinned the whole buffer. [`layer`] copies the URI
//! and every header value (axum's `OriginalUri` too) into allocations of their own size,
//! once per HTTP request, before the Socket.IO layer reads it: the buffer is freed when
//! hyper hands the connection over to the WebSocket (book/src/performance.md, "Memory
//! per connection").

use axum::extract::{OriginalUri, Request};
use axum::http::{HeaderMap, HeaderValue, Uri};
use tower::util::MapRequestLayer;

/// The layer that re-owns each request's head (synchronously: nothing boxed).
pub(crate) fn layer() -> MapRequestLayer<fn(Request) -> Request> {
    MapRequestLayer::new(reowned)
}

/// `request`, its URI and headers copied out of hyper's buffer.
fn reowned(mut request: Request) -> Request {
    *request.uri_mut() = owned_uri(request.uri());
    if let Some(OriginalUri(uri)) = request.extensions_mut().get_mut::<OriginalUri>() {
        *uri = owned_uri(uri);
    }
    let headers = std::mem::take(request.headers_mut());
    *request.headers_mut() = owned_headers(headers);
    request
}

/// A URI parsed again from its text: its parts point into a fresh allocation.
fn owned_uri(uri: &Uri) -> Uri {
    Uri::try_from(uri.to_string()).unwrap_or_else(|_| uri.clone())
}

/// The same headers, in the same order, each value copied (names are either standard,
/// which own nothing, or already copied by hyper).
fn owned_headers(headers: HeaderMap) -> HeaderMap {
    let mut owned = HeaderMap::with_capacity(headers.len());
    let mut last = None;
    for (name, value) in headers {
        let name = match name {
            Some(name) => {
                last = Some(name.clone());
                name
            }
            // `into_iter` names a header once, before its first value.
            None => match &last {
                Some(name) => name.clone(),
                None => continue,
            },
        };
        let mut copy = HeaderValue::from_bytes(value.as_bytes()).unwrap_or_else(|_| value.clone());
        copy.set_sensitive(value.is_sensitive());
        owned.append(name, copy);
    }
    owned
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use bytes::Bytes;

    use super::*;

    /// Whether `part` lies inside `buffer`.
    fn inside(buffer: &Bytes, part: &[u8]) -> bool {
        buffer.as_ptr_range().contains(&part.as_ptr())
    }

    #[test]
    fn nothing_of_the_head_points_into_the_read_buffer_after() {
        // A head as hyper leaves it: its URI and values are slices of one read buffer.
        let buffer =
            Bytes::from(b"/socket.io/?EIO=4&transport=websocket blue first second".to_vec());
        let uri = Uri::from_maybe_shared(buffer.slice(0..37)).expect("a URI");
        let value = |range| HeaderValue::from_maybe_shared(buffer.slice(range)).expect("a value");
        let mut request = Request::new(Body::empty());
        *request.uri_mut() = uri.clone();
        request.extensions_mut().insert(OriginalUri(uri));
        request.headers_mut().append("x-team", value(38..42));
        request.headers_mut().append("x-tag", value(43..48));
        request.headers_mut().append("x-tag", value(49..55));
        assert!(inside(&buffer, request.headers()["x-team"].as_bytes()));

        let request = reowned(request);
        assert_eq!(request.uri(), "/socket.io/?EIO=4&transport=websocket");
        assert!(!inside(&buffer, request.uri().path().as_bytes()));
        let OriginalUri(original) = request.extensions().get::<OriginalUri>().expect("kept");
        assert!(!inside(&buffer, original.path().as_bytes()));
        assert_eq!(request.headers()["x-team"], "blue");
        let tags: Vec<_> = request.headers().get_all("x-tag").iter().collect();
        assert_eq!(tags, ["first", "second"]);
        for value in request.headers().values() {
            assert!(!inside(&buffer, value.as_bytes()), "{value:?} is a copy");
        }
    }
}

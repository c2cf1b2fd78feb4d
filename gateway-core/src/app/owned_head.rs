//! The request head re-owned before Socket.IO keeps it. socketioxide keeps each
//! connection's handshake request head (`socket.req_parts()`: what guards, `cx.header`,
//! `cx.cookie` and the Admin UI read) for the life of the socket; as hyper parses it, its
//! URI and header values are slices of the connection's read buffer, which has grown to
//! 16 KiB by then, so one idle socket pinned the whole buffer. [`layer`] copies the URI
//! and every header value (axum's `OriginalUri` too) into one allocation of their size,
//! once per HTTP request, before the Socket.IO layer reads it: the buffer is freed when
//! hyper hands the connection over to the WebSocket (book/src/performance.md, "Memory
//! per connection").

use axum::extract::{OriginalUri, Request};
use axum::http::{HeaderMap, HeaderValue, Uri};
use bytes::BytesMut;
use tower::util::MapRequestLayer;

/// The layer that re-owns each request's head (synchronously: nothing boxed).
pub(crate) fn layer() -> MapRequestLayer<fn(Request) -> Request> {
    MapRequestLayer::new(reowned)
}

/// `request`, its URI and headers copied out of hyper's buffer into one allocation of
/// their size: the URI, axum's `OriginalUri` (the same text unless the router is nested)
/// and every header value are slices of it, which saves an allocation (and its rounding)
/// per part.
fn reowned(mut request: Request) -> Request {
    let headers = std::mem::take(request.headers_mut());
    let uri = request.uri().to_string();
    let original = match request.extensions().get::<OriginalUri>() {
        Some(OriginalUri(original)) => Some(original.to_string()).filter(|o| *o != uri),
        None => None,
    };
    let values: usize = headers.values().map(HeaderValue::len).sum();
    let mut text =
        BytesMut::with_capacity(uri.len() + original.as_ref().map_or(0, String::len) + values);
    text.extend_from_slice(uri.as_bytes());
    if let Some(original) = &original {
        text.extend_from_slice(original.as_bytes());
    }
    // `values()` and the consuming loop below visit the values in the same order.
    for value in headers.values() {
        text.extend_from_slice(value.as_bytes());
    }
    let mut text = text.freeze();
    let mut next = |len: usize| text.split_to(len);

    let owned = Uri::from_maybe_shared(next(uri.len())).unwrap_or_else(|_| request.uri().clone());
    if let Some(OriginalUri(kept)) = request.extensions_mut().get_mut::<OriginalUri>() {
        *kept = match &original {
            Some(text) => Uri::from_maybe_shared(next(text.len())).unwrap_or_else(|_| kept.clone()),
            None => owned.clone(),
        };
    }
    *request.uri_mut() = owned;

    let mut owned = HeaderMap::with_capacity(headers.len());
    let mut last = None;
    for (name, value) in headers {
        let part = next(value.len());
        let name = match name {
            Some(name) => {
                last = Some(name.clone());
                name
            }
            // Later values of the same name come without it.
            None => match &last {
                Some(name) => name.clone(),
                None => continue,
            },
        };
        let mut copy = HeaderValue::from_maybe_shared(part).unwrap_or_else(|_| value.clone());
        copy.set_sensitive(value.is_sensitive());
        owned.append(name, copy);
    }
    *request.headers_mut() = owned;
    request
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

    #[test]
    fn a_nested_routers_original_uri_keeps_its_own_text() {
        let buffer = Bytes::from(b"/api/socket.io/?EIO=4 /socket.io/?EIO=4 v".to_vec());
        let original = Uri::from_maybe_shared(buffer.slice(0..21)).expect("a URI");
        let nested = Uri::from_maybe_shared(buffer.slice(22..39)).expect("a URI");
        let mut request = Request::new(Body::empty());
        *request.uri_mut() = nested;
        request.extensions_mut().insert(OriginalUri(original));
        request.headers_mut().append(
            "x-v",
            HeaderValue::from_maybe_shared(buffer.slice(40..41)).expect("a value"),
        );

        let request = reowned(request);
        assert_eq!(request.uri(), "/socket.io/?EIO=4");
        let OriginalUri(original) = request.extensions().get::<OriginalUri>().expect("kept");
        assert_eq!(original, "/api/socket.io/?EIO=4");
        assert!(!inside(&buffer, original.path().as_bytes()));
        assert!(!inside(&buffer, request.uri().path().as_bytes()));
        assert_eq!(request.headers()["x-v"], "v");
    }
}

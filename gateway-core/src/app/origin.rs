//! The `Origin` allowlist ([`GatewayConfig::allowed_origins`](crate::GatewayConfig)):
//! CORS headers for the listed origins, and a check that refuses a handshake from any other
//! origin (browsers do not apply CORS to WebSocket handshakes, so the server must).

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, Method, StatusCode, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Puts the CORS layer and the origin check on `router`.
pub(crate) fn restrict(router: Router, origins: Arc<[String]>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(
            origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()),
        ))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE]);
    router
        .layer(cors)
        .layer(axum::middleware::from_fn(move |req, next| {
            check_origin(origins.clone(), req, next)
        }))
}

/// Refuses requests from a browser origin outside the allowlist. Browsers do not apply
/// CORS to WebSocket handshakes, so the server must check `Origin` itself. The server's own
/// origin is always allowed: a page the app serves itself, and clients such as
/// python-socketio's WebSocket transport, which send `Origin: http://<host>:<port>` of the
/// server they connect to.
async fn check_origin(
    allowed: Arc<[String]>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match req.headers().get(header::ORIGIN).map(HeaderValue::to_str) {
        None => next.run(req).await,
        Some(Ok(origin)) if allowed.iter().any(|a| a == origin) || same_origin(origin, &req) => {
            next.run(req).await
        }
        Some(origin) => {
            tracing::debug!(?origin, "refused a request from a disallowed origin");
            (StatusCode::FORBIDDEN, "origin not allowed").into_response()
        }
    }
}

/// Whether `origin` (`http[s]://host[:port]`) names the server the request was sent to:
/// its `Host` header (HTTP/1.1), or its URI's authority (HTTP/2). The scheme is not
/// compared: behind a TLS-terminating proxy the server cannot tell which one the client
/// used, and both name the same host.
fn same_origin(origin: &str, req: &axum::extract::Request) -> bool {
    let Some(authority) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    host.is_some_and(|host| host.eq_ignore_ascii_case(authority))
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    fn request(host: Option<&str>) -> axum::extract::Request {
        let mut builder = axum::http::Request::builder().uri("/socket.io/");
        if let Some(host) = host {
            builder = builder.header("host", host);
        }
        builder
            .body(axum::body::Body::empty())
            .expect("a valid request")
    }

    #[test]
    fn the_servers_own_origin_is_same_origin_and_others_are_not() {
        let req = request(Some("127.0.0.1:3000"));
        assert!(same_origin("http://127.0.0.1:3000", &req));
        assert!(same_origin("https://127.0.0.1:3000", &req));
        assert!(!same_origin("http://127.0.0.1:3001", &req));
        assert!(!same_origin("http://evil.example", &req));
        assert!(!same_origin("null", &req));
        assert!(!same_origin("ws://127.0.0.1:3000", &req));
        let named = request(Some("App.Example"));
        assert!(same_origin("https://app.example", &named));
        assert!(!same_origin("https://app.example.evil", &named));
        assert!(!same_origin("https://app.example", &request(None)));
    }
}

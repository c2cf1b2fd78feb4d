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
/// CORS to WebSocket handshakes, so the server must check `Origin` itself.
async fn check_origin(
    allowed: Arc<[String]>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match req.headers().get(header::ORIGIN).map(HeaderValue::to_str) {
        None => next.run(req).await,
        Some(Ok(origin)) if allowed.iter().any(|a| a == origin) => next.run(req).await,
        Some(origin) => {
            tracing::debug!(?origin, "refused a request from a disallowed origin");
            (StatusCode::FORBIDDEN, "origin not allowed").into_response()
        }
    }
}

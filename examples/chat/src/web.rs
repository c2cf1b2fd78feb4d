//! The browser page (`static/index.html`), and where it gets the official Socket.IO
//! client from.

use std::path::PathBuf;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

/// The page, compiled into the binary.
const PAGE: &str = include_str!("../static/index.html");

/// The socket.io CDN release the page falls back to.
pub const CDN: &str = "https://cdn.socket.io/4.8.1";

/// The environment variable naming a directory that holds `socket.io.min.js`.
pub const CLIENT_DIR_ENV: &str = "SOCKET_IO_CLIENT_DIR";

// ANCHOR: client-bundle
/// Where the page's `<script src="/socket.io-client/socket.io.min.js">` comes from. No
/// third-party code is committed here: the client is the official `socket.io-client`
/// package's browser bundle, from npm or from the socket.io CDN.
#[derive(Debug, Clone, Default)]
pub enum ClientBundle {
    /// A redirect to the official CDN (`https://cdn.socket.io/4.8.1/socket.io.min.js`).
    #[default]
    Cdn,
    /// Served from this directory, e.g. `node_modules/socket.io-client/dist` after
    /// `npm install socket.io-client`: the page then works offline.
    Dir(PathBuf),
}

impl ClientBundle {
    /// `Dir` when `SOCKET_IO_CLIENT_DIR` is set, otherwise `Cdn`.
    pub fn from_env() -> Self {
        match std::env::var_os(CLIENT_DIR_ENV) {
            Some(dir) if !dir.is_empty() => ClientBundle::Dir(dir.into()),
            _ => ClientBundle::Cdn,
        }
    }
}
// ANCHOR_END: client-bundle

/// `GET /` (the page) and `GET /socket.io-client/{file}` (the client bundle and its
/// source map).
pub fn routes<S: Clone + Send + Sync + 'static>(client: ClientBundle) -> Router<S> {
    Router::new()
        .route("/", get(|| async { Html(PAGE) }))
        .route(
            "/socket.io-client/{file}",
            get(move |Path(file): Path<String>| bundle(client.clone(), file)),
        )
}

async fn bundle(client: ClientBundle, file: String) -> Response {
    let content_type = match file.as_str() {
        "socket.io.min.js" => "text/javascript; charset=utf-8",
        "socket.io.min.js.map" => "application/json",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    match client {
        ClientBundle::Cdn => Redirect::temporary(&format!("{CDN}/{file}")).into_response(),
        ClientBundle::Dir(dir) => match tokio::fs::read(dir.join(&file)).await {
            Ok(bytes) => ([(header::CONTENT_TYPE, content_type)], bytes).into_response(),
            Err(err) => {
                tracing::warn!(%err, dir = %dir.display(), "cannot read the socket.io client");
                StatusCode::NOT_FOUND.into_response()
            }
        },
    }
}

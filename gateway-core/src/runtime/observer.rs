//! [`SocketObserver`]: what the runtime tells a watcher of the whole app (the Admin UI's
//! instrumentation, feature `admin-ui`) about every socket of every gateway namespace: its
//! connection, each event it sends, its disconnection. Unset (the default), the runtime
//! pays one branch on a field it already reads, per connection and per event.
//!
//! [`describe`] is the one description of a socket the watcher gets, in the shape the
//! Socket.IO Admin UI lists sockets in (`SerializedSocket` of `@socket.io/admin-ui`).

use std::sync::Arc;

use axum::extract::ConnectInfo;
use serde_json::{Map, Value, json};
use socketioxide::TransportType;
use socketioxide::adapter::Adapter;
use socketioxide::socket::{Sid, Socket};

use crate::extract::Args;

/// Watches every socket of the app's gateway namespaces.
pub(crate) trait SocketObserver: Send + Sync + 'static {
    /// Whether the observer wants each socket described and each event's arguments
    /// (decoding them costs); otherwise it is told that they happened, with `None`.
    fn wants_details(&self) -> bool;
    /// A socket joined a namespace; `socket` is [`describe`]'s, if details are wanted.
    fn connected(&self, socket: Option<Value>);
    /// A socket sent an event: its name first, then its arguments, if details are wanted.
    fn event_received(&self, ns: &str, sid: Sid, args: Option<Args>);
    /// A socket left its namespace.
    fn disconnected(&self, ns: &str, sid: Sid, reason: &str);
}

/// The shared handle the app context keeps.
pub(crate) type ObserverRef = Arc<dyn SocketObserver>;

/// A socket as the Admin UI lists it: id, connection id (12 characters of it, as the Node
/// package does: it is sensitive), transport, namespace, data, handshake, rooms.
pub(crate) fn describe<A: Adapter>(socket: &Socket<A>) -> Value {
    let request = socket.req_parts();
    let headers: Map<String, Value> = request
        .headers
        .iter()
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), Value::from(value.to_str().ok()?)))
        })
        .collect();
    let query: Map<String, Value> = request
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), Value::from(v)))
        .collect();
    // A proxy's header first, as the Node package reads it, then the peer (when the app
    // serves itself: `GatewayApp::serve`).
    let address = ["cf-connecting-ip", "x-forwarded-for"]
        .iter()
        .find_map(|name| headers.get(*name).and_then(Value::as_str))
        .map(str::to_owned)
        .or_else(|| {
            let peer = request
                .extensions
                .get::<ConnectInfo<std::net::SocketAddr>>()?;
            Some(peer.0.ip().to_string())
        })
        .unwrap_or_default();
    let rooms: Vec<String> = socket.rooms().into_iter().map(|r| r.into_owned()).collect();
    json!({
        "id": socket.id.to_string(),
        "clientId": connection_id(socket),
        "transport": transport_name(socket.transport_type()),
        "nsp": socket.ns(),
        "data": {},
        "handshake": {
            "address": address,
            "headers": headers,
            "query": query,
            "issued": 0,
            "secure": request.uri.scheme_str() == Some("https"),
            "time": "",
            "url": request.uri.to_string(),
            "xdomain": headers.contains_key("origin"),
        },
        "rooms": rooms,
    })
}

/// `polling` or `websocket`, as Engine.IO names them.
pub(crate) fn transport_name(transport: TransportType) -> &'static str {
    match transport {
        TransportType::Polling => "polling",
        TransportType::Websocket => "websocket",
    }
}

/// One Engine.IO connection, as a number: all the sockets of a connection share its
/// handshake request. socketioxide does not expose the Engine.IO session id.
pub(crate) fn connection_key<A: Adapter>(socket: &Socket<A>) -> usize {
    std::ptr::from_ref(socket.req_parts()) as usize
}

/// The connection's id as the dashboard groups sockets by (12 characters, as the Node
/// package shows of the Engine.IO id).
fn connection_id<A: Adapter>(socket: &Socket<A>) -> String {
    format!("{:012x}", connection_key(socket) & 0xffff_ffff_ffff)
}

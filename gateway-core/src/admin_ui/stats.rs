//! `server_stats`, every 2 seconds to the admin namespace, as `@socket.io/admin-ui`
//! sends it: this node's id, host, pid, uptime, connection counts, the aggregated events
//! since the last one, and each namespace with its socket count.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use socketioxide::TransportType;

use super::watch::Aggregated;
use crate::SocketIo;
use crate::runtime::observer::connection_key;

/// How often the stats go out (the Node package's period).
pub(super) const PERIOD: Duration = Duration::from_secs(2);

/// The bytes the app's listener received and sent (app/traffic.rs counts them), for the
/// `bytesIn` / `bytesOut` aggregated events.
#[derive(Debug, Default)]
pub(crate) struct Traffic {
    pub(crate) bytes_in: AtomicU64,
    pub(crate) bytes_out: AtomicU64,
}

/// What does not change between two stats.
pub(super) struct Identity {
    pub(super) server_id: String,
    pub(super) hostname: String,
    pub(super) started: Instant,
    /// The served namespaces that are not patterns, the admin one included: listed even
    /// with no socket.
    pub(super) static_paths: Vec<String>,
}

/// One `server_stats` payload.
pub(super) fn server_stats(
    io: &SocketIo,
    admin: &str,
    identity: &Identity,
    aggregated: &Aggregated,
) -> Value {
    let mut namespaces: Vec<(String, usize)> = Vec::new();
    // Engine.IO connections, each counted once whatever its namespaces.
    let mut connections: HashSet<usize> = HashSet::new();
    let mut polling: HashSet<usize> = HashSet::new();
    for ns in io.nsps() {
        let sockets = ns.local().sockets();
        let Some(first) = sockets.first() else {
            continue;
        };
        namespaces.push((first.ns().to_owned(), sockets.len()));
        for socket in &sockets {
            let connection = connection_key(socket);
            connections.insert(connection);
            if socket.transport_type() == TransportType::Polling {
                polling.insert(connection);
            }
        }
    }
    for path in &identity.static_paths {
        if !namespaces.iter().any(|(name, _)| name == path) {
            namespaces.push((path.clone(), 0));
        }
    }
    // By name, the admin namespace last, as the Node package lists them.
    namespaces.sort_by(|a, b| (a.0 == admin, &a.0).cmp(&(b.0 == admin, &b.0)));
    json!({
        "serverId": identity.server_id,
        "hostname": identity.hostname,
        "pid": std::process::id(),
        "uptime": identity.started.elapsed().as_secs_f64(),
        "clientsCount": connections.len(),
        "pollingClientsCount": polling.len(),
        "aggregatedEvents": aggregated.take(),
        "namespaces": namespaces
            .into_iter()
            .map(|(name, count)| json!({ "name": name, "socketsCount": count }))
            .collect::<Vec<_>>(),
    })
}

/// Emits `server_stats` to `admin` every [`PERIOD`] until the app ends.
pub(super) async fn every_period(
    io: SocketIo,
    admin: String,
    identity: Arc<Identity>,
    aggregated: Arc<Aggregated>,
    traffic: Arc<Traffic>,
) {
    let mut ticks = tokio::time::interval(PERIOD);
    let (mut last_in, mut last_out) = (0, 0);
    loop {
        ticks.tick().await;
        let (bytes_in, bytes_out) = (
            traffic.bytes_in.load(Ordering::Relaxed),
            traffic.bytes_out.load(Ordering::Relaxed),
        );
        for (kind, now, last) in [
            ("bytesIn", bytes_in, &mut last_in),
            ("bytesOut", bytes_out, &mut last_out),
        ] {
            if now > *last {
                aggregated.add(kind, None, now - *last);
            }
            *last = now;
        }
        let stats = server_stats(&io, &admin, &identity, &aggregated);
        let Some(to_admins) = io.of(&admin) else {
            continue;
        };
        if let Err(err) = to_admins.emit("server_stats", &stats).await {
            tracing::debug!(%err, "admin UI stats not sent");
        }
    }
}

//! Prometheus metrics (feature `metrics`), recorded through the `metrics` crate and
//! rendered by `metrics-exporter-prometheus`.
//!
//! [`GatewayApp::metrics`](crate::GatewayApp::metrics) installs the exporter as the
//! process's `metrics` recorder (so your own `metrics::counter!` calls show up too), records
//! every event through an app-wide interceptor, and serves the text format on a route:
//!
//! | metric | type | labels |
//! |---|---|---|
//! | `gateway_events_total` | counter | `namespace`, `event`, `outcome` (`ok` or the error code) |
//! | `gateway_acks_total` | counter | `namespace`, `code` (`ok` or the error code) |
//! | `gateway_event_duration_seconds` | histogram | `namespace`, `event` |
//! | `gateway_connected_sockets` | gauge | `namespace` (this node) |
//! | `gateway_rooms` | gauge | `namespace` (rooms with sockets on this node) |
//! | `gateway_room_sockets` | gauge | `namespace`, `room` (the 20 largest rooms of this node) |
//! | `gateway_events_in_flight` | gauge | |
//! | `gateway_redis_up` | gauge | (with the `redis` feature and a Redis URL) |
//!
//! A dynamic namespace (`/tenant/{tenant}`) is labelled by its pattern, never by the
//! concrete path (`/tenant/acme`): a label per tenant would grow without bound.
//!
//! Events for which no handler exists are not counted per event name: the name is the
//! client's, and counting it would let any client create series without bound.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::SocketIo;
use crate::intercept::{EventInfo, Interceptor, Outcome};
use crate::runtime::AppContext;
use crate::runtime::pattern::ServedNamespace;

/// The largest rooms reported one by one, per namespace.
const TOP_ROOMS: usize = 20;

/// Latency buckets, in seconds: 100 µs to 10 s.
const LATENCY_BUCKETS: [f64; 14] = [
    0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 2.5, 10.0,
];

/// The process-wide exporter, installed on first use.
fn handle() -> Result<PrometheusHandle, String> {
    static HANDLE: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("gateway_event_duration_seconds".to_owned()),
                    &LATENCY_BUCKETS,
                )
                .map_err(|err| err.to_string())?
                .install_recorder()
                .map_err(|err| {
                    format!(
                        "cannot install the Prometheus recorder ({err}); another `metrics` recorder is already installed in this process"
                    )
                })
        })
        .clone()
}

/// Records each event's outcome and latency.
pub(crate) struct EventMetrics;

impl Interceptor for EventMetrics {
    fn after(&self, event: &EventInfo<'_>, outcome: &Outcome<'_>) {
        let code = match outcome.result {
            Ok(()) => "ok",
            Err(err) => err.code(),
        };
        let namespace = event.namespace.to_owned();
        metrics::counter!(
            "gateway_events_total",
            "namespace" => namespace.clone(),
            "event" => event.event.to_owned(),
            "outcome" => code.to_owned(),
        )
        .increment(1);
        metrics::histogram!(
            "gateway_event_duration_seconds",
            "namespace" => namespace.clone(),
            "event" => event.event.to_owned(),
        )
        .record(outcome.elapsed.as_secs_f64());
        if event.wants_ack {
            metrics::counter!(
                "gateway_acks_total",
                "namespace" => namespace,
                "code" => code.to_owned(),
            )
            .increment(1);
        }
    }
}

/// What the `/metrics` route needs.
#[derive(Clone)]
pub(crate) struct MetricsRoute {
    pub(crate) path: String,
    handle: PrometheusHandle,
    io: SocketIo,
    /// The served paths, with the pattern of the dynamic ones.
    namespaces: Arc<[ServedNamespace]>,
    app: Arc<AppContext>,
}

impl MetricsRoute {
    /// Installs the exporter (once per process).
    pub(crate) fn install() -> Result<PrometheusHandle, String> {
        handle()
    }

    pub(crate) fn new(
        path: String,
        handle: PrometheusHandle,
        io: SocketIo,
        namespaces: Arc<[ServedNamespace]>,
        app: Arc<AppContext>,
    ) -> Self {
        Self {
            path,
            handle,
            io,
            namespaces,
            app,
        }
    }

    /// Adds the route to `router`.
    pub(crate) fn mount(self, router: Router) -> Router {
        let path = self.path.clone();
        router.route(
            &path,
            get(move || {
                let route = self.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
                        route.render().await,
                    )
                        .into_response()
                }
            }),
        )
    }

    /// The concrete namespaces of each served path: the path itself, or for a dynamic
    /// namespace every concrete one of this node with sockets (`/tenant/acme`, ...), so that
    /// the gauges are labelled by the pattern and the label set stays bounded.
    fn concrete_namespaces(&self) -> Vec<(&'static str, Vec<String>)> {
        let mut groups: Vec<(&'static str, Vec<String>)> = self
            .namespaces
            .iter()
            .map(|(path, pattern)| {
                let own = match pattern {
                    None => vec![(*path).to_owned()],
                    Some(_) => Vec::new(),
                };
                (*path, own)
            })
            .collect();
        if self.namespaces.iter().any(|(_, pattern)| pattern.is_some()) {
            for ns in self.io.nsps() {
                let Some(socket) = ns.local().sockets().into_iter().next() else {
                    continue;
                };
                let path = socket.ns();
                let served = |(static_path, pattern): &ServedNamespace| {
                    pattern.is_none() && *static_path == path
                };
                if self.namespaces.iter().any(served) {
                    continue; // a static namespace wins over the patterns
                }
                let group = self
                    .namespaces
                    .iter()
                    .position(|(_, pattern)| pattern.as_ref().is_some_and(|p| p.matches(path)));
                if let Some(group) = group {
                    groups[group].1.push(path.to_owned());
                }
            }
        }
        groups
    }

    /// The recorder's metrics, then the gauges read live from this node's namespaces.
    async fn render(&self) -> String {
        let mut text = self.handle.render();
        let mut sockets = String::new();
        let mut rooms = String::new();
        let mut sizes = String::new();
        for (label, paths) in self.concrete_namespaces() {
            let ns_label = escape(label);
            let mut connected = 0;
            let mut room_count = 0;
            // Room sizes by name, summed over the concrete namespaces of a pattern.
            let mut by_room: std::collections::BTreeMap<String, usize> = Default::default();
            for path in &paths {
                // Operators are consumed by use, so each query takes a fresh one.
                let local = || self.io.of(path).map(|ns| ns.local());
                let Some(ns) = local() else {
                    continue;
                };
                connected += ns.sockets().len();
                let names = match local().map(|ns| ns.rooms()) {
                    Some(names) => names.await.unwrap_or_default(),
                    None => Vec::new(),
                };
                room_count += names.len();
                for room in names {
                    let size = local().map_or(0, |ns| ns.to(room.clone()).sockets().len());
                    *by_room.entry(room.into_owned()).or_default() += size;
                }
            }
            if paths.is_empty() && !label.contains('{') {
                continue;
            }
            let _ = writeln!(
                sockets,
                "gateway_connected_sockets{{namespace=\"{ns_label}\"}} {connected}"
            );
            let _ = writeln!(
                rooms,
                "gateway_rooms{{namespace=\"{ns_label}\"}} {room_count}"
            );
            let mut counted: Vec<(usize, String)> = by_room
                .into_iter()
                .map(|(room, size)| (size, room))
                .collect();
            counted.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            for (size, room) in counted.into_iter().take(TOP_ROOMS) {
                let _ = writeln!(
                    sizes,
                    "gateway_room_sockets{{namespace=\"{ns_label}\",room=\"{}\"}} {size}",
                    escape(&room)
                );
            }
        }
        let in_flight = self.app.drain.in_flight();
        let _ = write!(
            text,
            "# HELP gateway_connected_sockets Sockets connected to this node, per namespace.\n\
             # TYPE gateway_connected_sockets gauge\n{sockets}\
             # HELP gateway_rooms Rooms with at least one socket on this node, per namespace.\n\
             # TYPE gateway_rooms gauge\n{rooms}\
             # HELP gateway_room_sockets Sockets of this node in each of its {TOP_ROOMS} largest rooms per namespace.\n\
             # TYPE gateway_room_sockets gauge\n{sizes}\
             # HELP gateway_events_in_flight Events being handled.\n\
             # TYPE gateway_events_in_flight gauge\ngateway_events_in_flight {in_flight}\n"
        );
        text
    }
}

/// A Prometheus label value: backslash, double quote and newline escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn label_values_are_escaped() {
        assert_eq!(super::escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}

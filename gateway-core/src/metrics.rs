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
    namespaces: Arc<[&'static str]>,
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
        namespaces: Arc<[&'static str]>,
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

    /// The recorder's metrics, then the gauges read live from this node's namespaces.
    async fn render(&self) -> String {
        let mut text = self.handle.render();
        let mut sockets = String::new();
        let mut rooms = String::new();
        let mut sizes = String::new();
        for path in self.namespaces.iter() {
            // Operators are consumed by use, so each query takes a fresh one.
            let local = || self.io.of(*path).map(|ns| ns.local());
            let Some(ns) = local() else {
                continue;
            };
            let ns_label = escape(path);
            let connected = ns.sockets().len();
            let _ = writeln!(
                sockets,
                "gateway_connected_sockets{{namespace=\"{ns_label}\"}} {connected}"
            );
            let names = local().map(|ns| ns.rooms());
            let names = match names {
                Some(names) => names.await.unwrap_or_default(),
                None => Vec::new(),
            };
            let _ = writeln!(
                rooms,
                "gateway_rooms{{namespace=\"{ns_label}\"}} {}",
                names.len()
            );
            let mut counted: Vec<(usize, String)> = names
                .into_iter()
                .map(|room| {
                    let size = local().map_or(0, |ns| ns.to(room.clone()).sockets().len());
                    (size, room.into_owned())
                })
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

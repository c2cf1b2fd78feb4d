//! What every gateway socket does, for the dashboard: the runtime's [`SocketObserver`]
//! calls become notices on a channel, and one task emits them to the admin namespace
//! (`socket_connected`, `event_received`, `socket_disconnected` in development mode),
//! so the event path only pays a channel send. Both modes count connections,
//! disconnections and incoming packets per second for `server_stats`'s
//! `aggregatedEvents`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use socketioxide::socket::Sid;
use tokio::sync::mpsc;

use crate::SocketIo;
use crate::extract::Args;
use crate::runtime::observer::SocketObserver;

/// One thing the dashboard is told.
pub(super) enum Notice {
    Connected(Value),
    Event {
        ns: String,
        sid: Sid,
        args: Args,
    },
    Disconnected {
        ns: String,
        sid: Sid,
        reason: String,
    },
}

/// Now, as JavaScript's `new Date()` serialises (`2026-12-04T10:00:00.000Z`).
pub(super) fn timestamp() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// Counts by (second, type, sub-type).
type Counts = BTreeMap<(u64, &'static str, Option<String>), u64>;

/// The counts since the last `server_stats`.
#[derive(Default)]
pub(super) struct Aggregated(Mutex<Counts>);

impl Aggregated {
    fn push(&self, kind: &'static str, sub_type: Option<String>) {
        let second = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *counts.entry((second, kind, sub_type)).or_default() += 1;
    }

    /// The counts as the dashboard reads them (`NamespaceEvent[]`), emptied.
    pub(super) fn take(&self) -> Vec<Value> {
        let counts = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        counts
            .into_iter()
            .map(|((second, kind, sub_type), count)| {
                let mut event = json!({
                    "timestamp": second * 1000,
                    "type": kind,
                    "count": count,
                });
                if let Some(sub_type) = sub_type {
                    event["subType"] = Value::String(sub_type);
                }
                event
            })
            .collect()
    }
}

/// The runtime's observer: counts, and in development mode queues notices.
pub(super) struct Watch {
    pub(super) notices: Option<mpsc::UnboundedSender<Notice>>,
    pub(super) aggregated: std::sync::Arc<Aggregated>,
}

impl Watch {
    fn notify(&self, notice: Notice) {
        if let Some(notices) = &self.notices {
            let _ = notices.send(notice);
        }
    }
}

impl SocketObserver for Watch {
    fn connected(&self, socket: Value) {
        self.aggregated.push("rawConnection", None);
        self.notify(Notice::Connected(socket));
    }

    fn event_received(&self, ns: &str, sid: Sid, args: Args) {
        self.aggregated.push("packetsIn", None);
        let ns = ns.to_owned();
        self.notify(Notice::Event { ns, sid, args });
    }

    fn disconnected(&self, ns: &str, sid: Sid, reason: &str) {
        self.aggregated
            .push("rawDisconnection", Some(reason.to_owned()));
        let (ns, reason) = (ns.to_owned(), reason.to_owned());
        self.notify(Notice::Disconnected { ns, sid, reason });
    }
}

/// Emits the notices to the admin namespace `admin`, in order, until the app ends.
pub(super) async fn forward(
    io: SocketIo,
    admin: String,
    mut notices: mpsc::UnboundedReceiver<Notice>,
) {
    while let Some(notice) = notices.recv().await {
        let Some(to_admins) = io.of(&admin) else {
            continue;
        };
        let sent = match notice {
            Notice::Connected(socket) => {
                to_admins
                    .emit("socket_connected", &(socket, timestamp()))
                    .await
            }
            Notice::Event { ns, sid, args } => {
                to_admins
                    .emit("event_received", &(ns, sid.to_string(), args, timestamp()))
                    .await
            }
            Notice::Disconnected { ns, sid, reason } => {
                to_admins
                    .emit(
                        "socket_disconnected",
                        &(ns, sid.to_string(), reason, timestamp()),
                    )
                    .await
            }
        };
        if let Err(err) = sent {
            tracing::debug!(%err, "admin UI notice not sent");
        }
    }
}

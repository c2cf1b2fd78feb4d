//! What every gateway socket does, for the dashboard: the runtime's [`SocketObserver`]
//! calls and the [`SentWatch`] calls (what the app emits, event.rs and
//! watched_adapter.rs) become notices on a channel, and one task emits them to the admin
//! namespace (`socket_connected`, `event_received`, `event_sent`, `socket_disconnected`
//! in development mode), so the event path only pays a channel send. Both modes count
//! connections, disconnections and packets in and out per second for `server_stats`'s
//! `aggregatedEvents`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use socketioxide::socket::Sid;
use tokio::sync::mpsc;

use crate::SocketIo;
use crate::event::SentWatch;
use crate::extract::Args;
use crate::runtime::observer::SocketObserver;

/// Most notices waiting for the admin namespace; beyond, new ones are dropped.
pub(super) const BACKLOG: usize = 10_000;

/// One thing the dashboard is told.
pub(super) enum Notice {
    Connected(Value),
    Event {
        ns: String,
        sid: Sid,
        args: Args,
    },
    /// One event sent to each of `sids`.
    Sent {
        ns: String,
        sids: Vec<Sid>,
        args: Value,
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
        self.add(kind, sub_type, 1);
    }

    /// Adds `n` to this second's count of `kind`.
    pub(super) fn add(&self, kind: &'static str, sub_type: Option<String>, n: u64) {
        let second = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *counts.entry((second, kind, sub_type)).or_default() += n;
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
    pub(super) notices: Option<mpsc::Sender<Notice>>,
    pub(super) aggregated: std::sync::Arc<Aggregated>,
    /// The admin namespace: what it sends is counted, never reported.
    pub(super) admin: String,
}

impl Watch {
    fn notify(&self, notice: Notice) {
        if let Some(notices) = &self.notices {
            // A dashboard that cannot keep up loses notices, never the app its memory.
            if notices.try_send(notice).is_err() {
                tracing::debug!("admin UI notice dropped: the dashboard is behind");
            }
        }
    }
}

impl SocketObserver for Watch {
    fn wants_details(&self) -> bool {
        self.notices.is_some()
    }

    fn connected(&self, socket: Option<Value>) {
        self.aggregated.push("rawConnection", None);
        if let Some(socket) = socket {
            self.notify(Notice::Connected(socket));
        }
    }

    fn event_received(&self, ns: &str, sid: Sid, args: Option<Args>) {
        self.aggregated.push("packetsIn", None);
        if let Some(args) = args {
            let ns = ns.to_owned();
            self.notify(Notice::Event { ns, sid, args });
        }
    }

    fn disconnected(&self, ns: &str, sid: Sid, reason: &str) {
        self.aggregated
            .push("rawDisconnection", Some(reason.to_owned()));
        let (ns, reason) = (ns.to_owned(), reason.to_owned());
        self.notify(Notice::Disconnected { ns, sid, reason });
    }
}

impl SentWatch for Watch {
    fn wants_details(&self) -> bool {
        self.notices.is_some()
    }

    fn event_sent(&self, ns: &str, sids: Vec<Sid>, args: Option<Value>) {
        self.aggregated.add("packetsOut", None, sids.len() as u64);
        if let Some(args) = args
            && ns != self.admin
        {
            let ns = ns.to_owned();
            self.notify(Notice::Sent { ns, sids, args });
        }
    }

    fn packets_sent(&self, n: u64) {
        self.aggregated.add("packetsOut", None, n);
    }
}

/// Emits the notices to the admin namespace `admin`, in order, until the app ends.
pub(super) async fn forward(io: SocketIo, admin: String, mut notices: mpsc::Receiver<Notice>) {
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
            Notice::Sent { ns, sids, args } => {
                let mut sent = Ok(());
                let at = timestamp();
                for sid in sids {
                    let Some(to_admins) = io.of(&admin) else {
                        break;
                    };
                    let notice = (&ns, sid.to_string(), &args, &at);
                    sent = sent.and(to_admins.emit("event_sent", &notice).await);
                }
                sent
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

/// What a socket looked like at the last look: its transport and rooms.
type Seen =
    std::collections::HashMap<(String, Sid), (&'static str, std::collections::BTreeSet<String>)>;

/// How often development mode looks for room and transport changes.
pub(super) const LOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// `room_joined`, `room_left` and `socket_updated` (a transport upgrade), found by looking
/// at this node's sockets every [`LOOK_EVERY`]: socketioxide tells nobody when a socket
/// joins a room or upgrades, so the dashboard sees those changes within a second, not at
/// once. The admin namespace's own sockets are left out, as their events are.
pub(super) async fn look_for_changes(io: SocketIo, admin: String) {
    use crate::runtime::observer::transport_name;

    let mut seen = Seen::new();
    let mut ticks = tokio::time::interval(LOOK_EVERY);
    loop {
        ticks.tick().await;
        let mut now = Seen::new();
        for ns in io.nsps() {
            for socket in ns.local().sockets() {
                if socket.ns() == admin {
                    continue;
                }
                let rooms = socket.rooms().into_iter().map(|r| r.into_owned()).collect();
                let transport = transport_name(socket.transport_type());
                now.insert((socket.ns().to_owned(), socket.id), (transport, rooms));
            }
        }
        if io.of(&admin).is_none() {
            seen = now;
            continue;
        }
        let mut notices: Vec<(&str, Vec<Value>)> = Vec::new();
        for (key, (transport, rooms)) in &now {
            let (ns, sid) = key;
            let before = seen.get(key);
            let before_rooms = before.map(|(_, rooms)| rooms);
            if let Some((old_transport, _)) = before
                && old_transport != transport
            {
                let update = json!({ "id": sid.to_string(), "nsp": ns, "transport": transport });
                notices.push(("socket_updated", vec![update]));
            }
            // A socket new since the last look: its rooms but its own were joined after
            // its connection (by its hooks or handlers), as the Node package reports them.
            let own = sid.to_string();
            for room in rooms {
                let new = match before_rooms {
                    Some(old) => !old.contains(room),
                    None => *room != own,
                };
                if new {
                    notices.push(("room_joined", room_change(ns, room, *sid)));
                }
            }
            for room in before_rooms.into_iter().flatten() {
                if !rooms.contains(room) {
                    notices.push(("room_left", room_change(ns, room, *sid)));
                }
            }
        }
        seen = now;
        for (event, args) in notices {
            // Operators are consumed by use: a fresh one per emit.
            let Some(to_admins) = io.of(&admin) else {
                break;
            };
            let args = Args(args.into_iter().map(crate::extract::Arg::Json).collect());
            let _ = to_admins.emit(event, &args).await;
        }
    }
}

/// The arguments of `room_joined` / `room_left`: namespace, room, socket id, time.
fn room_change(ns: &str, room: &str, sid: Sid) -> Vec<Value> {
    vec![
        Value::from(ns),
        Value::from(room),
        Value::from(sid.to_string()),
        Value::from(timestamp()),
    ]
}

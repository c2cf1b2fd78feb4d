//! The chapter "Dependencies and providers".

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use socketioxide_gateway::prelude::*;

// ANCHOR: clock
/// A dependency as a trait, so that tests can provide another one.
pub trait Clock: Send + Sync {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}
// ANCHOR_END: clock

// ANCHOR: types
/// Providers are found by type: a newtype names what a plain `AtomicU64` would not.
#[derive(Debug, Default)]
pub struct TicketCounter(AtomicU64);

/// Settings, provided by value (a provider is cloned for each gateway or handler that
/// takes it).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeskSettings {
    /// Shown to clients.
    pub desk_name: String,
    /// Tickets per day.
    pub daily_limit: u64,
}

/// A ticket.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    /// 1, 2, 3...
    pub number: u64,
    /// When it was issued.
    pub issued_at_ms: u64,
}
// ANCHOR_END: types

// ANCHOR: gateway
/// Its fields are its dependencies, each looked up by type when the app starts.
#[derive(Injectable)]
pub struct TicketsGateway {
    clock: Arc<dyn Clock>,
    counter: Arc<TicketCounter>,
    /// The app provides its own `SocketIo` handle: `@WebSocketServer()` as a field.
    io: SocketIo,
}

#[gateway(namespace = "/tickets")]
impl TicketsGateway {
    /// Takes a ticket, and tells everyone on `/tickets` how many were taken.
    #[subscribe("take-ticket")]
    async fn take(&self) -> Ticket {
        let number = self.counter.0.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(tickets) = self.io.of("/tickets") {
            tickets.emit("taken", &number).await.ok();
        }
        Ticket {
            number,
            issued_at_ms: self.clock.now_ms(),
        }
    }

    /// A dependency only one handler needs can be a parameter instead of a field.
    #[subscribe("settings")]
    async fn settings(&self, Inject(settings): Inject<DeskSettings>) -> DeskSettings {
        settings
    }
}
// ANCHOR_END: gateway

// ANCHOR: app
/// The app: one `provide` per dependency, by type; the clock is chosen by the caller.
pub fn app(clock: Arc<dyn Clock>) -> GatewayApp {
    GatewayApp::explicit()
        .link::<TicketsGateway>()
        .provide(clock)
        .provide(Arc::new(TicketCounter::default()))
        .provide(DeskSettings {
            desk_name: "Front desk".to_owned(),
            daily_limit: 500,
        })
}
// ANCHOR_END: app

// ANCHOR: per-socket
/// One connection's place in the feed: built when its socket connects, dropped when it
/// disconnects. Clones share the position (an `Arc`), so every handler of that socket sees
/// the same one, and no other socket does.
#[derive(Clone, Debug)]
pub struct FeedCursor {
    /// Who is reading, from the CONNECT's auth payload.
    pub reader: String,
    read: Arc<AtomicU64>,
}

/// The auth payload a feed reader connects with: `io(url, { auth: { name: "Ada" } })`.
#[derive(Deserialize)]
struct Reader {
    name: String,
}

impl FeedCursor {
    /// Built from the connecting socket's parts (its auth, its claims, the app's
    /// providers); an `Err` refuses the connection with its message.
    pub fn at_connect(
        parts: &mut socketioxide_gateway::Parts<'_, socketioxide_gateway::DefaultAdapter>,
    ) -> Result<Self, WsError> {
        let reader: Reader = parts.auth()?;
        Ok(Self {
            reader: reader.name,
            read: Arc::default(),
        })
    }
}

/// Reads the feed, one item at a time per connection.
#[derive(Default)]
pub struct FeedGateway;

#[gateway(namespace = "/feed")]
impl FeedGateway {
    /// The next item for this connection: each socket reads at its own pace.
    #[subscribe("next")]
    async fn next(&self, Inject(cursor): Inject<FeedCursor>) -> String {
        let n = cursor.read.fetch_add(1, Ordering::Relaxed) + 1;
        format!("item {n} for {}", cursor.reader)
    }
}

/// The feed: the cursor is registered once, and built for each socket.
pub fn feed_app() -> GatewayApp {
    GatewayApp::explicit()
        .link::<FeedGateway>()
        .provide_per_socket(FeedCursor::at_connect)
}
// ANCHOR_END: per-socket

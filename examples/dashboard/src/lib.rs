//! The smart-home dashboard (book/src/dashboard.md): a feature socket per namespace, `/lights` and
//! `/climate`. Each sends the feature's `state` on connect; `subscribe`/`unsubscribe` join
//! and leave the Socket.IO room of a room of the house; `action` changes a device, acks
//! the change and broadcasts it as an `update` delta to the room; a backend task pushes
//! the thermostats' sensor readings to their rooms; a client may send at most 10 events a
//! second per namespace. A page at `/` shows it all in a browser.
//!
//! Run with: `cargo run -p example-dashboard`, then open <http://127.0.0.1:3000>
//! (`PORT` changes the port; `SOCKET_IO_CLIENT_DIR` serves the page's Socket.IO client
//! from a directory instead of the CDN, see [`ClientBundle`]).
//!
//! | client → server (on `/lights` and `/climate`) | payload | ack |
//! |---|---|---|
//! | `subscribe` | a room, `"kitchen"` | `null`, after a `state` with the room's devices |
//! | `unsubscribe` | a room | `null` |
//! | `action` | `{deviceId, on?, brightness?}` / `{deviceId, target}` | the `update` delta |
//!
//! Server → client: `state` (a snapshot: every device on connect, the room's on
//! `subscribe`), `update` (a delta, to the device's room: from actions, and on `/climate`
//! from sensor readings).
//!
//! The contracts are committed in `contracts/`; regenerate them with
//! `cargo run -p example-dashboard -- --export-contracts examples/dashboard/contracts`.

use std::time::Duration;

use socketioxide_gateway::contract::ContractInfo;
use socketioxide_gateway::prelude::*;

pub mod climate;
pub mod home;
pub mod lights;
pub mod web;

pub use climate::{ClimateGateway, SensorInterval};
pub use home::{DashboardError, Home};
pub use lights::LightsGateway;
pub use web::ClientBundle;

/// What [`app_with`] can change.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the page's Socket.IO client comes from.
    pub client: ClientBundle,
    /// How often the thermostats' sensors are read (2 s).
    pub sensor_interval: Duration,
}

impl Default for Options {
    /// The client from `SOCKET_IO_CLIENT_DIR` or the CDN; readings every 2 s.
    fn default() -> Self {
        Self {
            client: ClientBundle::from_env(),
            sensor_interval: Duration::from_secs(2),
        }
    }
}

/// Title, version and server of the exported contracts.
pub fn contract_info() -> ContractInfo {
    ContractInfo {
        title: "Smart-home dashboard".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        host: "localhost:3000".to_owned(),
        path: "/socket.io".to_owned(),
    }
}

/// The dashboard with the default [`Options`].
pub fn app() -> GatewayApp {
    app_with(Options::default())
}

// ANCHOR: app
/// The dashboard: its two gateways named explicitly, the house and the sensor interval
/// provided by type, and the page next to Socket.IO.
pub fn app_with(options: Options) -> GatewayApp {
    GatewayApp::explicit()
        .link::<LightsGateway>()
        .link::<ClimateGateway>()
        .contract_info(contract_info())
        .provide(Arc::new(Home::default()))
        .provide(SensorInterval(options.sensor_interval))
        .routes(move |_io| web::routes(options.client))
}
// ANCHOR_END: app

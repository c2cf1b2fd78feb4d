//! `/climate`: thermostats, their targets, and the readings of their sensors.

use std::time::Duration;

use socketioxide_gateway::prelude::*;

use crate::home::{DashboardError, Home, ROOMS, Thermostat, room_exists};

/// `action`'s payload: set a thermostat's target temperature.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClimateAction {
    /// The thermostat, e.g. `kitchen-thermostat`.
    #[validate(length(min = 1, max = 64))]
    pub device_id: String,
    /// The temperature asked for, 10 to 30 °C (rounded to 0.1).
    #[validate(range(min = 10.0, max = 30.0))]
    pub target: f64,
}

/// `state`: a snapshot of thermostats, sent on connect (all) and on `subscribe` (the
/// room's).
#[derive(Debug, Serialize, JsonSchema, ServerEvent)]
#[event("state")]
pub struct ClimateState {
    /// The rooms this snapshot covers.
    pub rooms: Vec<String>,
    /// Their thermostats.
    pub thermostats: Vec<Thermostat>,
}

/// `update`: a thermostat's changes, from an action (`target`) or a sensor reading
/// (`temperature` and `humidity`), broadcast to its room. Fields that did not change are
/// left out.
#[derive(Debug, Clone, Serialize, JsonSchema, ServerEvent)]
#[event("update")]
#[serde(rename_all = "camelCase")]
pub struct ClimateUpdate {
    /// The thermostat.
    pub device_id: String,
    /// Its room.
    pub room: String,
    /// The thermostat's version after the change.
    pub version: u64,
    /// Its new target, after an action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// A new temperature reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// A new humidity reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub humidity: Option<f64>,
}

/// How often the sensors are read (a provider, so tests can speed it up).
#[derive(Debug, Clone, Copy)]
pub struct SensorInterval(pub Duration);

/// Thermostats on their own namespace, with a backend task pushing sensor readings.
#[derive(Injectable)]
pub struct ClimateGateway {
    home: Arc<Home>,
    every: SensorInterval,
}

#[gateway(namespace = "/climate", emits(ClimateState, ClimateUpdate))]
#[throttle(limit = 10, per = "1s")]
impl ClimateGateway {
    // ANCHOR: sensors
    /// Runs once at startup: starts the sensor task. An `#[on_init]` hook is awaited
    /// before the server accepts connections, so it spawns long-running work rather than
    /// running it.
    #[on_init]
    async fn start_sensors(&self, io: SocketIo) {
        tokio::spawn(read_sensors(io, self.home.clone(), self.every.0));
    }
    // ANCHOR_END: sensors

    /// Every client starts from the full state of the feature.
    #[on_connect]
    async fn send_state(&self, socket: SocketRef) {
        let devices = self.home.lock().await;
        let state = ClimateState {
            rooms: ROOMS.map(str::to_owned).to_vec(),
            thermostats: devices.thermostats(None),
        };
        socket.emit_event(&state).ok();
    }

    /// Joins the room, then sends its thermostats as `state` (under the lock, as on
    /// `/lights`).
    #[subscribe("subscribe")]
    async fn subscribe(&self, socket: SocketRef, room: String) -> Result<(), DashboardError> {
        if !room_exists(&room) {
            return Err(DashboardError::UnknownRoom);
        }
        let devices = self.home.lock().await;
        socket.join(room.clone());
        let thermostats = devices.thermostats(Some(&room));
        socket
            .emit_event(&ClimateState {
                rooms: vec![room],
                thermostats,
            })
            .ok();
        Ok(())
    }

    /// Leaves the room: its updates stop.
    #[subscribe("unsubscribe")]
    async fn unsubscribe(&self, socket: SocketRef, room: String) -> Result<(), DashboardError> {
        if !room_exists(&room) {
            return Err(DashboardError::UnknownRoom);
        }
        socket.leave(room);
        Ok(())
    }

    /// Sets a target, broadcasts the delta to the room, acks it.
    #[subscribe("action")]
    #[ordered]
    async fn action(
        &self,
        socket: SocketRef,
        Valid(action): Valid<ClimateAction>,
    ) -> Result<ClimateUpdate, DashboardError> {
        let mut devices = self.home.lock().await;
        let update = devices.set_target(&action)?;
        if update.target.is_some() {
            socket
                .within(update.room.clone())
                .emit_event(&update)
                .await
                .ok();
        }
        Ok(update)
    }
}

// ANCHOR: sensor-task
/// The backend task: reads the sensors every `every` and broadcasts each reading to its
/// room, from outside any handler, through the `SocketIo` handle. Ends when the server
/// closes (the namespace is gone).
///
/// The readings are not sent `volatile()`: socketioxide keeps only the latest volatile
/// packet of a connection until it is written, so the three rooms' readings, sent in a
/// burst to a client watching all three, would collapse into the last one.
async fn read_sensors(io: SocketIo, home: Arc<Home>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    ticks.tick().await; // the first tick is immediate: the state just sent is the reading
    loop {
        ticks.tick().await;
        let Some(climate) = io.of("/climate") else {
            return;
        };
        let mut devices = home.lock().await;
        for reading in devices.read_sensors() {
            let to_room = climate.clone().to(reading.room.clone());
            if let Err(err) = to_room.emit_event(&reading).await {
                tracing::debug!(%err, device = reading.device_id, "sensor reading not sent");
            }
        }
    }
}
// ANCHOR_END: sensor-task

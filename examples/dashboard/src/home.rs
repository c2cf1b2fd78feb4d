//! The house: its rooms and devices, in memory. Plain Rust, no Socket.IO: the gateways
//! lock it, change it, and broadcast the deltas it returns.

use std::collections::BTreeMap;

use socketioxide_gateway::prelude::*;
use tokio::sync::{Mutex, MutexGuard};

use crate::climate::{ClimateAction, ClimateUpdate};
use crate::lights::{LightAction, LightUpdate};

/// The rooms of the house. Each is also the Socket.IO room (in each feature's namespace)
/// that receives its devices' updates.
pub const ROOMS: [&str; 3] = ["living-room", "kitchen", "bedroom"];

/// A light.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Light {
    /// Unique across the house, e.g. `kitchen-ceiling`.
    pub id: String,
    /// The room it is in.
    pub room: String,
    /// Shown in the UI.
    pub name: String,
    /// Switched on?
    pub on: bool,
    /// 0 to 100 %.
    pub brightness: u8,
    /// Increases by one with every change; updates carry it too.
    pub version: u64,
}

/// A thermostat, with its temperature and humidity sensors.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Thermostat {
    /// Unique across the house, e.g. `kitchen-thermostat`.
    pub id: String,
    /// The room it is in.
    pub room: String,
    /// Shown in the UI.
    pub name: String,
    /// The temperature asked for, in °C.
    pub target: f64,
    /// The last temperature reading, in °C.
    pub temperature: f64,
    /// The last relative humidity reading, in %.
    pub humidity: f64,
    /// Increases by one with every change or reading; updates carry it too.
    pub version: u64,
}

// ANCHOR: errors
/// What an `action`, `subscribe` or `unsubscribe` can fail with, besides the framework's
/// own codes.
#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    /// The room is not one of [`ROOMS`]. The client's text is not repeated back.
    #[error("no such room; the rooms are living-room, kitchen and bedroom")]
    UnknownRoom,
    /// No device of this feature has that id.
    #[error("no such device")]
    UnknownDevice,
    /// The action asked for no change.
    #[error("the action changes nothing: give at least one field to change")]
    NothingToChange,
}

impl AppError for DashboardError {
    const CODES: &'static [&'static str] = &["unknown_room", "unknown_device", "nothing_to_change"];

    fn code(&self) -> &'static str {
        match self {
            DashboardError::UnknownRoom => "unknown_room",
            DashboardError::UnknownDevice => "unknown_device",
            DashboardError::NothingToChange => "nothing_to_change",
        }
    }
}
// ANCHOR_END: errors

/// The house, shared by both gateways and the sensor task.
///
/// Its lock is a `tokio::sync::Mutex` so the gateways can hold it while they hand a delta
/// to socketioxide: deltas of one device then leave in version order, and a client that
/// applies them in arrival order never goes back in time.
#[derive(Debug)]
pub struct Home {
    devices: Mutex<Devices>,
}

impl Default for Home {
    /// The demo house: five lights and a thermostat per room.
    fn default() -> Self {
        let light = |room: &str, slug: &str, name: &str, on: bool, brightness: u8| Light {
            id: format!("{room}-{slug}"),
            room: room.to_owned(),
            name: name.to_owned(),
            on,
            brightness,
            version: 1,
        };
        let thermostat = |room: &str, target: f64, temperature: f64, humidity: f64| Thermostat {
            id: format!("{room}-thermostat"),
            room: room.to_owned(),
            name: "Thermostat".to_owned(),
            target,
            temperature,
            humidity,
            version: 1,
        };
        let lights = [
            light("living-room", "ceiling", "Ceiling", false, 80),
            light("living-room", "lamp", "Floor lamp", true, 40),
            light("kitchen", "ceiling", "Ceiling", false, 100),
            light("kitchen", "counter", "Counter strip", false, 60),
            light("bedroom", "bedside", "Bedside lamp", false, 30),
        ];
        let thermostats = [
            thermostat("living-room", 21.0, 20.4, 45.0),
            thermostat("kitchen", 20.0, 19.6, 52.0),
            thermostat("bedroom", 18.5, 18.9, 48.0),
        ];
        Self {
            devices: Mutex::new(Devices {
                lights: lights.into_iter().map(|l| (l.id.clone(), l)).collect(),
                thermostats: thermostats.into_iter().map(|t| (t.id.clone(), t)).collect(),
                readings: 0,
            }),
        }
    }
}

impl Home {
    /// Locks the devices. Hold the guard while emitting what it returned, and no longer.
    pub async fn lock(&self) -> MutexGuard<'_, Devices> {
        self.devices.lock().await
    }
}

/// Whether `room` is one of [`ROOMS`].
pub fn room_exists(room: &str) -> bool {
    ROOMS.contains(&room)
}

/// The devices of the house, reached through [`Home::lock`].
#[derive(Debug)]
pub struct Devices {
    lights: BTreeMap<String, Light>,
    thermostats: BTreeMap<String, Thermostat>,
    readings: u64,
}

impl Devices {
    /// The lights, all or those of one room, sorted by id.
    pub fn lights(&self, room: Option<&str>) -> Vec<Light> {
        self.lights
            .values()
            .filter(|l| room.is_none_or(|room| l.room == room))
            .cloned()
            .collect()
    }

    /// The thermostats, all or those of one room, sorted by id.
    pub fn thermostats(&self, room: Option<&str>) -> Vec<Thermostat> {
        self.thermostats
            .values()
            .filter(|t| room.is_none_or(|room| t.room == room))
            .cloned()
            .collect()
    }

    /// Applies a light action; returns the delta: the fields that changed, and the new
    /// version. Setting a field to its current value is not a change.
    pub fn switch_light(&mut self, action: &LightAction) -> Result<LightUpdate, DashboardError> {
        if action.on.is_none() && action.brightness.is_none() {
            return Err(DashboardError::NothingToChange);
        }
        let light = self
            .lights
            .get_mut(&action.device_id)
            .ok_or(DashboardError::UnknownDevice)?;
        let on = action.on.filter(|on| *on != light.on);
        let brightness = action.brightness.filter(|b| *b != light.brightness);
        if let Some(on) = on {
            light.on = on;
        }
        if let Some(brightness) = brightness {
            light.brightness = brightness;
        }
        if on.is_some() || brightness.is_some() {
            light.version += 1;
        }
        Ok(LightUpdate {
            device_id: light.id.clone(),
            room: light.room.clone(),
            version: light.version,
            on,
            brightness,
        })
    }

    /// Applies a thermostat action; returns the delta.
    pub fn set_target(&mut self, action: &ClimateAction) -> Result<ClimateUpdate, DashboardError> {
        let thermostat = self
            .thermostats
            .get_mut(&action.device_id)
            .ok_or(DashboardError::UnknownDevice)?;
        let target = round1(action.target);
        let changed = target != thermostat.target;
        if changed {
            thermostat.target = target;
            thermostat.version += 1;
        }
        Ok(ClimateUpdate {
            device_id: thermostat.id.clone(),
            room: thermostat.room.clone(),
            version: thermostat.version,
            target: changed.then_some(target),
            temperature: None,
            humidity: None,
        })
    }

    /// Takes one reading of every thermostat's sensors (simulated: the temperature drifts
    /// towards the target, the humidity wobbles) and returns them as deltas.
    pub fn read_sensors(&mut self) -> Vec<ClimateUpdate> {
        self.readings += 1;
        let tick = self.readings;
        self.thermostats
            .values_mut()
            .zip(0_u64..)
            .map(|(t, i)| {
                let step = (t.target - t.temperature).clamp(-0.2, 0.2);
                // A small, deterministic wobble, so that every reading changes something.
                let phase = (tick + i) % 4;
                let wobble = match phase {
                    0 => -0.1,
                    2 => 0.1,
                    _ => 0.0,
                };
                let drift = if tick.is_multiple_of(2) { -0.5 } else { 0.5 };
                t.temperature = round1(t.temperature + step + wobble);
                t.humidity = round1((t.humidity + drift).clamp(20.0, 80.0));
                t.version += 1;
                ClimateUpdate {
                    device_id: t.id.clone(),
                    room: t.room.clone(),
                    version: t.version,
                    target: None,
                    temperature: Some(t.temperature),
                    humidity: Some(t.humidity),
                }
            })
            .collect()
    }
}

/// Rounds to one decimal, as the sensors report.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(device_id: &str, on: Option<bool>, brightness: Option<u8>) -> LightAction {
        LightAction {
            device_id: device_id.to_owned(),
            on,
            brightness,
        }
    }

    #[tokio::test]
    async fn a_delta_holds_only_what_changed() {
        let home = Home::default();
        let mut devices = home.lock().await;
        let update = devices
            .switch_light(&action("kitchen-ceiling", Some(true), Some(100)))
            .expect("known light");
        // Brightness was already 100: only `on` changed.
        assert_eq!(update.on, Some(true));
        assert_eq!(update.brightness, None);
        assert_eq!(update.version, 2);
        let unchanged = devices
            .switch_light(&action("kitchen-ceiling", Some(true), None))
            .expect("known light");
        assert_eq!((unchanged.on, unchanged.version), (None, 2));
    }

    #[tokio::test]
    async fn unknown_devices_and_empty_actions_are_refused() {
        let home = Home::default();
        let mut devices = home.lock().await;
        assert!(matches!(
            devices.switch_light(&action("garage-door", Some(true), None)),
            Err(DashboardError::UnknownDevice)
        ));
        assert!(matches!(
            devices.switch_light(&action("kitchen-ceiling", None, None)),
            Err(DashboardError::NothingToChange)
        ));
    }

    #[tokio::test]
    async fn every_reading_is_a_new_version_per_thermostat() {
        let home = Home::default();
        let mut devices = home.lock().await;
        let first = devices.read_sensors();
        let second = devices.read_sensors();
        assert_eq!(first.len(), ROOMS.len());
        for (a, b) in first.iter().zip(&second) {
            assert_eq!(a.device_id, b.device_id);
            assert_eq!(b.version, a.version + 1);
            assert_ne!(a.humidity, b.humidity);
        }
    }
}

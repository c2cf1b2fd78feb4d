//! `/lights`: the lighting feature.

use socketioxide_gateway::prelude::*;

use crate::home::{DashboardError, Home, Light, ROOMS, room_exists};

// ANCHOR: payloads
/// `action`'s payload: switch a light and/or dim it. At least one of `on` and
/// `brightness` is given.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LightAction {
    /// The light, e.g. `kitchen-ceiling`.
    #[validate(length(min = 1, max = 64))]
    pub device_id: String,
    /// Switch it on or off.
    pub on: Option<bool>,
    /// Dim it, 0 to 100 %.
    #[validate(range(max = 100))]
    pub brightness: Option<u8>,
}

/// `state`: a snapshot of lights, sent on connect (every light) and on `subscribe` (the
/// room's lights).
#[derive(Debug, Serialize, JsonSchema, ServerEvent)]
#[event("state")]
pub struct LightsState {
    /// The rooms this snapshot covers.
    pub rooms: Vec<String>,
    /// Their lights.
    pub lights: Vec<Light>,
}

/// `update`: what one action changed, broadcast to the light's room and acked to the
/// sender. Fields that did not change are left out.
#[derive(Debug, Clone, Serialize, JsonSchema, ServerEvent)]
#[event("update")]
#[serde(rename_all = "camelCase")]
pub struct LightUpdate {
    /// The light.
    pub device_id: String,
    /// Its room.
    pub room: String,
    /// The light's version after the change (unchanged if nothing changed).
    pub version: u64,
    /// Its new on/off state, if that changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<bool>,
    /// Its new brightness, if that changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brightness: Option<u8>,
}
// ANCHOR_END: payloads

// ANCHOR: gateway
/// The lights of the house, on their own namespace.
#[derive(Injectable)]
pub struct LightsGateway {
    home: Arc<Home>,
}

#[gateway(namespace = "/lights", emits(LightsState, LightUpdate))]
#[throttle(limit = 10, per = "1s")]
impl LightsGateway {
    // ANCHOR: state
    /// Every client starts from the full state of the feature.
    #[on_connect]
    async fn send_state(&self, socket: SocketRef) {
        let devices = self.home.lock().await;
        let state = LightsState {
            rooms: ROOMS.map(str::to_owned).to_vec(),
            lights: devices.lights(None),
        };
        socket.emit_event(&state).ok();
    }
    // ANCHOR_END: state

    // ANCHOR: subscribe
    /// Joins the room, then sends its lights as `state`: under the lock, so no update
    /// falls between the snapshot and the room's next delta.
    #[subscribe("subscribe")]
    async fn subscribe(&self, socket: SocketRef, room: String) -> Result<(), DashboardError> {
        if !room_exists(&room) {
            return Err(DashboardError::UnknownRoom);
        }
        let devices = self.home.lock().await;
        socket.join(room.clone());
        let lights = devices.lights(Some(&room));
        socket
            .emit_event(&LightsState {
                rooms: vec![room],
                lights,
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
    // ANCHOR_END: subscribe

    // ANCHOR: action
    /// Applies the action, broadcasts the delta to the light's room (the sender too, if it
    /// subscribed), and acks it. `#[ordered]`: one client's actions apply in the order it
    /// sent them, so "on" then "off" ends off.
    #[subscribe("action")]
    #[ordered]
    async fn action(
        &self,
        socket: SocketRef,
        Valid(action): Valid<LightAction>,
    ) -> Result<LightUpdate, DashboardError> {
        let mut devices = self.home.lock().await;
        let update = devices.switch_light(&action)?;
        if update.on.is_some() || update.brightness.is_some() {
            socket
                .within(update.room.clone())
                .emit_event(&update)
                .await
                .ok();
        }
        Ok(update)
    }
    // ANCHOR_END: action
}
// ANCHOR_END: gateway

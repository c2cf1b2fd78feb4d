// events.ts: the Socket.IO events of Smart-home dashboard 0.1.0, for socket.io-client v4.
// Generated from the server's #[gateway] declarations: do not edit it, regenerate it
// by running the server with `--export-contracts DIR` (writes DIR/events.ts).
//
//   import { io, type Socket } from "socket.io-client";
//   import type { ClimateClientToServerEvents, ClimateServerToClientEvents } from "./events";
//   const socket: Socket<ClimateServerToClientEvents, ClimateClientToServerEvents> = io(url + "/climate");
//
// Every emit that passes an ack callback (or uses `emitWithAck`) gets exactly one ack:
// `Ack<T>` (narrow it with `ok`), or `NestJsAck<T>` for `ack = "nestjs"` gateways. An
// event whose handler returns data requires the callback, so `emitWithAck` resolves to
// the typed ack; one whose handler returns nothing (`data: null`) makes it optional, so
// `socket.emit(event, ...args)` needs none (its `emitWithAck` is then untyped:
// socket.io-client cannot see an optional last parameter). `socket.timeout(ms)`
// makes `emitWithAck` untyped for every event: annotate it with `AckOf<Events, "event">`.

/**
 * The framework's error codes, which any event's failing ack can carry:
 * - `bad_payload`: the payload could not be decoded.
 * - `validation_failed`: the payload failed validation; `details` holds the failing fields.
 * - `unauthorized`: the client is not authenticated.
 * - `forbidden`: the client may not do this.
 * - `rate_limited`: too many events; `details.retry_after_ms` says when to retry.
 * - `not_found`: no such event or resource.
 * - `internal`: the handler failed unexpectedly.
 * - `unavailable`: the server is shutting down; retry after reconnecting.
 *
 * An event's own codes come on top: `WsErrorCode | "nothing_to_change"`.
 */
export type WsErrorCode =
  | "bad_payload"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "rate_limited"
  | "not_found"
  | "internal"
  | "unavailable";

/** A failure as an envelope ack carries it. */
export interface WsError<Code extends string = WsErrorCode> {
  /** Stable, snake_case: one of the event's codes. */
  code: Code;
  /** For humans; never echoes the client's input. */
  message: string;
  /** Structured details, for some codes (`validation_failed`: the failing fields). */
  details?: unknown;
}

/**
 * An ack in the default ("envelope") mode: narrow it with `ok`.
 *
 * ```ts
 * const res = await socket.emitWithAck("action", ...args);
 * if (res.ok) show(res.data);
 * else if (res.error.code === "validation_failed") highlight(res.error.details);
 * ```
 */
export type Ack<T, Code extends string = WsErrorCode> =
  | { ok: true; data: T }
  | { ok: false; error: WsError<Code> };

/**
 * The ack an event's callback receives, `AckOf<ClimateClientToServerEvents, "action">`:
 * to annotate `await socket.timeout(ms).emitWithAck(...)`, which socket.io-client types as
 * `any`.
 */
export type AckOf<Events, Event extends keyof Events> = Events[Event] extends (
  ...args: infer Args
) => void
  ? Parameters<
      Extract<Args extends [...unknown[], infer Last] ? Last : Args[number], (res: never) => void>
    >[0]
  : never;

/** A failure of a NestJS-mode (`ack = "nestjs"`) event: its ack, and the `exception` event. */
export interface NestJsError {
  status: "error";
  message: string;
}

/** An ack in NestJS-compatible mode: the bare value on success, `NestJsError` on failure. */
export type NestJsAck<T> = T | NestJsError;

/** The `exception` event in envelope mode: an event emitted without an ack failed. */
export interface WsException<Code extends string = WsErrorCode> {
  /** The event that failed. */
  event: string;
  error: WsError<Code>;
}

/**
 * Binary data a client sends as an attachment: an `ArrayBuffer`, or a view of one (Node
 * `Buffer`, `Uint8Array` and the other typed arrays, `DataView`).
 */
export type Binary = ArrayBuffer | ArrayBufferView;

/**
 * Binary data as a client receives it: an `ArrayBuffer` in browsers, a `Buffer` (a
 * `Uint8Array`) in Node (or a `Blob` if you set the browser socket's `binaryType` to "blob").
 */
export type ReceivedBinary = ArrayBuffer | Uint8Array;

/** `action`'s payload: set a thermostat's target temperature. */
export interface ClimateAction {
  /**
   * The thermostat, e.g. `kitchen-thermostat`.
   *
   * @minLength 1
   * @maxLength 64
   */
  deviceId: string;
  /**
   * The temperature asked for, 10 to 30 °C (rounded to 0.1).
   *
   * @format double
   * @minimum 10.0
   * @maximum 30.0
   */
  target: number;
}

/**
 * `state`: a snapshot of thermostats, sent on connect (all) and on `subscribe` (the
 * room's).
 */
export interface ClimateState {
  /** The rooms this snapshot covers. */
  rooms: string[];
  /** Their thermostats. */
  thermostats: Thermostat[];
}

/**
 * `update`: a thermostat's changes, from an action (`target`) or a sensor reading
 * (`temperature` and `humidity`), broadcast to its room. Fields that did not change are
 * left out.
 */
export interface ClimateUpdate {
  /** The thermostat. */
  deviceId: string;
  /**
   * A new humidity reading.
   *
   * @format double
   */
  humidity?: number | null;
  /** Its room. */
  room: string;
  /**
   * Its new target, after an action.
   *
   * @format double
   */
  target?: number | null;
  /**
   * A new temperature reading.
   *
   * @format double
   */
  temperature?: number | null;
  /**
   * The thermostat's version after the change.
   *
   * @format uint64
   * @minimum 0
   */
  version: number;
}

/** A light. */
export interface Light {
  /**
   * 0 to 100 %.
   *
   * @format uint8
   * @minimum 0
   * @maximum 255
   */
  brightness: number;
  /** Unique across the house, e.g. `kitchen-ceiling`. */
  id: string;
  /** Shown in the UI. */
  name: string;
  /** Switched on? */
  on: boolean;
  /** The room it is in. */
  room: string;
  /**
   * Increases by one with every change; updates carry it too.
   *
   * @format uint64
   * @minimum 0
   */
  version: number;
}

/**
 * `action`'s payload: switch a light and/or dim it. At least one of `on` and
 * `brightness` is given.
 */
export interface LightAction {
  /**
   * Dim it, 0 to 100 %.
   *
   * @format uint8
   * @minimum 0
   * @maximum 100
   */
  brightness?: number | null;
  /**
   * The light, e.g. `kitchen-ceiling`.
   *
   * @minLength 1
   * @maxLength 64
   */
  deviceId: string;
  /** Switch it on or off. */
  on?: boolean | null;
}

/**
 * `update`: what one action changed, broadcast to the light's room and acked to the
 * sender. Fields that did not change are left out.
 */
export interface LightUpdate {
  /**
   * Its new brightness, if that changed.
   *
   * @format uint8
   * @minimum 0
   * @maximum 255
   */
  brightness?: number | null;
  /** The light. */
  deviceId: string;
  /** Its new on/off state, if that changed. */
  on?: boolean | null;
  /** Its room. */
  room: string;
  /**
   * The light's version after the change (unchanged if nothing changed).
   *
   * @format uint64
   * @minimum 0
   */
  version: number;
}

/**
 * `state`: a snapshot of lights, sent on connect (every light) and on `subscribe` (the
 * room's lights).
 */
export interface LightsState {
  /** Their lights. */
  lights: Light[];
  /** The rooms this snapshot covers. */
  rooms: string[];
}

/** A thermostat, with its temperature and humidity sensors. */
export interface Thermostat {
  /**
   * The last relative humidity reading, in %.
   *
   * @format double
   */
  humidity: number;
  /** Unique across the house, e.g. `kitchen-thermostat`. */
  id: string;
  /** Shown in the UI. */
  name: string;
  /** The room it is in. */
  room: string;
  /**
   * The temperature asked for, in °C.
   *
   * @format double
   */
  target: number;
  /**
   * The last temperature reading, in °C.
   *
   * @format double
   */
  temperature: number;
  /**
   * Increases by one with every change or reading; updates carry it too.
   *
   * @format uint64
   * @minimum 0
   */
  version: number;
}

/** Events a client emits on `/climate`. */
export interface ClimateClientToServerEvents {
  /** Sets a target, broadcasts the delta to the room, acks it. */
  "action": (
    action: ClimateAction,
    ack: (res: Ack<ClimateUpdate, WsErrorCode | "nothing_to_change" | "unknown_device" | "unknown_room">) => void
  ) => void;
  /**
   * Joins the room, then sends its thermostats as `state` (under the lock, as on
   * `/lights`).
   */
  "subscribe": (
    room: string,
    ack?: (res: Ack<null, WsErrorCode | "nothing_to_change" | "unknown_device" | "unknown_room">) => void
  ) => void;
  /** Leaves the room: its updates stop. */
  "unsubscribe": (
    room: string,
    ack?: (res: Ack<null, WsErrorCode | "nothing_to_change" | "unknown_device" | "unknown_room">) => void
  ) => void;
}

/** Events the server emits on `/climate`. */
export interface ClimateServerToClientEvents {
  /**
   * An event emitted without an ack failed (sent only when the app enables
   * `report_exceptions`).
   */
  "exception": (
    payload: WsException<WsErrorCode | "nothing_to_change" | "unknown_device" | "unknown_room">
  ) => void;
  /**
   * `state`: a snapshot of thermostats, sent on connect (all) and on `subscribe` (the
   * room's).
   */
  "state": (payload: ClimateState) => void;
  /**
   * `update`: a thermostat's changes, from an action (`target`) or a sensor reading
   * (`temperature` and `humidity`), broadcast to its room. Fields that did not change are
   * left out.
   */
  "update": (payload: ClimateUpdate) => void;
}

/** Events a client emits on `/lights`. */
export interface LightsClientToServerEvents {
  /**
   * Applies the action, broadcasts the delta to the light's room (the sender too, if it
   * subscribed), and acks it. `#[ordered]`: one client's actions apply in the order it
   * sent them, so "on" then "off" ends off.
   */
  "action": (
    action: LightAction,
    ack: (res: Ack<LightUpdate, WsErrorCode | "nothing_to_change" | "unknown_device" | "unknown_room">) => void
  ) => void;
  /**
   * Joins the room, then sends its lights as `state`: under the lock, so no update
   * falls between the snapshot and the room's next delta.
   */
  "subscribe": (
    room: string,
    ack?: (res: Ack<null, WsErrorCode | "nothing_to_change" | "unknown_device" | "unknown_room">) => void
  ) => void;
  /** Leaves the room: its updates stop. */
  "unsubscribe": (
    room: string,
    ack?: (res: Ack<null, WsErrorCode | "nothing_to_change" | "unknown_device" | "unknown_room">) => void
  ) => void;
}

/** Events the server emits on `/lights`. */
export interface LightsServerToClientEvents {
  /**
   * An event emitted without an ack failed (sent only when the app enables
   * `report_exceptions`).
   */
  "exception": (
    payload: WsException<WsErrorCode | "nothing_to_change" | "unknown_device" | "unknown_room">
  ) => void;
  /**
   * `state`: a snapshot of lights, sent on connect (every light) and on `subscribe` (the
   * room's lights).
   */
  "state": (payload: LightsState) => void;
  /**
   * `update`: what one action changed, broadcast to the light's room and acked to the
   * sender. Fields that did not change are left out.
   */
  "update": (payload: LightUpdate) => void;
}

/**
 * Every namespace's event maps, by path:
 * `Socket<Namespaces["/x"]["serverToClient"], Namespaces["/x"]["clientToServer"]>`;
 * `path` is the paths it serves (a template literal type for a dynamic namespace).
 */
export interface Namespaces {
  "/climate": {
    clientToServer: ClimateClientToServerEvents;
    serverToClient: ClimateServerToClientEvents;
    path: "/climate";
  };
  "/lights": {
    clientToServer: LightsClientToServerEvents;
    serverToClient: LightsServerToClientEvents;
    path: "/lights";
  };
}

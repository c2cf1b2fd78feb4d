// events.ts: the Socket.IO events of Project chat 0.1.0, for socket.io-client v4.
// Generated from the server's #[gateway] declarations: do not edit it, regenerate it
// by running the server with `--export-contracts DIR` (writes DIR/events.ts).
//
//   import { io, type Socket } from "socket.io-client";
//   import type { ChatClientToServerEvents, ChatServerToClientEvents } from "./events";
//   const socket: Socket<ChatServerToClientEvents, ChatClientToServerEvents> = io(url + "/chat");
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
 * An event's own codes come on top: `WsErrorCode | "not_in_room"`.
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
 * const res = await socket.emitWithAck("get-messages", ...args);
 * if (res.ok) show(res.data);
 * else if (res.error.code === "validation_failed") highlight(res.error.details);
 * ```
 */
export type Ack<T, Code extends string = WsErrorCode> =
  | { ok: true; data: T }
  | { ok: false; error: WsError<Code> };

/**
 * The ack an event's callback receives, `AckOf<ChatClientToServerEvents, "get-messages">`:
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

/**
 * A user or project id sent as a bare string (`socket.emit("join-chat-room", "p1")`):
 * 1 to 64 letters, digits, `-`, `_` or `.`.
 *
 * @minLength 1
 * @maxLength 64
 */
export type Id = string;

/** A saved message: the ack of `send-message` and the payload of `new-message`. */
export interface Message {
  /** The text. */
  content: string;
  /**
   * Assigned by the store, increasing from 1.
   *
   * @format uint64
   * @minimum 0
   */
  id: number;
  /** The project. */
  projectId: string;
  /** The sender. */
  senderId: string;
  /**
   * Milliseconds since the Unix epoch.
   *
   * @format uint64
   * @minimum 0
   */
  sentAt: number;
}

/** A notification for one user, posted to `POST /notify/{user}` (any JSON). */
export type Notification = unknown;

/** The user ids online on `/chat`, sorted (sent to everyone when it changes). */
export type OnlineUsers = string[];

/** `{"room": "..."}`, the ack of the join/leave events. */
export interface RoomAck {
  /** The room joined or left. */
  room: string;
}

/** `send-message`'s payload, validated before the handler runs. */
export interface SendMessage {
  /**
   * The text, 1 to 2000 characters.
   *
   * @minLength 1
   * @maxLength 2000
   */
  content: string;
  /**
   * The project whose chat room receives the message.
   *
   * @minLength 1
   * @maxLength 64
   */
  projectId: string;
  /**
   * Who sends it.
   *
   * @minLength 1
   * @maxLength 64
   */
  senderId: string;
}

/** `typing`'s payload. */
export interface Typing {
  /**
   * The project whose chat room receives the message.
   *
   * @minLength 1
   * @maxLength 64
   */
  projectId: string;
  /**
   * Who is typing.
   *
   * @minLength 1
   * @maxLength 64
   */
  userId: string;
  /**
   * Their display name, if any.
   *
   * @maxLength 128
   */
  userName?: string | null;
}

/** Someone in the room stopped typing (sent to the others in the room). */
export interface UserStoppedTyping {
  /** Who stopped. */
  userId: string;
}

/** Someone in the room started typing (sent to the others in the room). */
export interface UserTyping {
  /** Who is typing. */
  userId: string;
  /** Their display name, if they gave one. */
  userName?: string | null;
}

/** Events a client emits on `/chat`. */
export interface ChatClientToServerEvents {
  /** The project's last 50 messages, oldest first. */
  "get-messages": (project: Id, ack: (res: Ack<Message[]>) => void) => void;
  /** Joins a project's chat room, `group:<id>`. */
  "join-chat-room": (project: Id, ack: (res: Ack<RoomAck>) => void) => void;
  /** Joins `user:<id>` (where notifications arrive) and announces the user as online. */
  "join-user-room": (user: Id, ack: (res: Ack<RoomAck>) => void) => void;
  /** Leaves a project's chat room. */
  "leave-chat-room": (project: Id, ack: (res: Ack<RoomAck>) => void) => void;
  /**
   * Saved, broadcast to the room (sender included), and acked with the saved message.
   * `#[ordered]`: one sender's messages are saved and broadcast in the order they were
   * sent; `#[throttle]`: at most 20 a second per socket, bursts of 20.
   */
  "send-message": (
    msg: SendMessage,
    ack: (res: Ack<Message, WsErrorCode | "not_in_room">) => void
  ) => void;
  /** To the others in the room only. */
  "stop-typing": (t: Typing, ack?: (res: Ack<null>) => void) => void;
  /** To the others in the room only; a client may not send more than 10 a second. */
  "typing": (t: Typing, ack?: (res: Ack<null>) => void) => void;
}

/** Events the server emits on `/chat`. */
export interface ChatServerToClientEvents {
  /**
   * An event emitted without an ack failed (sent only when the app enables
   * `report_exceptions`).
   */
  "exception": (payload: WsException<WsErrorCode | "not_in_room">) => void;
  /** A saved message: the ack of `send-message` and the payload of `new-message`. */
  "new-message": (payload: Message) => void;
  /** A notification for one user, posted to `POST /notify/{user}` (any JSON). */
  "notification": (payload: Notification) => void;
  /** The user ids online on `/chat`, sorted (sent to everyone when it changes). */
  "online-users": (payload: OnlineUsers) => void;
  /** Someone in the room stopped typing (sent to the others in the room). */
  "user-stopped-typing": (payload: UserStoppedTyping) => void;
  /** Someone in the room started typing (sent to the others in the room). */
  "user-typing": (payload: UserTyping) => void;
}

/**
 * Every namespace's event maps, by path:
 * `Socket<Namespaces["/x"]["serverToClient"], Namespaces["/x"]["clientToServer"]>`;
 * `path` is the paths it serves (a template literal type for a dynamic namespace).
 */
export interface Namespaces {
  "/chat": {
    clientToServer: ChatClientToServerEvents;
    serverToClient: ChatServerToClientEvents;
    path: "/chat";
  };
}

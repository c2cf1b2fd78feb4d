// events.ts: the Socket.IO events of Contract fixture 1.2.3, for socket.io-client v4.
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
 * An event's own codes come on top: `WsErrorCode | "not_member"`.
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
 * const res = await socket.emitWithAck("rate", ...args);
 * if (res.ok) show(res.data);
 * else if (res.error.code === "validation_failed") highlight(res.error.details);
 * ```
 */
export type Ack<T, Code extends string = WsErrorCode> =
  | { ok: true; data: T }
  | { ok: false; error: WsError<Code> };

/**
 * The ack an event's callback receives, `AckOf<ChatClientToServerEvents, "rate">`:
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

/** A message's author. */
export interface Author {
  /** Shown in the UI. */
  display_name?: string | null;
  /** The user id. */
  id: string;
}

/** Which client sent a message. */
export type Client =
  /** A browser. */
  | "web"
  /** A phone app, with its version. */
  | {
      mobile: {
        /** The app's version. */
        version: string;
      };
    };

/** A stored message. */
export interface Message {
  /** Who wrote it. */
  author: Author;
  /**
   * Its id.
   *
   * @format uint64
   * @minimum 0
   */
  id: number;
  /** Tags, if any. */
  tags: string[];
  /** Its text. */
  text: string;
}

/** A rating, validated in range. */
export interface Rate {
  /**
   * 1 to 5 stars.
   *
   * @format uint8
   * @minimum 1
   * @maximum 5
   */
  stars: number;
}

/** A chat message as clients send it. */
export interface SendMessage {
  /** Where it was sent from. */
  client: Client;
  /**
   * A message this one answers.
   *
   * @format uint64
   * @minimum 0
   */
  replyTo?: number | null;
  /**
   * The room to post in.
   *
   * @minLength 1
   * @maxLength 64
   */
  roomId: string;
  /**
   * The text, 1 to 500 characters.
   *
   * @minLength 1
   * @maxLength 500
   */
  text: string;
}

/** The tenant of a `/tenant/{tenant}` socket. */
export interface Tenant {
  /** The path's parameter. */
  tenant: string;
}

/** Someone is typing. */
export interface Typing {
  /** Who. */
  user: string;
}

/** Events a client emits on `/chat`. */
export interface ChatClientToServerEvents {
  /** Rates the room. */
  "rate": (rate: Rate, ack: (res: Ack<number>) => void) => void;
  /** Posts a message to a room; acks the stored message. */
  "send-message": (
    msg: SendMessage,
    ack: (res: Ack<Message, WsErrorCode | "not_member" | "room_full">) => void
  ) => void;
  /** Starts typing (no ack data). */
  "typing": (room: string, ack?: (res: Ack<null>) => void) => void;
}

/** Events the server emits on `/chat`. */
export interface ChatServerToClientEvents {
  /**
   * An event emitted without an ack failed (sent only when the app enables
   * `report_exceptions`).
   */
  "exception": (payload: WsException<WsErrorCode | "not_member" | "room_full">) => void;
  /** A stored message. */
  "new-message": (payload: Message) => void;
  /** Someone is typing. */
  "typing": (payload: Typing) => void;
}

/** Events a client emits on `/files`. */
export interface FilesClientToServerEvents {
  /**
   * Adds two numbers, sent as two arguments.
   *
   * @param a (format double)
   * @param b (format double)
   */
  "add": (a: number, b: number, ack: (res: Ack<number>) => void) => void;
  /** Gives a file's bytes back. */
  "download": (name: string, ack: (res: Ack<ReceivedBinary>) => void) => void;
  /** Echoes every argument. */
  "echo": (...args: [...args: unknown[], ack: (res: Ack<unknown[]>) => void]) => void;
  /** Stores a named file; acks its size. */
  "upload": (name: string, data: Binary, ack: (res: Ack<number>) => void) => void;
}

/** Events the server emits on `/files`. */
export interface FilesServerToClientEvents {
  /**
   * An event emitted without an ack failed (sent only when the app enables
   * `report_exceptions`).
   */
  "exception": (payload: WsException) => void;
}

/** Events a client emits on `/legacy`. */
export interface LegacyClientToServerEvents {
  /** Pings. */
  "ping": (ack: (res: NestJsAck<string>) => void) => void;
}

/** Events the server emits on `/legacy`. */
export interface LegacyServerToClientEvents {
  /** A NestJS-mode event failed (sent on every failure, as NestJS does). */
  "exception": (payload: NestJsError) => void;
}

/** Events a client emits on `/tenant/{tenant}`. */
export interface TenantTenantClientToServerEvents {
  /** The tenant of the socket's namespace. */
  "whoami": (ack: (res: Ack<Tenant>) => void) => void;
}

/** Events the server emits on `/tenant/{tenant}`. */
export interface TenantTenantServerToClientEvents {
  /**
   * An event emitted without an ack failed (sent only when the app enables
   * `report_exceptions`).
   */
  "exception": (payload: WsException) => void;
}

/** The paths of the dynamic namespace `/tenant/{tenant}`, one namespace each: `io(url + path)`. */
export type TenantTenantPath = `/tenant/${string}`;

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
  "/files": {
    clientToServer: FilesClientToServerEvents;
    serverToClient: FilesServerToClientEvents;
    path: "/files";
  };
  "/legacy": {
    clientToServer: LegacyClientToServerEvents;
    serverToClient: LegacyServerToClientEvents;
    path: "/legacy";
  };
  "/tenant/{tenant}": {
    clientToServer: TenantTenantClientToServerEvents;
    serverToClient: TenantTenantServerToClientEvents;
    path: `/tenant/${string}`;
  };
}

//! The common types `events.ts` declares before anything else: the error codes, the ack
//! envelope and its NestJS counterpart, the `exception` event's payload, binary data.

use super::jsdoc::Doc;
use super::writer::Writer;
use crate::contract::names::js_string;
use crate::error::code;

/// The common types the file declares before anything else.
pub(super) const COMMON_TYPES: [&str; 9] = [
    "WsErrorCode",
    "WsError",
    "Ack",
    "AckOf",
    "NestJsError",
    "NestJsAck",
    "WsException",
    "Binary",
    "ReceivedBinary",
];

pub(super) fn common_types(w: &mut Writer) {
    let mut doc = Doc::default();
    doc.push("The framework's error codes, which any event's failing ack can carry:");
    for (code, meaning) in code::BUILT_IN {
        doc.push(&format!("- `{code}`: {meaning}."));
    }
    doc.push("");
    doc.push("An event's own codes come on top: `WsErrorCode | \"not_member\"`.");
    w.doc(0, &doc);
    w.line(0, "export type WsErrorCode =");
    let last = code::BUILT_IN.len() - 1;
    for (i, (code, _)) in code::BUILT_IN.iter().enumerate() {
        let end = if i == last { ";" } else { "" };
        w.line(1, &format!("| {}{end}", js_string(code)));
    }
    w.blank();
    w.raw(
        r#"/** A failure as an envelope ack carries it. */
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
 * const res = await socket.emitWithAck("send-message", msg);
 * if (res.ok) show(res.data);
 * else if (res.error.code === "validation_failed") highlight(res.error.details);
 * ```
 */
export type Ack<T, Code extends string = WsErrorCode> =
  | { ok: true; data: T }
  | { ok: false; error: WsError<Code> };

/**
 * The ack an event's callback receives, `AckOf<ChatClientToServerEvents, "send-message">`:
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

"#,
    );
}

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

/// The app's own names the common types' docs use as examples, so that the file names
/// only what the app has.
pub(super) struct Example<'a> {
    /// A client event of the first namespace (`"event"` when there is none).
    pub(super) event: &'a str,
    /// That namespace's client-to-server interface (`Events` when there is none).
    pub(super) interface: String,
    /// An error code of the app's own, if it has one.
    pub(super) code: Option<&'a str>,
}

pub(super) fn common_types(w: &mut Writer, example: &Example<'_>) {
    let mut doc = Doc::default();
    doc.push("The framework's error codes, which any event's failing ack can carry:");
    for (code, meaning) in code::BUILT_IN {
        doc.push(&format!("- `{code}`: {meaning}."));
    }
    doc.push("");
    match example.code {
        Some(own) => doc.push(&format!(
            "An event's own codes come on top: `WsErrorCode | {}`.",
            js_string(own)
        )),
        None => doc.push("An event's own codes (its error type's `AppError::CODES`) come on top."),
    }
    w.doc(0, &doc);
    w.line(0, "export type WsErrorCode =");
    let last = code::BUILT_IN.len() - 1;
    for (i, (code, _)) in code::BUILT_IN.iter().enumerate() {
        let end = if i == last { ";" } else { "" };
        w.line(1, &format!("| {}{end}", js_string(code)));
    }
    w.blank();
    let common = r#"/** A failure as an envelope ack carries it. */
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
 * const res = await socket.emitWithAck(EVENT, ...args);
 * if (res.ok) show(res.data);
 * else if (res.error.code === "validation_failed") highlight(res.error.details);
 * ```
 */
export type Ack<T, Code extends string = WsErrorCode> =
  | { ok: true; data: T }
  | { ok: false; error: WsError<Code> };

/**
 * The ack an event's callback receives, `AckOf<INTERFACE, EVENT>`:
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

"#;
    w.raw(
        &common
            .replace("EVENT", &js_string(example.event))
            .replace("INTERFACE", &example.interface),
    );
}

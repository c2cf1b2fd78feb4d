//! Turning a handler's return value into the client's ack (DESIGN §2.1).

use serde::Serialize;

use crate::error::WsError;

/// How acks are shaped on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AckMode {
    /// `{"ok": true, "data": <value>}` / `{"ok": false, "error": {"code", "message", "details"}}`.
    #[default]
    Envelope,
    /// NestJS-compatible: success acks the bare value; failure acks
    /// `{"status": "error", "message": ...}` and also emits that payload as the `exception`
    /// event, as NestJS's `BaseWsExceptionFilter` does.
    NestJs,
}

/// A value a handler can return: the framework turns it into the ack.
///
/// Implemented for `()` (acks `data: null`), `Result<T, E>` with `T: Serialize` and
/// `E: Into<WsError>`, and, through the macro, any other `T: Serialize`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be turned into an ack",
    label = "this return type cannot be an ack",
    note = "a handler returns `()`, a `T: serde::Serialize`, or `Result<T, E>` where `T: Serialize` and `E: Into<gateway_core::WsError>` (implement `gateway_core::AppError` for your error type)",
    note = "see the guide, chapter \"Acks and errors\""
)]
pub trait IntoAck {
    /// The success payload.
    type Data: Serialize + Send;
    /// Splits the value into success data or an error.
    fn into_ack(self) -> Result<Self::Data, WsError>;
}

impl IntoAck for () {
    type Data = ();
    fn into_ack(self) -> Result<(), WsError> {
        Ok(())
    }
}

impl<T, E> IntoAck for Result<T, E>
where
    T: Serialize + Send,
    E: Into<WsError>,
{
    type Data = T;
    fn into_ack(self) -> Result<T, WsError> {
        self.map_err(Into::into)
    }
}

/// Wraps a plain serialisable return value. Generated code uses it for return types that
/// are neither `()` nor a `Result`; you never need to name it.
#[doc(hidden)]
pub struct AckValue<T>(pub T);

impl<T: Serialize + Send> IntoAck for AckValue<T> {
    type Data = T;
    fn into_ack(self) -> Result<T, WsError> {
        Ok(self.0)
    }
}

/// `{"ok": true, "data": ...}`, serialised straight from the handler's value (no
/// intermediate `serde_json::Value`).
#[derive(Serialize)]
pub(crate) struct OkEnvelope<'a, T: Serialize> {
    ok: bool,
    data: &'a T,
}

impl<'a, T: Serialize> OkEnvelope<'a, T> {
    pub(crate) fn new(data: &'a T) -> Self {
        Self { ok: true, data }
    }
}

/// A success ack in either shape: one `Serialize` type per handler, so the socketioxide
/// send path (encoder and packet) is compiled once per handler rather than once per shape.
pub(crate) struct OkAck<'a, T: Serialize> {
    pub(crate) mode: AckMode,
    pub(crate) data: &'a T,
}

impl<T: Serialize> Serialize for OkAck<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.mode {
            AckMode::Envelope => OkEnvelope::new(self.data).serialize(serializer),
            AckMode::NestJs => self.data.serialize(serializer),
        }
    }
}

/// `{"ok": false, "error": {...}}`.
#[derive(Serialize)]
pub(crate) struct ErrEnvelope<'a> {
    ok: bool,
    error: &'a WsError,
}

impl<'a> ErrEnvelope<'a> {
    pub(crate) fn new(error: &'a WsError) -> Self {
        Self { ok: false, error }
    }
}

/// NestJS's `{"status": "error", "message": ...}`.
#[derive(Serialize)]
pub(crate) struct NestError<'a> {
    status: &'static str,
    message: &'a str,
}

impl<'a> NestError<'a> {
    pub(crate) fn new(error: &'a WsError) -> Self {
        Self {
            status: "error",
            message: error.message(),
        }
    }
}

/// The `exception` event payload in envelope mode, for emits without an ack id.
#[derive(Serialize)]
pub(crate) struct ExceptionEvent<'a> {
    event: &'a str,
    error: &'a WsError,
}

impl<'a> ExceptionEvent<'a> {
    pub(crate) fn new(event: &'a str, error: &'a WsError) -> Self {
        Self { event, error }
    }
}

//! Turning a handler's return value into the client's ack: which return types are acks
//! ([`IntoAck`]), how generated code tells a `Result` from a plain value ([`kind`]), and the
//! wire shapes (see the book, `book/src/acks-and-errors.md`).

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
    note = "a handler returns `()`, a `T: serde::Serialize`, or `Result<T, E>` where `T: Serialize` and `E: Into<socketioxide_gateway::WsError>` (implement `socketioxide_gateway::AppError` for your error type)",
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

/// Wraps a plain serialisable return value: what generated code makes of a return value
/// that is not a `Result` (see [`kind`]); you never need to name it.
#[doc(hidden)]
pub struct AckValue<T>(pub T);

impl<T: Serialize + Send> IntoAck for AckValue<T> {
    type Data = T;
    fn into_ack(self) -> Result<T, WsError> {
        Ok(self.0)
    }
}

/// Which [`IntoAck`] a handler's return value goes through, decided by its type, not by
/// how the return type is spelled (`type Out = Result<Msg, ChatError>` is a `Result`; a
/// struct named `SearchResult` is a value).
///
/// A blanket `IntoAck for T: Serialize` would overlap with `IntoAck for Result<T, E>`, so
/// generated code uses autoref-based specialisation (stable Rust has no trait
/// specialisation) on the concrete return value `out`:
/// `(&out).__gw_ack_kind().ack(out)`. Method lookup tries `&R` before `&&R`, so
/// [`ResultKind`](kind::ResultKind) (implemented for every `Result`) wins over
/// [`ValueKind`](kind::ValueKind) (implemented for every `&T`). A `Result` is passed on as it
/// is; anything else becomes an [`AckValue`]. The bounds (`T: Serialize`,
/// `E: Into<WsError>`) are checked afterwards, on `IntoAck`, with its messages.
#[doc(hidden)]
pub mod kind {
    use super::AckValue;

    /// The return value is a `Result`: `Ok` is the data, `Err` the error ack.
    #[derive(Debug, Clone, Copy)]
    pub struct ResultAck;

    /// The return value is the data.
    #[derive(Debug, Clone, Copy)]
    pub struct ValueAck;

    /// Picked for a `Result`.
    pub trait ResultKind {
        /// The kind of ack.
        #[inline(always)]
        fn __gw_ack_kind(&self) -> ResultAck {
            ResultAck
        }
    }
    impl<T, E> ResultKind for Result<T, E> {}

    /// Picked for anything else.
    pub trait ValueKind {
        /// The kind of ack.
        #[inline(always)]
        fn __gw_ack_kind(&self) -> ValueAck {
            ValueAck
        }
    }
    impl<T: ?Sized> ValueKind for &T {}

    impl ResultAck {
        /// The `Result` itself.
        #[inline(always)]
        pub fn ack<T, E>(self, out: Result<T, E>) -> Result<T, E> {
            out
        }
    }

    impl ValueAck {
        /// The value, as an ack's data.
        #[inline(always)]
        pub fn ack<T>(self, out: T) -> AckValue<T> {
            AckValue(out)
        }
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

//! The framework's error type and the stable error codes of the ack contract.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value as Json};

/// An error type for `main` (`async fn main() -> Result<(), BoxError>`).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Stable error codes, part of the ack contract (see the guide's "Acks and errors" chapter).
pub mod code {
    /// The payload could not be decoded into the handler's parameter types.
    pub const BAD_PAYLOAD: &str = "bad_payload";
    /// The payload decoded but failed `validator` checks; `details` holds the failing fields.
    pub const VALIDATION_FAILED: &str = "validation_failed";
    /// The client is not authenticated.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// The client is authenticated but not allowed to do this.
    pub const FORBIDDEN: &str = "forbidden";
    /// The client sent too many events; `details.retry_after_ms` says when to retry.
    pub const RATE_LIMITED: &str = "rate_limited";
    /// No handler exists for the event (or the requested resource does not exist).
    pub const NOT_FOUND: &str = "not_found";
    /// A handler panicked or failed unexpectedly; no internal detail is sent.
    pub const INTERNAL: &str = "internal";
    /// The server is shutting down and no longer takes events; retry once reconnected
    /// (to another node).
    pub const UNAVAILABLE: &str = "unavailable";

    /// Every code above, with what it means to a client, in the order the guide lists them
    /// (`book/src/acks-and-errors.md`): the one list the exported contracts declare
    /// (`WsErrorCode` in `events.ts`, every envelope ack's `error.code` in `asyncapi.yaml`).
    #[cfg_attr(not(feature = "contracts"), allow(dead_code))]
    pub(crate) const BUILT_IN: [(&str, &str); 8] = [
        (BAD_PAYLOAD, "the payload could not be decoded"),
        (
            VALIDATION_FAILED,
            "the payload failed validation; `details` holds the failing fields",
        ),
        (UNAUTHORIZED, "the client is not authenticated"),
        (FORBIDDEN, "the client may not do this"),
        (
            RATE_LIMITED,
            "too many events; `details.retry_after_ms` says when to retry",
        ),
        (NOT_FOUND, "no such event or resource"),
        (INTERNAL, "the handler failed unexpectedly"),
        (
            UNAVAILABLE,
            "the server is shutting down; retry after reconnecting",
        ),
    ];
}

/// The error a handler returns, and the error every failing ack carries.
///
/// It serialises as `{"code": "...", "message": "...", "details": ...}` (`details` omitted
/// when empty). Build one with the constructors ([`WsError::forbidden`], [`WsError::new`] for
/// an application code, ...), or convert your own error type by implementing [`AppError`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WsError {
    code: Cow<'static, str>,
    message: Cow<'static, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<Json>,
}

impl WsError {
    /// An error with an application-defined `code` (snake_case by convention) and message.
    pub fn new(code: impl Into<Cow<'static, str>>, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            details: None,
        }
    }

    /// Attaches structured details (never put the client's own input here).
    #[must_use]
    pub fn with_details(mut self, details: impl Serialize) -> Self {
        self.details = serde_json::to_value(details).ok();
        self
    }

    /// `bad_payload`: the payload could not be decoded.
    pub fn bad_payload(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(code::BAD_PAYLOAD, message)
    }

    /// `unauthorized`.
    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(code::UNAUTHORIZED, message)
    }

    /// `forbidden`.
    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(code::FORBIDDEN, message)
    }

    /// `not_found`.
    pub fn not_found(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(code::NOT_FOUND, message)
    }

    /// `rate_limited`, with the delay after which the client may retry.
    pub fn rate_limited(retry_after: std::time::Duration) -> Self {
        let ms = u64::try_from(retry_after.as_millis()).unwrap_or(u64::MAX);
        Self::new(code::RATE_LIMITED, "too many events, slow down")
            .with_details(serde_json::json!({ "retry_after_ms": ms }))
    }

    /// `internal`: something failed on the server. The message is fixed so nothing leaks.
    pub fn internal() -> Self {
        Self::new(code::INTERNAL, "internal server error")
    }

    /// `unavailable`: the server is shutting down (sent for events that arrive while it
    /// drains).
    pub fn unavailable() -> Self {
        Self::new(
            code::UNAVAILABLE,
            "the server is shutting down; retry after reconnecting",
        )
    }

    /// `validation_failed`, built from `validator`'s errors. The details map each failing
    /// field path (`"text"`, `"address.city"`, `"items[2].qty"`) to a list of
    /// `{"code", "message"}`; the rejected value is never included.
    pub fn validation(errors: &validator::ValidationErrors) -> Self {
        Self::validation_with_names(errors, &[])
    }

    /// Like [`validation`](Self::validation), naming top-level fields as the client spells
    /// them: `wire_names` are the payload's serde field names (after `rename_all`), matched
    /// to the Rust field names ignoring case, `_` and `-`.
    pub(crate) fn validation_with_names(
        errors: &validator::ValidationErrors,
        wire_names: &[&str],
    ) -> Self {
        let mut fields = Map::new();
        let rename = |field: &str| -> String {
            let key = normalize(field);
            wire_names
                .iter()
                .find(|wire| normalize(wire) == key)
                .map_or_else(|| field.to_owned(), |wire| (*wire).to_owned())
        };
        flatten_validation(errors, "", &rename, &mut fields);
        Self::new(code::VALIDATION_FAILED, "payload failed validation")
            .with_details(Json::Object(fields))
    }

    /// The error code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The structured details, if any.
    pub fn details(&self) -> Option<&Json> {
        self.details.as_ref()
    }
}

impl fmt::Display for WsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for WsError {}

/// Implement this for your application's error type (a `thiserror` enum, typically) to
/// return it from handlers: `Result<T, YourError>` then acks `{"ok": false, "error":
/// {"code": <code()>, "message": <Display>, "details": <details()>}}`.
///
/// ```
/// use socketioxide_gateway::AppError;
///
/// #[derive(Debug, thiserror::Error)]
/// enum ChatError {
///     #[error("room `{0}` is full")]
///     RoomFull(String),
///     #[error("database unavailable")]
///     Db(#[source] std::io::Error),
/// }
///
/// impl AppError for ChatError {
///     fn code(&self) -> &'static str {
///         match self {
///             ChatError::RoomFull(_) => "room_full",
///             // Errors whose text must not reach clients map to `internal`.
///             ChatError::Db(_) => socketioxide_gateway::error::code::INTERNAL,
///         }
///     }
/// }
/// ```
/// An error whose code is `internal` is sent with the fixed internal message, and its
/// `Display` text is only logged.
pub trait AppError: std::error::Error {
    /// The snake_case code clients match on.
    fn code(&self) -> &'static str;

    /// Every code [`code`](Self::code) can return. The exported contracts (TypeScript,
    /// AsyncAPI) list them for each handler that returns this error; leave it empty and
    /// clients see only the framework's codes.
    const CODES: &'static [&'static str] = &[];

    /// Optional structured details.
    fn details(&self) -> Option<Json> {
        None
    }
}

impl<E: AppError> From<E> for WsError {
    fn from(err: E) -> Self {
        let code = err.code();
        if !E::CODES.is_empty() && !E::CODES.contains(&code) {
            tracing::warn!(
                code,
                error_type = std::any::type_name::<E>(),
                "error code missing from `AppError::CODES`: the exported contracts do not list it"
            );
        }
        if code == code::INTERNAL {
            tracing::error!(error = %err, "handler failed with an internal error");
            return WsError::internal();
        }
        let mut out = WsError::new(code, err.to_string());
        out.details = err.details();
        out
    }
}

fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn flatten_validation(
    errors: &validator::ValidationErrors,
    prefix: &str,
    rename_top: &dyn Fn(&str) -> String,
    out: &mut Map<String, Json>,
) {
    use validator::ValidationErrorsKind;
    // Sorted so the ack is deterministic whatever validator's map order is.
    let mut entries: Vec<_> = errors.errors().iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (field, kind) in entries {
        let path = if prefix.is_empty() {
            rename_top(field)
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                let items = list
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "code": e.code,
                            "message": e.message.as_deref().map_or_else(|| describe(e), str::to_owned),
                        })
                    })
                    .collect();
                out.insert(path, Json::Array(items));
            }
            ValidationErrorsKind::Struct(inner) => {
                flatten_validation(inner, &path, rename_top, out)
            }
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    flatten_validation(inner, &format!("{path}[{index}]"), rename_top, out);
                }
            }
        }
    }
}

/// A default message from the rule's code and its parameters, leaving out `value` (the
/// client's input).
fn describe(e: &validator::ValidationError) -> String {
    let mut params: Vec<_> = e
        .params
        .iter()
        .filter(|(k, _)| *k != "value")
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    params.sort();
    if params.is_empty() {
        format!("failed the `{}` check", e.code)
    } else {
        format!("failed the `{}` check ({})", e.code, params.join(", "))
    }
}

/// Turns a serde/parser error into a message that says what was wrong without echoing the
/// client's input: serde_json quotes the offending value (`invalid type: string "x"`,
/// `unknown variant `foo``), which must not be reflected back.
pub(crate) fn sanitize_decode_error(raw: &str) -> String {
    // serde_json appends the position; it describes the packet, not the payload, so drop it.
    let text = match raw.find(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    let expected = text.find(", expected ").map(|i| &text[i..]).unwrap_or("");
    if let Some(rest) = text.strip_prefix("invalid type: ") {
        let kind = rest.split([' ', ',']).next().unwrap_or("value");
        return format!("invalid type: {kind}{expected}");
    }
    if text.starts_with("invalid value: ") {
        return format!("invalid value{expected}");
    }
    if text.starts_with("unknown variant") {
        return format!("unknown variant{expected}");
    }
    if text.starts_with("unknown field") {
        return format!("unknown field{expected}");
    }
    if text.starts_with("missing field `") || text.starts_with("invalid length ") {
        // Field names come from the handler's own types; lengths are counts.
        return text.to_owned();
    }
    "malformed payload".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_do_not_echo_input() {
        let cases = [
            (
                "invalid type: string \"secret\", expected u32 at line 1 column 15",
                "invalid type: string, expected u32",
            ),
            (
                "invalid value: integer `300`, expected u8",
                "invalid value, expected u8",
            ),
            (
                "unknown variant `secret`, expected `a` or `b`",
                "unknown variant, expected `a` or `b`",
            ),
            (
                "unknown field `secret`, expected `room`",
                "unknown field, expected `room`",
            ),
            ("missing field `text`", "missing field `text`"),
            (
                "invalid length 1, expected a tuple of size 2",
                "invalid length 1, expected a tuple of size 2",
            ),
            ("expected value at line 1 column 2", "malformed payload"),
        ];
        for (raw, want) in cases {
            assert_eq!(sanitize_decode_error(raw), want, "for {raw}");
        }
    }

    #[test]
    fn app_errors_keep_their_code_and_internal_ones_are_masked() {
        #[derive(Debug, thiserror::Error)]
        enum E {
            #[error("room is full")]
            Full,
            #[error("db password is hunter2")]
            Db,
        }
        impl AppError for E {
            fn code(&self) -> &'static str {
                match self {
                    E::Full => "room_full",
                    E::Db => code::INTERNAL,
                }
            }
        }
        let full = WsError::from(E::Full);
        assert_eq!((full.code(), full.message()), ("room_full", "room is full"));
        let db = WsError::from(E::Db);
        assert_eq!(db, WsError::internal());
    }
}

//! Guards: checks that run before a client connects to a namespace and before a handler
//! runs (the guide's chapter "Guards and authentication", book/src/guards-and-authentication.md).
//!
//! A guard declared on a gateway (`#[guard(MyGuard)]` under `#[gateway(...)]`) runs its
//! [`Guard::check_connect`] in socketioxide's connect middleware, before the client is
//! told it is connected (a rejection reaches the client's `connect_error`), and its
//! [`Guard::check_event`] before every event of that gateway. A guard on one handler runs
//! only [`Guard::check_event`], for that handler. An event rejection is the event's ack:
//! `unauthorized`, `forbidden`, or whatever error the guard returns.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use socketioxide::extensions::Extensions;
use socketioxide::socket::Sid;

use crate::error::WsError;
use crate::ns_params;
use crate::providers::Providers;

/// What a guard sees.
pub struct GuardContext<'a> {
    pub(crate) sid: Sid,
    pub(crate) namespace: &'a str,
    pub(crate) request: &'a axum::http::request::Parts,
    pub(crate) auth: Option<&'a serde_json::Value>,
    pub(crate) event: Option<&'a str>,
    pub(crate) extensions: &'a Extensions,
    pub(crate) providers: &'a Providers,
}

impl<'a> GuardContext<'a> {
    /// The socket id.
    pub fn sid(&self) -> Sid {
        self.sid
    }

    /// The namespace.
    pub fn namespace(&self) -> &'a str {
        self.namespace
    }

    /// The HTTP handshake request (headers, cookies, query): what the client sent when it
    /// opened the connection.
    pub fn handshake(&self) -> &'a axum::http::request::Parts {
        self.request
    }

    /// A handshake header, as text.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.request.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A cookie of the handshake request.
    pub fn cookie(&self, name: &str) -> Option<&'a str> {
        self.request
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    /// The auth payload of the namespace CONNECT (`io(url, { auth: {...} })`), during the
    /// connection check; `None` in event checks and when the client sent none.
    pub fn auth(&self) -> Option<&'a serde_json::Value> {
        self.auth
    }

    /// The event being checked; `None` during the connection check.
    pub fn event(&self) -> Option<&'a str> {
        self.event
    }

    /// The socket's extensions: a connection guard stores what it learnt (the user's claims)
    /// for event guards and handlers to read.
    pub fn extensions(&self) -> &'a Extensions {
        self.extensions
    }

    /// The app's providers.
    pub fn providers(&self) -> &'a Providers {
        self.providers
    }

    /// The parameters of a dynamic namespace (`/tenant/{tenant}`), decoded as `T` (see
    /// [`NsParams`](crate::NsParams)): a connection guard can refuse a client who does not
    /// belong to the tenant it asks for. `bad_payload` when they do not parse into `T`
    /// (the client gets `connect_error`), `internal` on a static namespace.
    pub fn ns_params<T: DeserializeOwned>(&self) -> Result<T, WsError> {
        ns_params::from_extensions(self.extensions)
    }
}

/// A check run before a connection is accepted and before events are handled.
///
/// ```
/// use socketioxide_gateway::guard::{Guard, GuardContext};
/// use socketioxide_gateway::WsError;
///
/// /// Lets in only clients that send `auth: { key: "let-me-in" }`.
/// struct ApiKey;
///
/// impl Guard for ApiKey {
///     async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
///         match cx.auth().and_then(|auth| auth["key"].as_str()) {
///             Some("let-me-in") => Ok(()),
///             _ => Err(WsError::unauthorized("a valid key is required")),
///         }
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a guard",
    label = "not a guard",
    note = "a guard is a value whose type implements `socketioxide_gateway::Guard` (`check_connect` and/or `check_event`)",
    note = "see the guide, chapter \"Guards and authentication\""
)]
pub trait Guard: Send + Sync + 'static {
    /// Runs in the connect middleware of the namespace, for guards declared on a gateway.
    /// An `Err` refuses the connection: the client's `connect_error` gets its message.
    fn check_connect(
        &self,
        cx: &GuardContext<'_>,
    ) -> impl Future<Output = Result<(), WsError>> + Send {
        let _ = cx;
        async { Ok(()) }
    }

    /// Runs before each guarded event. An `Err` is the event's ack; the handler does not run.
    fn check_event(
        &self,
        cx: &GuardContext<'_>,
    ) -> impl Future<Output = Result<(), WsError>> + Send {
        let _ = cx;
        async { Ok(()) }
    }
}

pub(crate) type GuardFuture<'a> = Pin<Box<dyn Future<Output = Result<(), WsError>> + Send + 'a>>;

/// Which of a guard's checks runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// [`Guard::check_connect`], in the namespace's connect middleware.
    Connect,
    /// [`Guard::check_event`], before a guarded event's handler.
    Event,
}

/// [`Guard`] made object-safe, to store guards of different types together.
pub(crate) trait ErasedGuard: Send + Sync + 'static {
    fn check<'a>(&'a self, stage: Stage, cx: &'a GuardContext<'a>) -> GuardFuture<'a>;
}

impl<G: Guard> ErasedGuard for G {
    fn check<'a>(&'a self, stage: Stage, cx: &'a GuardContext<'a>) -> GuardFuture<'a> {
        match stage {
            Stage::Connect => Box::pin(self.check_connect(cx)),
            Stage::Event => Box::pin(self.check_event(cx)),
        }
    }
}

/// A guard as registered: shared, type-erased.
#[derive(Clone)]
pub struct GuardRef(pub(crate) Arc<dyn ErasedGuard>);

impl GuardRef {
    /// Wraps a guard. Generated code calls this for each `#[guard(...)]`.
    pub fn new<G: Guard>(guard: G) -> Self {
        Self(Arc::new(guard))
    }
}

impl std::fmt::Debug for GuardRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GuardRef")
    }
}

//! Authentication: the [`Claims<C>`] extractor gives handlers the authenticated principal a
//! connection guard stored; with the `jwt` feature, [`JwtGuard`] verifies a JSON Web Token
//! at connection and stores its claims.
//!
//! Where the token is read from, in order (browsers cannot set headers on a WebSocket, so
//! the handshake `auth` payload comes first):
//! 1. the namespace CONNECT's auth payload: `io(url, { auth: { token } })`;
//! 2. the handshake's `Authorization: Bearer <token>` header (Node and native clients:
//!    `extraHeaders`);
//! 3. a cookie of the handshake request, named `token` by default
//!    ([`JwtKeys::cookie`]), for browsers whose login set an HTTP-only cookie.

use std::sync::Arc;

use socketioxide::adapter::Adapter;

use crate::error::WsError;
use crate::extract::{FromParts, Parts};

/// The authenticated principal, as a connection guard stored it in the socket's
/// extensions (`cx.extensions().insert(Claims(..))`). As a handler parameter it answers
/// `unauthorized` when there is none.
#[derive(Debug, PartialEq)]
pub struct Claims<C>(pub Arc<C>);

impl<C> Clone for Claims<C> {
    fn clone(&self) -> Self {
        Claims(Arc::clone(&self.0))
    }
}

impl<C> std::ops::Deref for Claims<C> {
    type Target = C;
    fn deref(&self) -> &C {
        &self.0
    }
}

impl<A: Adapter, C: Send + Sync + 'static> FromParts<A> for Claims<C> {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        parts
            .socket()
            .extensions
            .get::<Claims<C>>()
            .ok_or_else(|| WsError::unauthorized("not authenticated"))
    }
}

#[cfg(feature = "jwt")]
pub use jwt::{JwtGuard, JwtKeys};

#[cfg(feature = "jwt")]
mod jwt {
    use std::marker::PhantomData;
    use std::sync::Arc;
    use std::time::{SystemTime, UNIX_EPOCH};

    use jsonwebtoken::errors::ErrorKind;
    use jsonwebtoken::{Algorithm, DecodingKey, Validation};
    use serde::de::DeserializeOwned;

    use super::Claims;
    use crate::error::WsError;
    use crate::guard::{Guard, GuardContext};

    /// How tokens are verified: register one with `GatewayApp::provide(JwtKeys::hs256(..))`.
    #[derive(Clone)]
    pub struct JwtKeys {
        key: DecodingKey,
        validation: Validation,
        cookie: String,
    }

    impl JwtKeys {
        /// HMAC-SHA256 with a shared secret (expiry checked, no leeway).
        pub fn hs256(secret: &[u8]) -> Self {
            let mut validation = Validation::new(Algorithm::HS256);
            validation.leeway = 0;
            Self::new(DecodingKey::from_secret(secret), validation)
        }

        /// Any key and validation rules of `jsonwebtoken`.
        pub fn new(key: DecodingKey, validation: Validation) -> Self {
            Self {
                key,
                validation,
                cookie: "token".to_owned(),
            }
        }

        /// The cookie read when neither the auth payload nor the `Authorization` header
        /// carries a token (default `token`).
        #[must_use]
        pub fn cookie(mut self, name: impl Into<String>) -> Self {
            self.cookie = name.into();
            self
        }
    }

    impl std::fmt::Debug for JwtKeys {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("JwtKeys")
                .field("cookie", &self.cookie)
                .finish_non_exhaustive()
        }
    }

    /// Verifies a JSON Web Token when a client connects and stores its claims `C` for
    /// [`Claims<C>`]; on every guarded event, refuses a token that has expired since.
    ///
    /// ```
    /// use socketioxide_gateway::auth::{Claims, JwtGuard, JwtKeys};
    /// use socketioxide_gateway::prelude::*;
    ///
    /// #[derive(Deserialize)]
    /// struct UserClaims {
    ///     sub: String,
    ///     exp: u64,
    /// }
    ///
    /// #[derive(Default)]
    /// struct Notifications;
    ///
    /// #[gateway(namespace = "/notifications")]
    /// #[guard(JwtGuard::<UserClaims>::new())]
    /// impl Notifications {
    ///     #[subscribe("whoami")]
    ///     async fn whoami(&self, Claims(user): Claims<UserClaims>) -> String {
    ///         user.sub.clone()
    ///     }
    /// }
    ///
    /// let secret = "change me";
    /// let app = GatewayApp::new().provide(JwtKeys::hs256(secret.as_bytes()));
    /// # drop(app);
    /// ```
    /// Refusals reach the client's `connect_error` as `missing token`, `token expired` or
    /// `invalid token`: no detail of why a signature failed.
    pub struct JwtGuard<C>(PhantomData<fn() -> C>);

    impl<C> JwtGuard<C> {
        /// A guard for claims of type `C`; the keys come from the app's providers.
        pub const fn new() -> Self {
            JwtGuard(PhantomData)
        }
    }

    impl<C> Default for JwtGuard<C> {
        fn default() -> Self {
            Self::new()
        }
    }

    /// When the stored token expires, in seconds since the Unix epoch.
    #[derive(Clone, Copy)]
    struct Expiry(u64);

    fn now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    fn token<'a>(cx: &GuardContext<'a>, keys: &JwtKeys) -> Option<&'a str> {
        if let Some(token) = cx
            .auth()
            .and_then(|auth| auth.get("token"))
            .and_then(|t| t.as_str())
        {
            return Some(token);
        }
        if let Some(bearer) = cx
            .header("authorization")
            .and_then(|value| value.strip_prefix("Bearer "))
        {
            return Some(bearer.trim());
        }
        cx.cookie(&keys.cookie)
    }

    impl<C> Guard for JwtGuard<C>
    where
        C: DeserializeOwned + Send + Sync + 'static,
    {
        async fn check_connect(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
            let keys = cx.providers().get::<JwtKeys>().map_err(|missing| {
                tracing::error!(%missing, "JwtGuard needs `GatewayApp::provide(JwtKeys::...)`");
                WsError::internal()
            })?;
            let token = token(cx, &keys).ok_or_else(|| WsError::unauthorized("missing token"))?;
            let data =
                jsonwebtoken::decode::<serde_json::Value>(token, &keys.key, &keys.validation)
                    .map_err(|err| match err.kind() {
                        ErrorKind::ExpiredSignature => WsError::unauthorized("token expired"),
                        _ => WsError::unauthorized("invalid token"),
                    })?;
            // Kept to refuse events once the token expires during the connection.
            if let Some(exp) = data.claims.get("exp").and_then(serde_json::Value::as_u64) {
                cx.extensions().insert(Expiry(exp));
            }
            let claims =
                C::deserialize(data.claims).map_err(|_| WsError::unauthorized("invalid token"))?;
            cx.extensions().insert(Claims(Arc::new(claims)));
            Ok(())
        }

        async fn check_event(&self, cx: &GuardContext<'_>) -> Result<(), WsError> {
            if cx.extensions().get::<Claims<C>>().is_none() {
                return Err(WsError::unauthorized("not authenticated"));
            }
            match cx.extensions().get::<Expiry>() {
                Some(Expiry(exp)) if exp <= now() => Err(WsError::unauthorized("token expired")),
                _ => Ok(()),
            }
        }
    }
}

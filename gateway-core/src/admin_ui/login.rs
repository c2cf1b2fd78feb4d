//! The dashboard's login, as `@socket.io/admin-ui` does it: the CONNECT's auth payload
//! carries `{username, password}` (checked against the bcrypt hash, with the bcrypt crate)
//! or a `sessionId` handed out by an earlier login; anything else is refused with
//! "invalid credentials".

use std::collections::VecDeque;
use std::sync::Mutex;

use rand::RngCore;
use serde_json::Value;

use super::options::AdminAuth;

/// The most sessions kept: the oldest is forgotten first (its dashboard logs in again).
const MAX_SESSIONS: usize = 1024;

/// The refusal every failed login gets, whatever failed.
pub(super) const INVALID_CREDENTIALS: &str = "invalid credentials";

/// The login check of the admin namespace.
pub(super) struct Login {
    /// `None`: no authentication.
    basic: Option<(String, String)>,
    sessions: Mutex<VecDeque<String>>,
}

/// A successful login.
pub(super) enum Admitted {
    /// With credentials: the new session id, sent to the dashboard as `session`.
    NewSession(String),
    /// With a known session id, or without authentication.
    Known,
}

impl Login {
    /// The check for `auth`; an error if the hash is not a bcrypt hash.
    pub(super) fn new(auth: &AdminAuth) -> Result<Self, String> {
        let basic = match auth {
            AdminAuth::Basic {
                username,
                password_hash,
            } => {
                password_hash
                    .parse::<bcrypt::HashParts>()
                    .map_err(|_| "the admin UI's password must be a bcrypt hash ($2b$...)")?;
                Some((username.clone(), password_hash.clone()))
            }
            AdminAuth::None => {
                tracing::warn!(
                    "the admin UI has no authentication: anyone who reaches its namespace administers this server"
                );
                None
            }
        };
        Ok(Self {
            basic,
            sessions: Mutex::new(VecDeque::new()),
        })
    }

    /// Checks a CONNECT's auth payload. The bcrypt comparison is slow on purpose: call it
    /// off the runtime's threads.
    pub(super) fn check(&self, auth: &Value) -> Result<Admitted, &'static str> {
        let Some((username, hash)) = &self.basic else {
            return Ok(Admitted::Known);
        };
        if let Some(session) = auth.get("sessionId").and_then(Value::as_str)
            && self.sessions().iter().any(|known| known == session)
        {
            return Ok(Admitted::Known);
        }
        let sent_user = auth.get("username").and_then(Value::as_str);
        let sent_password = auth.get("password").and_then(Value::as_str);
        match (sent_user, sent_password) {
            (Some(user), Some(password))
                if user == username && bcrypt::verify(password, hash).unwrap_or(false) =>
            {
                Ok(Admitted::NewSession(self.new_session()))
            }
            _ => Err(INVALID_CREDENTIALS),
        }
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, VecDeque<String>> {
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A new random session id (16 hex digits, as the Node package's), remembered.
    fn new_session(&self) -> String {
        let mut bytes = [0u8; 8];
        rand::rng().fill_bytes(&mut bytes);
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut sessions = self.sessions();
        if sessions.len() >= MAX_SESSIONS {
            sessions.pop_front();
        }
        sessions.push_back(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn credentials_then_the_session_they_opened() {
        let hash = bcrypt::hash("secret", 4).unwrap();
        let login = Login::new(&AdminAuth::basic("admin", hash)).unwrap();
        let Ok(Admitted::NewSession(session)) =
            login.check(&json!({"username": "admin", "password": "secret"}))
        else {
            panic!("the right credentials log in")
        };
        assert_eq!(session.len(), 16);
        assert!(matches!(
            login.check(&json!({ "sessionId": session })),
            Ok(Admitted::Known)
        ));
        for refused in [
            json!({"username": "admin", "password": "wrong"}),
            json!({"username": "other", "password": "secret"}),
            json!({"sessionId": "0000000000000000"}),
            json!({"username": 1, "password": ["secret"]}),
            json!("not an object"),
        ] {
            assert_eq!(
                login.check(&refused).err(),
                Some(INVALID_CREDENTIALS),
                "{refused}"
            );
        }
        assert!(Login::new(&AdminAuth::basic("admin", "plain text")).is_err());
    }
}

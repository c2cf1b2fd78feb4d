//! Parameters and return values are sorted by their types' traits, not by their names:
//! renamed imports, aliases and look-alike names work.

use socketioxide_gateway::extract::{FromParts, Parts};
use socketioxide_gateway::prelude::SocketRef as Sock;
use socketioxide_gateway::prelude::{DisconnectReason as Why, *};

#[derive(Deserialize, Validate)]
struct Say {
    #[validate(length(min = 1))]
    text: String,
}

/// An alias of a payload type.
type Msg = Say;

#[derive(Debug, thiserror::Error)]
#[error("empty")]
struct Empty;

impl AppError for Empty {
    fn code(&self) -> &'static str {
        "empty"
    }
}

/// A `Result` under another name.
type Out = Result<String, Empty>;

/// A plain value whose name ends in `Result`.
#[derive(Serialize)]
struct SearchResult {
    hits: u32,
}

/// An extractor of our own, recognised without `#[extract]`.
struct CurrentUser(String);

impl<A: socketioxide_gateway::socketioxide::adapter::Adapter> FromParts<A> for CurrentUser {
    fn from_parts(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        Ok(CurrentUser(parts.socket().id.to_string()))
    }
}

/// Both a payload and an extractor: `#[extract]` says which.
#[derive(Deserialize)]
struct Locale(String);

impl<A: socketioxide_gateway::socketioxide::adapter::Adapter> FromParts<A> for Locale {
    fn from_parts(_: &mut Parts<'_, A>) -> Result<Self, WsError> {
        Ok(Locale("en".into()))
    }
}

#[derive(Default)]
struct Chat;

#[gateway(namespace = "/chat")]
impl Chat {
    #[on_connect]
    async fn hello(&self, s: Sock, user: CurrentUser, #[extract] Auth(auth): Auth<String>) {
        let _ = (s.id, user.0, auth);
    }

    #[subscribe("say")]
    async fn say(&self, s: Sock, Valid(msg): Valid<Msg>) -> Out {
        let _ = s.id;
        if msg.text.is_empty() { Err(Empty) } else { Ok(msg.text) }
    }

    #[subscribe("search")]
    async fn search(&self, _user: CurrentUser, query: String) -> SearchResult {
        SearchResult { hits: query.len() as u32 }
    }

    #[subscribe("locale")]
    async fn locale(&self, #[extract] locale: Locale, text: String) -> String {
        format!("{}:{text}", locale.0)
    }

    #[on_disconnect]
    async fn bye(&self, s: Sock, why: Why) {
        let _ = (s.id, why);
    }
}

fn main() {
    let _ = GatewayApp::explicit().link::<Chat>();
}

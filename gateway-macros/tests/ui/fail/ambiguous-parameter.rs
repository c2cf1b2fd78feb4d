use socketioxide_gateway::extract::{FromParts, Parts};
use socketioxide_gateway::prelude::*;

#[derive(Default)]
struct Chat;

/// Both a payload (`Deserialize`) and an extractor (`FromParts`).
#[derive(Deserialize)]
struct Locale(String);

impl<A: socketioxide_gateway::socketioxide::adapter::Adapter> FromParts<A> for Locale {
    fn from_parts(_: &mut Parts<'_, A>) -> Result<Self, WsError> {
        Ok(Locale("en".into()))
    }
}

#[gateway(namespace = "/chat")]
impl Chat {
    #[subscribe("locale")]
    async fn locale(&self, locale: Locale) -> String {
        locale.0
    }
}

fn main() {}

use gateway_core::extract::{FromParts, Parts};
use gateway_core::prelude::*;

#[derive(Default)]
struct Chat;

/// Both a payload (`Deserialize`) and an extractor (`FromParts`).
#[derive(Deserialize)]
struct Locale(String);

impl<A: gateway_core::socketioxide::adapter::Adapter> FromParts<A> for Locale {
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

//! The chapter "Payloads and validation".

use bytes::Bytes;
use socketioxide_gateway::Args;
use socketioxide_gateway::prelude::*;
use validator::ValidationError;

// ANCHOR: validated
/// An order as the client sends it. `Valid<CreateOrder>` runs every rule below before the
/// handler; serde decodes first, so a wrong type fails as `bad_payload` and a broken rule
/// as `validation_failed`.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrder {
    /// Who orders.
    #[validate(length(min = 1, max = 64))]
    pub customer_id: String,
    /// Where the confirmation goes.
    #[validate(email)]
    pub email: String,
    /// 1 to 20 lines, each valid.
    #[validate(length(min = 1, max = 20), nested)]
    pub lines: Vec<OrderLine>,
    /// Checked field by field.
    #[validate(nested)]
    pub address: Address,
    /// Optional; when given, at most 500 characters.
    #[validate(length(max = 500))]
    pub note: Option<String>,
}

/// One line of an order (`Serialize` too: `length` on a list of them reads the list as a
/// `validator` parameter).
#[derive(Debug, Serialize, Deserialize, Validate, JsonSchema)]
pub struct OrderLine {
    /// The product.
    #[validate(length(min = 1, max = 32))]
    pub sku: String,
    /// 1 to 99.
    #[validate(range(min = 1, max = 99))]
    pub qty: u32,
}

/// A postal address.
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub struct Address {
    /// The city.
    #[validate(length(min = 2, max = 64))]
    pub city: String,
    /// Five digits, checked by a function of ours.
    #[validate(custom(function = "five_digits"))]
    pub postcode: String,
}

/// A custom rule: its code and message reach the client; the value does not.
fn five_digits(postcode: &str) -> Result<(), ValidationError> {
    if postcode.len() == 5 && postcode.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ValidationError::new("postcode").with_message("five digits".into()))
    }
}
// ANCHOR_END: validated

// ANCHOR: enum-payload
/// An enum payload: `{"kind": "card", "last4": "4242"}` or `{"kind": "invoice"}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PaymentMethod {
    /// A card, by its last four digits.
    Card {
        /// The last four digits.
        last4: String,
    },
    /// Pay later.
    Invoice,
}
// ANCHOR_END: enum-payload

/// The ack of `create-order`.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderPlaced {
    /// The order's number.
    pub order_id: u64,
    /// Items ordered.
    pub items: u32,
}

// ANCHOR: desk
/// Every kind of payload parameter.
#[derive(Default)]
pub struct OrderDesk;

#[gateway(namespace = "/orders")]
impl OrderDesk {
    /// A validated struct: `emit("create-order", {...})`.
    #[subscribe("create-order")]
    async fn create(&self, Valid(order): Valid<CreateOrder>) -> OrderPlaced {
        OrderPlaced {
            order_id: 1,
            items: order.lines.iter().map(|line| line.qty).sum(),
        }
    }

    /// Any `Deserialize` type, no validation: `emit("cancel-order", 42)`.
    #[subscribe("cancel-order")]
    async fn cancel(&self, order_id: u64) -> String {
        format!("order {order_id} cancelled")
    }

    /// Two payload parameters take the first two arguments: `emit("set-quantity", 3, 7)`.
    #[subscribe("set-quantity")]
    async fn set_quantity(&self, line: u32, qty: u32) -> String {
        format!("line {line}: {qty}")
    }

    /// An enum, tagged by serde.
    #[subscribe("pay")]
    async fn pay(&self, method: PaymentMethod) -> String {
        match method {
            PaymentMethod::Card { last4 } => format!("card ending {last4}"),
            PaymentMethod::Invoice => "invoice".to_owned(),
        }
    }

    /// A binary attachment: `emit("attach", "invoice.pdf", new Uint8Array([...]))`.
    #[subscribe("attach")]
    async fn attach(&self, name: String, file: Bytes) -> String {
        format!("{name}: {} bytes", file.len())
    }

    /// Every argument as it came, JSON or binary, sent back as the ack's arguments.
    #[subscribe("echo-all")]
    async fn echo_all(&self, args: Args) -> Args {
        args
    }
}
// ANCHOR_END: desk

/// The app of this chapter.
pub fn app() -> GatewayApp {
    GatewayApp::explicit().link::<OrderDesk>()
}

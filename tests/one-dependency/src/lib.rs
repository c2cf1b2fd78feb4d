//! Payloads, server events and a gateway written with the prelude alone, in a crate that
//! depends on nothing but the framework and tokio (no serde, schemars or serde_json): the
//! prelude's `Serialize`, `Deserialize` and `JsonSchema` derives, with serde's attributes.

use socketioxide_gateway::prelude::*;

/// A payload with serde's attributes: renamed fields and a default.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Post {
    /// The room to post in.
    pub room_id: String,
    /// The message.
    pub body: String,
    /// Pinned posts stay on top; `false` when absent.
    #[serde(default)]
    pub pinned: bool,
}

/// An internally tagged enum, both ways.
#[derive(Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    /// A circle.
    Circle {
        /// Its radius.
        radius: f64,
    },
    /// A square.
    Square {
        /// Its side.
        side: f64,
    },
}

/// A recursive type: the mirror's field refers back to the user's type.
#[derive(Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Tree {
    /// The node's label.
    pub label: String,
    /// Its children, by name.
    pub children: Vec<Tree>,
    /// Its first child, through `Self`.
    pub first: Option<Box<Self>>,
}

/// A generic type.
#[derive(Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The next page's cursor, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// A newtype struct.
#[derive(Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Meters(pub f64);

/// Sent to the room when a post lands.
#[derive(Debug, Serialize, ServerEvent, JsonSchema)]
#[event("posted")]
#[serde(rename_all = "camelCase")]
pub struct Posted {
    /// The room posted in.
    pub room_id: String,
    /// The message.
    pub body: String,
}

/// The gateway under test.
#[derive(Default)]
pub struct BoardGateway;

#[gateway(namespace = "/board", emits(Posted))]
impl BoardGateway {
    /// Acks the post back as a `Posted` and sends it to the sender too.
    #[subscribe("post")]
    async fn post(&self, socket: SocketRef, post: Post) -> Result<Posted, WsError> {
        let posted = Posted {
            room_id: post.room_id,
            body: if post.pinned {
                format!("📌 {}", post.body)
            } else {
                post.body
            },
        };
        socket
            .emit_event(&posted)
            .map_err(|_| WsError::internal())?;
        Ok(posted)
    }

    /// Echoes a shape.
    #[subscribe("shape")]
    async fn shape(&self, shape: Shape) -> Shape {
        shape
    }

    /// Echoes a tree.
    #[subscribe("tree")]
    async fn tree(&self, tree: Tree) -> Tree {
        tree
    }

    /// A page of numbers back.
    #[subscribe("page")]
    async fn page(&self, page: Page<u32>) -> Page<u32> {
        Page {
            items: page.items.into_iter().map(|n| n * 2).collect(),
            next: page.next,
        }
    }

    /// The sum of a page of lengths.
    #[subscribe("meters")]
    async fn meters(&self, lengths: Page<Meters>) -> Meters {
        Meters(lengths.items.iter().map(|m| m.0).sum())
    }
}

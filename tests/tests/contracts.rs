//! Contracts out (`book/src/typed-events-and-the-frontend.md`): the TypeScript and AsyncAPI
//! exports of a set of gateways that covers every shape, compared with the committed
//! snapshots in `tests/snapshots/`.
//! `UPDATE_SNAPSHOTS=1 cargo test -p gateway-tests --test contracts` rewrites them.

use std::path::PathBuf;

use bytes::Bytes;
use serde_json::json;
use socketioxide_gateway::contract::{ContractInfo, Shape};
use socketioxide_gateway::prelude::*;
use socketioxide_gateway::{Args, Contracts};

/// A chat message as clients send it.
#[derive(Deserialize, Validate, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendMessage {
    /// The room to post in.
    #[validate(length(min = 1, max = 64))]
    pub room_id: String,
    /// The text, 1 to 500 characters.
    #[validate(length(min = 1, max = 500))]
    pub text: String,
    /// A message this one answers.
    pub reply_to: Option<u64>,
    /// Where it was sent from.
    pub client: Client,
}

/// Which client sent a message.
#[derive(Deserialize, Serialize, JsonSchema, Clone)]
#[serde(rename_all = "snake_case")]
pub enum Client {
    /// A browser.
    Web,
    /// A phone app, with its version.
    Mobile {
        /// The app's version.
        version: String,
    },
}

/// A stored message.
#[derive(Serialize, JsonSchema, ServerEvent)]
#[event("new-message")]
pub struct Message {
    /// Its id.
    pub id: u64,
    /// Its text.
    pub text: String,
    /// Who wrote it.
    pub author: Author,
    /// Tags, if any.
    pub tags: Vec<String>,
}

/// A message's author.
#[derive(Serialize, JsonSchema)]
pub struct Author {
    /// The user id.
    pub id: String,
    /// Shown in the UI.
    pub display_name: Option<String>,
}

/// Someone is typing.
#[derive(Serialize, JsonSchema, ServerEvent)]
#[event("typing")]
pub struct Typing {
    /// Who.
    pub user: String,
}

/// A rating, validated in range.
#[derive(Deserialize, Validate, JsonSchema)]
pub struct Rate {
    /// 1 to 5 stars.
    #[validate(range(min = 1, max = 5))]
    pub stars: u8,
}

/// The chat's own errors.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// Not a member of the room.
    #[error("not a member of this room")]
    NotMember,
    /// The room is full.
    #[error("the room is full")]
    RoomFull,
}

impl AppError for ChatError {
    const CODES: &'static [&'static str] = &["not_member", "room_full"];

    fn code(&self) -> &'static str {
        match self {
            ChatError::NotMember => "not_member",
            ChatError::RoomFull => "room_full",
        }
    }
}

#[derive(Default)]
/// Several server events, `Result` acks with app codes, `()` acks.
pub struct ChatGateway;

#[gateway(namespace = "/chat", emits(Message, Typing))]
impl ChatGateway {
    /// Posts a message to a room; acks the stored message.
    #[subscribe("send-message")]
    async fn send(&self, Valid(msg): Valid<SendMessage>) -> Result<Message, ChatError> {
        let _ = msg;
        Err(ChatError::NotMember)
    }

    /// Starts typing (no ack data).
    #[subscribe("typing")]
    async fn typing(&self, room: String) {
        let _ = room;
    }

    /// Rates the room.
    #[subscribe("rate")]
    async fn rate(&self, Valid(rate): Valid<Rate>) -> u8 {
        rate.stars
    }
}

#[derive(Default)]
/// Binary, several arguments, `Args`.
pub struct FilesGateway;

#[gateway(namespace = "/files")]
impl FilesGateway {
    /// Stores a named file; acks its size.
    #[subscribe("upload")]
    async fn upload(&self, name: String, data: Bytes) -> usize {
        let _ = name;
        data.len()
    }

    /// Gives a file's bytes back.
    #[subscribe("download")]
    async fn download(&self, name: String) -> Bytes {
        Bytes::from(name.into_bytes())
    }

    /// Adds two numbers, sent as two arguments.
    #[subscribe("add")]
    async fn add(&self, a: f64, b: f64) -> f64 {
        a + b
    }

    /// Echoes every argument.
    #[subscribe("echo")]
    async fn echo(&self, args: Args) -> Args {
        args
    }
}

#[derive(Default)]
/// NestJS acks.
pub struct LegacyGateway;

/// A gateway answering in the NestJS ack shape.
#[gateway(namespace = "/legacy", ack = "nestjs")]
impl LegacyGateway {
    /// Pings.
    #[subscribe("ping")]
    async fn ping(&self) -> &'static str {
        "pong"
    }
}

/// The tenant of a `/tenant/{tenant}` socket.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Tenant {
    /// The path's parameter.
    pub tenant: String,
}

#[derive(Default)]
/// One namespace per tenant.
pub struct TenantGateway;

/// A dynamic namespace: `/tenant/acme`, `/tenant/globex`, ...
#[gateway(namespace = "/tenant/{tenant}")]
impl TenantGateway {
    /// The tenant of the socket's namespace.
    #[subscribe("whoami")]
    async fn whoami(&self, NsParams(tenant): NsParams<Tenant>) -> Tenant {
        tenant
    }
}

fn contracts() -> Contracts {
    GatewayApp::explicit()
        .link::<ChatGateway>()
        .link::<FilesGateway>()
        .link::<LegacyGateway>()
        .link::<TenantGateway>()
        .contract_info(ContractInfo {
            title: "Contract fixture".to_owned(),
            version: "1.2.3".to_owned(),
            host: "localhost:3000".to_owned(),
            path: "/socket.io".to_owned(),
        })
        .contracts()
}

#[test]
fn the_model_holds_every_namespace_event_and_shape() {
    let contracts = contracts();
    assert_eq!(
        contracts.namespaces.keys().copied().collect::<Vec<_>>(),
        ["/chat", "/files", "/legacy", "/tenant/{tenant}"]
    );
    let chat = &contracts.namespaces["/chat"];
    assert_eq!(
        chat.server_events.keys().copied().collect::<Vec<_>>(),
        ["new-message", "typing"]
    );
    let send = &chat.client_events["send-message"];
    assert_eq!(send.error_codes, ["not_member", "room_full"]);
    assert_eq!(send.args.len(), 1);
    assert_eq!(send.args[0].0, "msg");
    assert_eq!(
        send.doc.as_deref(),
        Some("Posts a message to a room; acks the stored message.")
    );
    assert_eq!(chat.client_events["typing"].ack, Shape::null());
    let files = &contracts.namespaces["/files"];
    assert_eq!(
        files.client_events["upload"].args[1],
        ("data".to_owned(), Shape::Binary)
    );
    assert_eq!(files.client_events["download"].ack, Shape::Binary);
    assert_eq!(
        files.client_events["echo"].args,
        [("args".to_owned(), Shape::Rest)]
    );
    assert_eq!(files.client_events["add"].args.len(), 2);
    // Validation rules reach the schema.
    let send_message = &contracts.definitions["SendMessage"];
    assert_eq!(send_message["properties"]["text"]["maxLength"], json!(500));
    assert_eq!(
        contracts.definitions["Rate"]["properties"]["stars"]["maximum"],
        json!(5)
    );
    assert!(contracts.untyped().is_empty(), "{:?}", contracts.untyped());
}

fn snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} is stale; run with UPDATE_SNAPSHOTS=1 and review the diff",
        path.display()
    );
}

#[test]
fn typescript_snapshot() {
    snapshot("contracts.events.ts", &contracts().typescript());
}

#[test]
fn asyncapi_snapshot() {
    snapshot("contracts.asyncapi.yaml", &contracts().asyncapi());
}

#[test]
fn the_export_is_deterministic() {
    let (a, b) = (contracts(), contracts());
    assert_eq!(a.typescript(), b.typescript());
    assert_eq!(a.asyncapi(), b.asyncapi());
}

/// The chat example commits its contracts; they must match its gateways.
#[test]
fn the_chat_examples_committed_contracts_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/chat/contracts");
    // This test binary's own gateways are in the registry too: name the chat's only.
    let contracts = GatewayApp::explicit()
        .link::<example_chat::ChatGateway>()
        .contract_info(example_chat::contract_info())
        .contracts();
    assert!(contracts.untyped().is_empty(), "{:?}", contracts.untyped());
    for (file, actual) in [
        ("events.ts", contracts.typescript()),
        ("asyncapi.yaml", contracts.asyncapi()),
    ] {
        let committed = std::fs::read_to_string(dir.join(file))
            .unwrap_or_else(|e| panic!("examples/chat/contracts/{file}: {e}"));
        assert!(
            committed == actual,
            "examples/chat/contracts/{file} is stale: regenerate it with \
             `cargo run -p example-chat -- --export-contracts examples/chat/contracts` and commit it"
        );
    }
}

#[test]
fn dump_model() {
    if std::env::var_os("DUMP_CONTRACTS").is_some() {
        let c = contracts();
        println!("{c:#?}");
    }
}

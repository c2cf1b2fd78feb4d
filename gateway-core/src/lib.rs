//! Declarative, NestJS-style Socket.IO gateways on top of [socketioxide].
//!
//! Write a plain struct and an annotated `impl` block; the macros generate handler
//! registration, typed payload decoding and validation, and the ack plumbing; the registry
//! wires every gateway into a socketioxide server at startup.
//!
//! ```no_run
//! use socketioxide_gateway::prelude::*;
//!
//! #[derive(Deserialize, Validate)]
//! struct Say {
//!     #[validate(length(min = 1, max = 500))]
//!     text: String,
//! }
//!
//! #[derive(Default)]
//! struct EchoGateway;
//!
//! #[gateway(namespace = "/echo")]
//! impl EchoGateway {
//!     #[on_connect]
//!     async fn hello(&self, socket: SocketRef) {
//!         socket.emit("welcome", "hi").ok();
//!     }
//!
//!     /// The return value is the ack: `{"ok": true, "data": "you said ..."}`.
//!     #[subscribe("say")]
//!     async fn say(&self, Valid(msg): Valid<Say>) -> String {
//!         format!("you said {}", msg.text)
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), BoxError> {
//!     GatewayApp::new().serve("127.0.0.1:3000").await
//! }
//! ```
//!
//! The guide (`book/` in the repository) covers every piece.

pub mod ack;
mod adapter;
#[cfg(feature = "admin-ui")]
pub mod admin_ui;
mod app;
pub mod auth;
#[cfg(feature = "redis")]
pub mod cluster;
#[cfg(not(feature = "redis"))]
mod cluster;
#[cfg(feature = "contracts")]
pub mod contract;
pub mod error;
mod event;
pub mod extract;
pub mod gateway;
pub mod guard;
pub mod intercept;
mod location;
#[cfg(feature = "metrics")]
pub mod metrics;
mod ns_params;
mod panic;
mod providers;
mod registry;
mod runtime;
#[cfg(feature = "testing")]
pub mod testing;
pub mod throttle;
#[cfg(feature = "admin-ui")]
pub mod watched_adapter;

pub use ack::{AckMode, IntoAck};
pub use adapter::{DefaultAdapter, SocketIo, SocketRef};
pub use app::{
    AdapterConfig, BuiltApp, CONFIG_FILE_ENV, ENV_PREFIX, GatewayApp, GatewayConfig,
    NamespaceSummary, Parser, REDIS_URL_ENV, Server, Shutdown, StartupError, Transports,
};
pub use auth::Claims;
#[cfg(feature = "contracts")]
pub use contract::Contracts;
pub use error::{AppError, BoxError, WsError};
pub use event::{BroadcastEvent, EmitEvent, ServerEvent};
pub use extract::{Arg, Args, Auth, EventName, FromParts, Inject, Parts, Payload, Valid};
pub use guard::{Guard, GuardContext};
pub use intercept::Interceptor;
pub use ns_params::NsParams;
pub use providers::{Injectable, MissingProvider, Providers};

/// The macros: `#[gateway]` on an impl block, with `#[subscribe("event")]`,
/// `#[on_connect]`, `#[on_disconnect]` and `#[on_init]` on its methods; and
/// `#[derive(Injectable)]` for gateway structs built from providers.
pub use socketioxide_gateway_macros::{
    Injectable, ServerEvent, fallback, gateway, guard, intercept, on_connect, on_disconnect,
    on_init, ordered, subscribe, throttle,
};

/// socketioxide, re-exported so apps use the same version.
pub use socketioxide;

/// axum, whose `Router` [`GatewayApp::routes`] takes: apps add HTTP routes without a
/// dependency of their own on axum, and without a second axum version.
pub use axum;

/// Everything a gateway file needs.
pub mod prelude {
    pub use crate::{
        AckMode, AppError, Auth, BoxError, BroadcastEvent, Claims, EmitEvent, GatewayApp,
        GatewayConfig, Guard, GuardContext, Inject, Injectable, Interceptor, NsParams, ServerEvent,
        Valid, WsError, fallback, gateway, guard, intercept, on_connect, on_disconnect, on_init,
        ordered, subscribe, throttle,
    };
    pub use crate::{SocketIo, SocketRef};
    // The traits from their crates; the derives of the same names from the macros, which
    // work in an app that depends on neither serde nor schemars (gateway-macros/src/mirror.rs).
    #[cfg(feature = "contracts")]
    pub use crate::json_schema_trait::*;
    pub use serde::{de::Deserialize, ser::Serialize};
    pub use socketioxide::socket::DisconnectReason;
    #[cfg(feature = "contracts")]
    pub use socketioxide_gateway_macros::JsonSchema;
    pub use socketioxide_gateway_macros::{Deserialize, Serialize};
    pub use std::sync::Arc;
    pub use validator::Validate;
}

/// schemars' `JsonSchema` names both the trait and schemars' derive; the prelude glob-imports
/// this module for the trait, and its explicit import of the macros' derive wins over the glob.
#[cfg(feature = "contracts")]
mod json_schema_trait {
    pub use schemars::JsonSchema;
}

/// Paths used by generated code only. Not public API: anything here may change.
#[doc(hidden)]
pub mod __private {
    pub use crate::__gateway_contract_fn as contract_fn;
    pub use crate::ack::kind::{ResultKind, ValueKind};
    pub use crate::ack::{AckMode, IntoAck};
    pub use crate::adapter::DefaultAdapter;
    #[cfg(feature = "contracts")]
    pub use crate::contract::probe::{
        AckProbe, ArgProbe, CodesProbe, SchemaProbe, ViaAppError, ViaExtractorArg, ViaKnown,
        ViaNoCodes, ViaPayloadArg, ViaResultParts, ViaSchema, ViaUnknown, ViaValueParts,
    };
    #[cfg(feature = "contracts")]
    pub use crate::contract::{ContractBuilder, Shape};
    pub use crate::error::WsError;
    pub use crate::extract::Parts;
    pub use crate::extract::event_args::{
        event_args1, event_args2, event_args3, event_args4, event_args5, event_args6, event_args7,
        event_args8, event_args9, event_args10, event_args11, event_args12,
    };
    pub use crate::extract::hooks::{ConnectParam, DisconnectParam, ViaAuth, ViaReason};
    pub use crate::extract::init::FromInit;
    pub use crate::extract::param::{EventParam, Extract, ViaExtract, ViaParts, ViaPayload};
    pub use crate::gateway::autoref::{Probe, ViaDefault, ViaInjectable, ViaNothing};
    pub use crate::gateway::{
        BuildOutcome, ContractFn, Gateway, GatewayDescriptor, GatewayType, Location,
    };
    pub use crate::guard::GuardRef;
    pub use crate::intercept::InterceptorRef;
    pub use crate::providers::{Injectable, MissingProvider, Providers};
    pub use crate::runtime::{ExtractFn, HandlerOptions, NamespaceBuilder};
    pub use crate::throttle::Throttle;
    pub use inventory;
    #[cfg(feature = "contracts")]
    pub use schemars;
    pub use serde;
    pub use socketioxide::SocketIo;
    pub use std::borrow::Cow;
    pub use std::default::Default;
    pub use std::option::Option;
    pub use std::result::Result;
    pub use std::sync::Arc;
    pub use std::time::Duration;
    pub use std::vec::Vec;
}

/// The README's example compiles.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

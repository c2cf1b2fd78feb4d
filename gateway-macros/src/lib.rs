//! Procedural macros of `socketioxide-gateway`. Depend on `socketioxide-gateway`, which re-exports them;
//! generated code names only `::socketioxide_gateway::__private` paths.
//!
//! The pipeline: [`attr`] parses the attribute arguments, [`model`] builds a typed model
//! of the impl block while collecting every error into an [`errors::Errors`], [`check`]
//! runs the rules that span several handlers, and [`expand`] generates code (with
//! [`contract`] for the exported contracts). On any error, [`fallback`] emits the user's
//! impl block unchanged next to the errors, with stub impls of the gateway traits, so one
//! mistake shows one error and the IDE keeps working.
//!
//! The macros read syntax only. What a parameter is (an extractor or a payload) and what a
//! return value acks (a `Result` or a value) are decided by the types' traits, in
//! socketioxide-gateway (`extract/param.rs`, `ack.rs`), so renamed imports and aliases work.

use proc_macro::TokenStream;

mod attr;
mod check;
mod contract;
mod errors;
mod expand;
mod fallback;
mod injectable;
mod mirror;
mod model;
mod server_event;

/// Turns an inherent `impl` block into a gateway on a Socket.IO namespace.
///
/// ```
/// use socketioxide_gateway::prelude::*;
///
/// #[derive(Deserialize, Validate)]
/// struct SendMessage {
///     #[validate(length(min = 1, max = 500))]
///     text: String,
/// }
///
/// #[derive(Default)]
/// struct ChatGateway;
///
/// #[gateway(namespace = "/chat")] // also: ack = "nestjs", crate = "path"
/// impl ChatGateway {
///     #[subscribe("send-message")]
///     async fn send(&self, socket: SocketRef, Valid(msg): Valid<SendMessage>) -> Result<String, WsError> {
///         socket.to("lobby").emit("message", &msg.text).await.ok();
///         Ok(msg.text)
///     }
/// }
/// ```
#[proc_macro_attribute]
pub fn gateway(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::gateway(args.into(), input.into()).into()
}

/// Marks the gateway method that receives the events no handler of its namespace claims:
/// `#[fallback]`, with `EventName` and `Args` parameters (or any event parameter), its
/// return value the ack. One per namespace. Only valid inside a `#[gateway]` impl block.
#[proc_macro_attribute]
pub fn fallback(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::outside_gateway("fallback", args.into(), input.into()).into()
}

/// Marks a gateway method as the handler of a client event: `#[subscribe("event")]`.
/// Only valid inside a `#[gateway]` impl block.
#[proc_macro_attribute]
pub fn subscribe(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::outside_gateway("subscribe", args.into(), input.into()).into()
}

/// Marks a gateway method to run when a socket joins the namespace.
/// Only valid inside a `#[gateway]` impl block.
#[proc_macro_attribute]
pub fn on_connect(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::outside_gateway("on_connect", args.into(), input.into()).into()
}

/// Marks a gateway method to run when a socket leaves the namespace.
/// Only valid inside a `#[gateway]` impl block.
#[proc_macro_attribute]
pub fn on_disconnect(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::outside_gateway("on_disconnect", args.into(), input.into()).into()
}

/// Marks a gateway method to run once at startup, with the `SocketIo` handle.
/// Only valid inside a `#[gateway]` impl block.
#[proc_macro_attribute]
pub fn on_init(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::outside_gateway("on_init", args.into(), input.into()).into()
}

/// Guards a gateway (under `#[gateway(...)]`: the connection and every event) or one
/// `#[subscribe]` handler: `#[guard(MyGuard)]`. Only valid inside a `#[gateway]` impl block.
#[proc_macro_attribute]
pub fn guard(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::outside_gateway("guard", args.into(), input.into()).into()
}

/// Rate-limits a gateway (one bucket per socket for all its events) or one handler:
/// `#[throttle(limit = 10, per = "1s")]`. Only valid inside a `#[gateway]` impl block.
#[proc_macro_attribute]
pub fn throttle(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::outside_gateway("throttle", args.into(), input.into()).into()
}

/// Handles a gateway's events (on the impl block) or one handler's events one at a time per
/// socket, in the order the socket sent them: `#[ordered]`. Only valid inside a
/// `#[gateway]` impl block.
#[proc_macro_attribute]
pub fn ordered(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::outside_gateway("ordered", args.into(), input.into()).into()
}

/// Wraps every event of a gateway with an interceptor: `#[intercept(Timing)]` under
/// `#[gateway(...)]`. Only valid on a `#[gateway]` impl block.
#[proc_macro_attribute]
pub fn intercept(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::outside_gateway("intercept", args.into(), input.into()).into()
}

/// Builds a gateway struct from the app's providers: each field is looked up by its type
/// (registered with `GatewayApp::provide`).
#[proc_macro_derive(Injectable)]
pub fn derive_injectable(input: TokenStream) -> TokenStream {
    injectable::derive(input.into()).into()
}

/// Names a server-to-client event once, on its payload type:
/// `#[derive(Serialize, ServerEvent)] #[event("new-message")] struct NewMessage { .. }`.
/// Emit it with `socket.emit_event(&msg)` or `io.to(room).emit_event(&msg).await`, and list
/// it in `#[gateway(emits(NewMessage))]` so the exported contracts include it.
#[proc_macro_derive(ServerEvent, attributes(event))]
pub fn derive_server_event(input: TokenStream) -> TokenStream {
    server_event::derive(input.into()).into()
}

/// serde's `Serialize` derive, for an app that does not depend on serde itself: the same
/// output and the same `#[serde(...)]` attributes, through the framework's copy of serde.
/// In the prelude; `#[derive(serde::Serialize)]` still works where serde is a dependency.
#[proc_macro_derive(Serialize, attributes(serde))]
pub fn derive_serialize(input: TokenStream) -> TokenStream {
    mirror::derive(input.into(), mirror::Derive::Serialize).into()
}

/// serde's `Deserialize` derive, for an app that does not depend on serde itself: the
/// same output and the same `#[serde(...)]` attributes, through the framework's copy of
/// serde. In the prelude.
#[proc_macro_derive(Deserialize, attributes(serde))]
pub fn derive_deserialize(input: TokenStream) -> TokenStream {
    mirror::derive(input.into(), mirror::Derive::Deserialize).into()
}

/// schemars' `JsonSchema` derive, for an app that does not depend on schemars itself: the
/// same schema, read from the same `#[schemars]`, `#[serde]` and `#[validate]` attributes
/// and doc comments. In the prelude, with the `contracts` feature.
#[proc_macro_derive(JsonSchema, attributes(schemars, serde, validate, garde))]
pub fn derive_json_schema(input: TokenStream) -> TokenStream {
    mirror::derive(input.into(), mirror::Derive::JsonSchema).into()
}

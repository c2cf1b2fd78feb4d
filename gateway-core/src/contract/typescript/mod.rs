//! `events.ts`: the contracts as TypeScript declarations for `socket.io-client` v4.
//!
//! The file holds, in this order: a few common types (`Ack`, `WsError`, `Binary`, ...), one
//! exported type per JSON Schema definition, a `<Prefix>ClientToServerEvents` and a
//! `<Prefix>ServerToClientEvents` interface per namespace, and a `Namespaces` map of them.
//! A client types its socket with the namespace's pair:
//!
//! ```ts
//! const socket: Socket<ChatServerToClientEvents, ChatClientToServerEvents> = io(url + "/chat");
//! ```
//!
//! Choices the generated types make (the file's header repeats the ones users meet):
//!
//! - **Ack callbacks.** socket.io-client's `emitWithAck` finds the ack's type as the *last*
//!   parameter of the event's signature (`Last<Parameters<...>>`), which does not match when
//!   that parameter is optional: `emitWithAck` then resolves to `any`. So the ack parameter
//!   is required when the handler returns data, and optional only when it returns nothing
//!   (ack data `null`), where `socket.emit("typing", room)` without a callback is the normal
//!   use and little typing is lost.
//! - **Rest arguments** (`Args`): a typed parameter cannot follow a rest parameter, so the
//!   event takes `...args: [...args: unknown[], ack: ...]`, a tuple whose last element is the
//!   ack (which keeps `emitWithAck` typed), or plain `...args: unknown[]` when the ack is
//!   optional.
//! - **Binary**: what a client sends is `Binary` (`ArrayBuffer | ArrayBufferView`, what
//!   socket.io-parser detects as an attachment: Node `Buffer`s, typed arrays, `DataView`s);
//!   what it receives is `ReceivedBinary` (`ArrayBuffer` in browsers, `Buffer`, a
//!   `Uint8Array`, in Node), narrower and so easier to use. `Blob` is left out: naming it
//!   would need the DOM or Node type libraries.
//! - **Names.** Definition names that are valid identifiers are kept (they match the
//!   AsyncAPI document's schema names); others are made into one, and a name that is taken
//!   (a TypeScript keyword, a global the file uses, a common type, an earlier name) gets a
//!   `2`, `3`, ... suffix. Namespace prefixes are the path in PascalCase (`/admin/users` →
//!   `AdminUsers`, `/` → `Root`), suffixed the same way if an interface name is taken.
//! - **Schemas.** Objects with properties become interfaces (optional `?` for properties
//!   not `required`; other properties, when allowed, an `unknown` index signature, since a
//!   typed one would have to cover every declared property); maps become `Record<string, T>`;
//!   `oneOf`/`anyOf` unions, `allOf` intersections; `type: [.., "null"]` adds `| null`;
//!   integers are `number`; anything without a type is `unknown`. Descriptions become
//!   JSDoc, and validation keywords JSDoc tags (`@maxLength 500`).
//!
//! The output depends only on the contracts, whose maps are sorted: it is deterministic.

mod declarations;
mod events;
mod identifiers;
mod jsdoc;
mod preamble;
mod schema_types;
mod type_expr;
mod writer;

use identifiers::{NAMESPACES_MAP, Names};
use jsdoc::Doc;
use preamble::{Example, common_types};
use schema_types::Types;
use writer::Writer;

use super::model::Contracts;
use super::names::{js_string, path_params, ts_path_type};

pub(super) fn render(contracts: &Contracts) -> String {
    let names = Names::assign(contracts);
    let types = Types::new(&names, &contracts.definitions);
    let mut w = Writer::default();
    header(&mut w, contracts, &names);
    common_types(&mut w, &example(contracts, &names));
    for (key, schema) in &contracts.definitions {
        types.definition(&mut w, &names.definitions[key], schema);
    }
    for (path, namespace) in &contracts.namespaces {
        let prefix = &names.namespaces[path];
        types.event_interfaces(&mut w, prefix, path, namespace);
        path_type(&mut w, prefix, path);
    }
    namespaces_map(&mut w, contracts, &names);
    w.finish()
}

/// The names the common types' docs show: the app's first event and its interface, and a
/// code of the app's own (the first in order), so the file names only what the app has.
fn example<'a>(contracts: &'a Contracts, names: &Names) -> Example<'a> {
    let first = contracts.namespaces.iter().find_map(|(path, namespace)| {
        let event = namespace.client_events.keys().next()?;
        Some((
            *event,
            format!("{}ClientToServerEvents", names.namespaces[path]),
        ))
    });
    let code = contracts
        .namespaces
        .values()
        .flat_map(|namespace| namespace.client_events.values())
        .flat_map(|event| event.error_codes.iter().copied())
        .filter(|code| !crate::error::code::BUILT_IN.iter().any(|(b, _)| b == code))
        .min();
    let (event, interface) = first.unwrap_or(("event", "Events".to_owned()));
    Example {
        event,
        interface,
        code,
    }
}

fn header(w: &mut Writer, contracts: &Contracts, names: &Names) {
    let info = &contracts.info;
    let title = format!("{} {}", info.title, info.version).replace(['\r', '\n'], " ");
    let mut lines = vec![
        format!("events.ts: the Socket.IO events of {title}, for socket.io-client v4."),
        "Generated from the server's #[gateway] declarations: do not edit it, regenerate it".into(),
        "by running the server with `--export-contracts DIR` (writes DIR/events.ts).".into(),
    ];
    if let Some((path, prefix)) = names.namespaces.iter().next() {
        let (c2s, s2c) = (
            format!("{prefix}ClientToServerEvents"),
            format!("{prefix}ServerToClientEvents"),
        );
        lines.extend([
            String::new(),
            "  import { io, type Socket } from \"socket.io-client\";".into(),
            format!("  import type {{ {c2s}, {s2c} }} from \"./events\";"),
            format!(
                "  const socket: Socket<{s2c}, {c2s}> = io(url + {});",
                js_string(path)
            ),
        ]);
    }
    lines.extend(
        [
            "",
            "Every emit that passes an ack callback (or uses `emitWithAck`) gets exactly one ack:",
            "`Ack<T>` (narrow it with `ok`), or `NestJsAck<T>` for `ack = \"nestjs\"` gateways. An",
            "event whose handler returns data requires the callback, so `emitWithAck` resolves to",
            "the typed ack; one whose handler returns nothing (`data: null`) makes it optional, so",
            "`socket.emit(event, ...args)` needs none (its `emitWithAck` is then untyped:",
            "socket.io-client cannot see an optional last parameter). `socket.timeout(ms)`",
            "makes `emitWithAck` untyped for every event: annotate it with `AckOf<Events, \"event\">`.",
        ]
        .map(String::from),
    );
    for line in lines {
        w.line(0, format!("// {line}").trim_end());
    }
    w.blank();
}

/// A dynamic namespace's paths as a template literal type, for `io(url + path)`.
fn path_type(w: &mut Writer, prefix: &str, path: &str) {
    if path_params(path).is_empty() {
        return;
    }
    let mut doc = Doc::default();
    doc.push(&format!(
        "The paths of the dynamic namespace `{path}`, one namespace each: `io(url + path)`."
    ));
    w.doc(0, &doc);
    w.line(
        0,
        &format!("export type {prefix}Path = {};", ts_path_type(path)),
    );
    w.blank();
}

fn namespaces_map(w: &mut Writer, contracts: &Contracts, names: &Names) {
    if contracts.namespaces.is_empty() {
        return;
    }
    let mut doc = Doc::default();
    doc.push("Every namespace's event maps, by path:");
    doc.push(
        "`Socket<Namespaces[\"/x\"][\"serverToClient\"], Namespaces[\"/x\"][\"clientToServer\"]>`;",
    );
    doc.push("`path` is the paths it serves (a template literal type for a dynamic namespace).");
    w.doc(0, &doc);
    w.interface(NAMESPACES_MAP, |w| {
        for path in contracts.namespaces.keys() {
            let prefix = &names.namespaces[path];
            w.line(1, &format!("{}: {{", js_string(path)));
            w.line(2, &format!("clientToServer: {prefix}ClientToServerEvents;"));
            w.line(2, &format!("serverToClient: {prefix}ServerToClientEvents;"));
            w.line(2, &format!("path: {};", ts_path_type(path)));
            w.line(1, "};");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::fixtures::contracts;
    use crate::error::code;

    #[test]
    fn a_file_without_namespaces_still_declares_the_common_types() {
        let text = render(&contracts(&[]));
        assert!(text.starts_with("// events.ts: "), "{text}");
        assert!(text.contains("export type Ack<T, Code extends string = WsErrorCode> ="));
        assert!(!text.contains("export interface Namespaces"));
        for (code, _) in code::BUILT_IN {
            assert!(text.contains(&format!("  | \"{code}\"")), "{code}");
        }
        // The examples in the docs name only what the app has: here, nothing.
        for other_apps in ["send-message", "not_member", "ChatClientToServerEvents"] {
            assert!(!text.contains(other_apps), "{other_apps} in:\n{text}");
        }
        assert!(text.contains("emitWithAck(\"event\", ...args)"), "{text}");
    }
}

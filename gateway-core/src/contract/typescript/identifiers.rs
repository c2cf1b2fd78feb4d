//! TypeScript names: the types and interfaces the file declares, chosen once and
//! collision-free, parameter names, and property keys.

use std::collections::BTreeMap;

use super::preamble::COMMON_TYPES;
use crate::contract::model::Contracts;
use crate::contract::names::{UniqueNames, js_string};

/// The map of every namespace, declared last.
pub(super) const NAMESPACES_MAP: &str = "Namespaces";

/// Globals the file refers to: a type of the same name would shadow them.
const USED_GLOBALS: [&str; 6] = [
    "ArrayBuffer",
    "ArrayBufferView",
    "Extract",
    "Parameters",
    "Record",
    "Uint8Array",
];

/// Words that cannot name a type or a parameter: reserved words (strict mode), contextual
/// keywords and the predefined type names.
const RESERVED_WORDS: &str = "\
     abstract any arguments as asserts async await bigint boolean break case catch class \
     const continue debugger declare default delete do else enum eval export extends false \
     finally for from function get global if implements import in infer instanceof interface \
     is keyof let module namespace never new null number object of package private protected \
     public readonly return satisfies set static string super switch symbol this throw true \
     try type typeof undefined unique unknown var void while with yield";

/// The TypeScript names of the definitions and namespaces, chosen once, collision-free.
pub(super) struct Names {
    /// Definition key → type name.
    pub(super) definitions: BTreeMap<String, String>,
    /// Namespace path → prefix of its two interfaces.
    pub(super) namespaces: BTreeMap<&'static str, String>,
}

impl Names {
    /// The names, taking each definition's and namespace's in the contracts' sorted order.
    pub(super) fn assign(contracts: &Contracts) -> Self {
        let mut taken = UniqueNames::new("");
        taken.reserve(
            RESERVED_WORDS
                .split_whitespace()
                .chain(USED_GLOBALS)
                .chain(COMMON_TYPES)
                .chain([NAMESPACES_MAP]),
        );
        let definitions = contracts
            .definitions
            .keys()
            .map(|key| (key.clone(), taken.claim(&type_name(key))))
            .collect();
        let namespaces = contracts
            .namespaces
            .keys()
            .map(|path| {
                let prefix = taken.claim_with(&namespace_prefix(path), |p| {
                    vec![
                        format!("{p}ClientToServerEvents"),
                        format!("{p}ServerToClientEvents"),
                        format!("{p}Path"),
                    ]
                });
                (*path, prefix)
            })
            .collect();
        Self {
            definitions,
            namespaces,
        }
    }
}

/// A definition's name as a TypeScript identifier: kept if it is one, else its
/// alphanumeric runs in PascalCase (`Page<Message>` → `PageMessage`).
fn type_name(key: &str) -> String {
    if is_identifier(key) {
        return key.to_owned();
    }
    pascal_identifier(key, "Type", "T")
}

/// The prefix of a namespace's interfaces: its path in PascalCase, `Root` for `/`.
fn namespace_prefix(path: &str) -> String {
    pascal_identifier(path, "Root", "Ns")
}

/// `raw` in PascalCase as an identifier: `empty` if it has no alphanumeric run, prefixed
/// with `digit_prefix` if it starts with a digit.
fn pascal_identifier(raw: &str, empty: &str, digit_prefix: &str) -> String {
    let name = pascal_case(raw);
    match name.chars().next() {
        None => empty.to_owned(),
        Some(c) if c.is_ascii_digit() => format!("{digit_prefix}{name}"),
        Some(_) => name,
    }
}

/// The ASCII alphanumeric runs of `raw`, each with its first letter upper-cased, joined.
fn pascal_case(raw: &str) -> String {
    raw.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `[A-Za-z_$][A-Za-z0-9_$]*` (ASCII only, to stay clear of Unicode identifier rules).
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

fn is_reserved(word: &str) -> bool {
    RESERVED_WORDS
        .split_whitespace()
        .any(|reserved| reserved == word)
}

/// A handler's parameter names as TypeScript parameter names, unique within one signature.
pub(super) struct ParamNames(UniqueNames);

impl Default for ParamNames {
    fn default() -> Self {
        Self(UniqueNames::new(""))
    }
}

impl ParamNames {
    /// `raw` if it is an identifier, else its alphanumeric runs joined with `_`, else
    /// `arg<position>`; `_`-suffixed if reserved, number-suffixed if taken.
    pub(super) fn take(&mut self, raw: &str, position: usize) -> String {
        let raw = raw.strip_prefix("r#").unwrap_or(raw);
        let mut name = if is_identifier(raw) {
            raw.to_owned()
        } else {
            raw.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
                .join("_")
        };
        if !is_identifier(&name) {
            name = format!("arg{position}");
        }
        if is_reserved(&name) {
            name.push('_');
        }
        self.0.claim(&name)
    }
}

/// A property name: bare if it is an identifier, else a string literal.
pub(super) fn property_key(key: &str) -> String {
    if is_identifier(key) {
        key.to_owned()
    } else {
        js_string(key)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::contract::fixtures::contracts;
    use crate::contract::model::NamespaceContract;

    #[test]
    fn names_are_identifiers_and_never_collide() {
        let mut c = contracts(&[
            ("Ack", json!({})),
            ("Foo_for_Bar", json!({})),
            ("Page<Message>", json!({})),
            ("PageMessage", json!({})),
            ("Record", json!({})),
            ("string", json!({})),
            ("1st", json!({})),
            ("ChatClientToServerEvents", json!({})),
        ]);
        for path in ["/", "/chat", "/admin/users", "/admin-users", "/2fa"] {
            c.namespaces.insert(path, NamespaceContract::default());
        }
        let names = Names::assign(&c);
        // Definition keys, then namespace paths (which start with `/`): the name each gets.
        let expected = [
            ("Ack", "Ack2"),
            ("Foo_for_Bar", "Foo_for_Bar"),
            ("Page<Message>", "PageMessage"),
            ("PageMessage", "PageMessage2"),
            ("Record", "Record2"),
            ("string", "string2"),
            ("1st", "T1st"),
            ("/", "Root"),
            ("/chat", "Chat2"),
            ("/admin-users", "AdminUsers"),
            ("/admin/users", "AdminUsers2"),
            ("/2fa", "Ns2fa"),
        ];
        for (key, name) in expected {
            let got = if key.starts_with('/') {
                &names.namespaces[key]
            } else {
                &names.definitions[key]
            };
            assert_eq!(got, name, "{key}");
        }
    }

    #[test]
    fn parameter_names_are_identifiers_and_unique() {
        let mut names = ParamNames::default();
        assert_eq!(names.take("msg", 0), "msg");
        assert_eq!(names.take("new", 1), "new_");
        assert_eq!(names.take("r#type", 2), "type_");
        assert_eq!(names.take("(a, b)", 3), "a_b");
        assert_eq!(names.take("(1, 2)", 3), "arg3");
        assert_eq!(names.take("_", 3), "_");
        assert_eq!(names.take("msg", 4), "msg2");
        assert_eq!(names.take("ack", 5), "ack");
        assert_eq!(names.take("ack", 6), "ack2");
    }
}

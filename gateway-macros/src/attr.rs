//! Arguments of `#[gateway(...)]` and of the method attributes.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Ident, LitStr, Path, Token};

use crate::errors::Errors;

/// Keys accepted by `#[gateway(...)]`.
const NAMESPACE: &str = "namespace";
const ACK: &str = "ack";
const CRATE: &str = "crate";
const EMITS: &str = "emits";
const GATEWAY_KEYS: &str = "`namespace`, `ack`, `crate`, `emits(...)`";

/// Parsed `#[gateway(namespace = "/chat", ack = "nestjs", crate = "path")]`.
pub(crate) struct GatewayArgs {
    /// The namespace literal (`"/"` when omitted, as in NestJS).
    pub(crate) namespace: Option<LitStr>,
    /// `ack = "..."`; without it the app's default applies.
    pub(crate) ack: Option<AckArg>,
    /// Path of the `socketioxide_gateway` crate, for renamed dependencies.
    pub(crate) krate: Option<Path>,
    /// `emits(NewMessage, UserTyping)`: the server events the gateway sends.
    pub(crate) emits: Vec<syn::Type>,
}

/// `ack = "envelope"` or `ack = "nestjs"`: the gateway's ack shape.
#[derive(Clone, Copy)]
pub(crate) enum AckArg {
    /// `{"ok": true, "data": ...}` / `{"ok": false, "error": ...}`.
    Envelope,
    /// NestJS's bare value / `{"status": "error", "message": ...}`.
    NestJs,
}

/// `key = "value"`, or `emits(Type, ...)`.
enum KeyValue {
    Pair { key: Ident, value: LitStr },
    Emits { key: Ident, types: Vec<syn::Type> },
}

impl Parse for KeyValue {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        // `parse_any` accepts keywords too, so `crate = "..."` parses.
        let key = Ident::parse_any(input)?;
        if key == EMITS && input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            let types =
                syn::punctuated::Punctuated::<syn::Type, Token![,]>::parse_terminated(&content)?;
            return Ok(Self::Emits {
                key,
                types: types.into_iter().collect(),
            });
        }
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        Ok(Self::Pair { key, value })
    }
}

impl GatewayArgs {
    pub(crate) fn parse(errors: &Errors, tokens: TokenStream) -> Self {
        let mut args = GatewayArgs {
            namespace: None,
            ack: None,
            krate: None,
            emits: Vec::new(),
        };
        let pairs = match syn::punctuated::Punctuated::<KeyValue, Token![,]>::parse_terminated
            .parse2(tokens)
        {
            Ok(pairs) => pairs,
            Err(err) => {
                errors.push(syn::Error::new(
                    err.span(),
                    format!(
                        "{err}; expected `#[gateway(namespace = \"/name\")]` (keys: {GATEWAY_KEYS})"
                    ),
                ));
                return args;
            }
        };
        let mut emits_seen = false;
        for pair in pairs {
            let (key, value) = match pair {
                KeyValue::Emits { key, types } => {
                    if emits_seen {
                        errors.error_spanned_by(&key, "`emits` specified more than once");
                    }
                    emits_seen = true;
                    args.emits.extend(types);
                    continue;
                }
                KeyValue::Pair { key, value } => (key, value),
            };
            let name = key.to_string();
            let duplicate = match name.as_str() {
                NAMESPACE => args.namespace.is_some(),
                ACK => args.ack.is_some(),
                CRATE => args.krate.is_some(),
                EMITS => {
                    errors.error_spanned_by(
                        &value,
                        "`emits` takes a list of types: `emits(NewMessage, UserTyping)`",
                    );
                    continue;
                }
                _ => {
                    errors.error_spanned_by(
                        &key,
                        format!("unknown `#[gateway]` argument `{name}`; expected one of: {GATEWAY_KEYS}"),
                    );
                    continue;
                }
            };
            if duplicate {
                errors.error_spanned_by(&key, format!("`{name}` specified more than once"));
                continue;
            }
            match name.as_str() {
                NAMESPACE => {
                    let ns = value.value();
                    if !ns.starts_with('/') {
                        errors.error_spanned_by(
                            &value,
                            format!("a namespace starts with `/`: write `\"/{ns}\"`"),
                        );
                    } else if ns.len() > 1 && ns.ends_with('/') {
                        errors.error_spanned_by(&value, "a namespace does not end with `/`");
                    } else if ns.chars().any(char::is_whitespace) {
                        errors.error_spanned_by(&value, "a namespace cannot contain whitespace");
                    } else if let Err(msg) = check_pattern(&ns) {
                        errors.error_spanned_by(&value, msg);
                    }
                    args.namespace = Some(value);
                }
                ACK => match value.value().as_str() {
                    "envelope" => args.ack = Some(AckArg::Envelope),
                    "nestjs" => args.ack = Some(AckArg::NestJs),
                    other => errors.error_spanned_by(
                        &value,
                        format!(
                            "unknown ack mode `{other}`; expected `\"envelope\"` or `\"nestjs\"`"
                        ),
                    ),
                },
                _ => match value.parse::<Path>() {
                    Ok(path) => args.krate = Some(path),
                    Err(_) => errors.error_spanned_by(
                        &value,
                        "expected a crate path, like `\"socketioxide_gateway\"`",
                    ),
                },
            }
        }
        args
    }
}

/// Parses `#[subscribe("event")]`'s argument.
pub(crate) fn parse_event(errors: &Errors, attr: &syn::Attribute) -> Option<LitStr> {
    let parsed = match &attr.meta {
        syn::Meta::List(list) => list.parse_args::<LitStr>().map_err(|_| list.tokens.clone()),
        syn::Meta::Path(path) => Err(quote::quote!(#path)),
        syn::Meta::NameValue(nv) => Err(quote::quote!(#nv)),
    };
    match parsed {
        Ok(lit) => Some(lit),
        Err(tokens) => {
            let tokens = if tokens.is_empty() {
                quote::quote!(#attr)
            } else {
                tokens
            };
            errors.error_spanned_by(
                tokens,
                "expected the event name as a string literal: `#[subscribe(\"message\")]`",
            );
            None
        }
    }
}

/// Parsed `#[throttle(limit = 10, per = "1s", disconnect_after = 50)]`.
pub(crate) struct ThrottleArgs {
    /// Events allowed per window (and the burst size).
    pub(crate) limit: syn::LitInt,
    /// The window, in milliseconds.
    pub(crate) per_ms: u64,
    /// Refusals in a row after which the socket is disconnected.
    pub(crate) disconnect_after: Option<syn::LitInt>,
}

const THROTTLE_KEYS: &str = "`limit`, `per`, `disconnect_after`";

impl ThrottleArgs {
    pub(crate) fn parse(errors: &Errors, attr: &syn::Attribute) -> Option<Self> {
        let mut limit = None;
        let mut per_ms = None;
        let mut disconnect_after = None;
        let mut per_given = false;
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                "limit" => limit = Some(positive(errors, meta.value()?.parse::<syn::LitInt>()?)),
                "disconnect_after" => {
                    disconnect_after =
                        Some(positive(errors, meta.value()?.parse::<syn::LitInt>()?));
                }
                "per" => {
                    let lit = meta.value()?.parse::<LitStr>()?;
                    per_given = true;
                    match parse_duration_ms(&lit.value()) {
                        Some(ms) if ms > 0 => per_ms = Some(ms),
                        _ => errors.error_spanned_by(
                            &lit,
                            "expected a duration like `\"1s\"`, `\"500ms\"`, `\"1m\"` or `\"1h\"`",
                        ),
                    }
                }
                _ => {
                    errors.error_spanned_by(
                        &meta.path,
                        format!("unknown `#[throttle]` argument; expected one of: {THROTTLE_KEYS}"),
                    );
                    // Skip its value so the next argument still parses.
                    if meta.input.peek(syn::Token![=]) {
                        meta.value()?.parse::<syn::Expr>()?;
                    }
                }
            }
            Ok(())
        });
        if let Err(err) = parsed {
            errors.push(syn::Error::new(
                err.span(),
                format!("{err}; expected `#[throttle(limit = 10, per = \"1s\")]`"),
            ));
            return None;
        }
        match (limit, per_ms) {
            (Some(limit), Some(per_ms)) => Some(ThrottleArgs {
                limit,
                per_ms,
                disconnect_after,
            }),
            // A `per` that was given but invalid is already reported.
            (_, None) if per_given => None,
            _ => {
                errors.error_spanned_by(
                    attr,
                    "`#[throttle]` needs both `limit` and `per`: `#[throttle(limit = 10, per = \"1s\")]`",
                );
                None
            }
        }
    }
}

fn positive(errors: &Errors, lit: syn::LitInt) -> syn::LitInt {
    if !matches!(lit.base10_parse::<u32>(), Ok(n) if n > 0) {
        errors.error_spanned_by(&lit, "expected a whole number from 1 to 4294967295");
    }
    lit
}

/// `"250ms"`, `"1s"`, `"2m"`, `"1h"` in milliseconds.
fn parse_duration_ms(text: &str) -> Option<u64> {
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let factor = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return None,
    };
    number.checked_mul(factor)
}

/// A dynamic namespace's parameters are whole segments, `{name}`, and a last `{*name}`
/// takes the rest of the path (the syntax of socketioxide's router, checked again at
/// startup).
fn check_pattern(ns: &str) -> Result<(), String> {
    let segments: Vec<&str> = ns.trim_start_matches('/').split('/').collect();
    let valid =
        |name: &str| !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    for (i, segment) in segments.iter().enumerate() {
        if !segment.contains(['{', '}']) {
            continue;
        }
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if valid(name) => {}
            Some(rest) if rest.starts_with('*') && valid(&rest[1..]) => {
                if i + 1 != segments.len() {
                    return Err(format!(
                        "`{{{rest}}}` takes the rest of the path: it must be the last segment"
                    ));
                }
            }
            Some(name) => {
                return Err(format!(
                    "`{{{name}}}` is not a parameter: write `{{name}}` (letters, digits, `_`) or `{{*name}}` for the rest of the path"
                ));
            }
            None => {
                return Err(format!(
                    "a namespace parameter is a whole segment: `/{{name}}`, not `/{segment}`"
                ));
            }
        }
    }
    Ok(())
}

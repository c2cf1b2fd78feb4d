//! The typed model of a `#[gateway]` impl block, built while checking each item on its own.
//! Rules that span several handlers live in `check.rs`.

use syn::{Attribute, FnArg, ImplItem, ImplItemFn, ItemImpl, LitStr, ReturnType, Type};

use crate::attr;
use crate::errors::Errors;

/// Method attributes the gateway macro understands (matched on the last path segment).
pub(crate) const SUBSCRIBE: &str = "subscribe";
pub(crate) const ON_CONNECT: &str = "on_connect";
pub(crate) const ON_DISCONNECT: &str = "on_disconnect";
pub(crate) const ON_INIT: &str = "on_init";
pub(crate) const FALLBACK: &str = "fallback";
/// Guard and rate-limit attributes, on the impl block or on a `#[subscribe]` method.
pub(crate) const GUARD: &str = "guard";
pub(crate) const THROTTLE: &str = "throttle";
pub(crate) const ORDERED: &str = "ordered";
pub(crate) const INTERCEPT: &str = "intercept";
/// Parameter attribute forcing a parameter to be an extractor.
pub(crate) const EXTRACT: &str = "extract";

/// The most parameters a `#[subscribe]` handler takes after `&self`: socketioxide-gateway has
/// `event_args1` to `event_args12`.
pub(crate) const MAX_EVENT_PARAMS: usize = 12;

/// The gateway: the impl block and its handlers.
pub(crate) struct Gateway<'a> {
    /// The impl block as written.
    pub(crate) original: &'a ItemImpl,
    /// The gateway type (`Self`).
    pub(crate) self_ty: &'a Type,
    /// Its name as written, for startup messages.
    pub(crate) type_name: String,
    /// Every annotated method, in source order.
    pub(crate) handlers: Vec<Handler<'a>>,
    /// `#[guard(...)]` on the impl block: connection and every event.
    pub(crate) guards: Vec<syn::Expr>,
    /// `#[throttle(...)]` on the impl block: one bucket for all events.
    pub(crate) throttle: Option<attr::ThrottleArgs>,
    /// `#[ordered]` on the impl block.
    pub(crate) ordered: bool,
    /// `#[intercept(...)]` on the impl block.
    pub(crate) interceptors: Vec<syn::Expr>,
}

/// What a method handles.
pub(crate) enum Kind {
    /// `#[subscribe("event")]`.
    Subscribe(LitStr),
    /// `#[on_connect]`.
    Connect,
    /// `#[on_disconnect]`.
    Disconnect,
    /// `#[on_init]`.
    Init,
    /// `#[fallback]`: the events no handler of the namespace claims; its attribute's span.
    Fallback(proc_macro2::Span),
}

impl Kind {
    pub(crate) fn attr_name(&self) -> &'static str {
        match self {
            Kind::Subscribe(_) => SUBSCRIBE,
            Kind::Connect => ON_CONNECT,
            Kind::Disconnect => ON_DISCONNECT,
            Kind::Init => ON_INIT,
            Kind::Fallback(_) => FALLBACK,
        }
    }

    /// Whether the method handles events (and so takes payloads and answers with an ack).
    pub(crate) fn is_event(&self) -> bool {
        matches!(self, Kind::Subscribe(_) | Kind::Fallback(_))
    }
}

/// One annotated method.
pub(crate) struct Handler<'a> {
    /// What it handles.
    pub(crate) kind: Kind,
    /// The method as written.
    pub(crate) method: &'a ImplItemFn,
    /// Its parameters after `&self`.
    pub(crate) params: Vec<Param<'a>>,
    /// How its return value becomes an ack.
    pub(crate) output: Output<'a>,
    /// `#[guard(...)]` on the method.
    pub(crate) guards: Vec<syn::Expr>,
    /// `#[throttle(...)]` on the method.
    pub(crate) throttle: Option<attr::ThrottleArgs>,
    /// `#[ordered]` on the method.
    pub(crate) ordered: bool,
}

/// A handler parameter. Whether it is an extractor or a payload is its type's business:
/// generated code leaves that to the traits (`gateway-core/src/extract/param.rs`).
pub(crate) struct Param<'a> {
    /// Its type as written.
    pub(crate) ty: &'a Type,
    /// Marked `#[extract]`: an extractor, whatever else its type is.
    pub(crate) extract: bool,
    /// The name it is bound to (`msg` in `msg: T` or `Valid(msg): Valid<T>`), for contracts.
    pub(crate) name: String,
}

/// The return type as written. Whether it is a `Result` is its type's business
/// (`gateway-core/src/ack.rs`, `kind`).
pub(crate) enum Output<'a> {
    /// `()` or none: acks `data: null`.
    Unit,
    /// Any other type.
    Typed(&'a Type),
}

/// Which of our attributes `attr` is, if any.
pub(crate) fn our_attr(attr: &Attribute) -> Option<&'static str> {
    let last = attr.path().segments.last()?;
    [SUBSCRIBE, ON_CONNECT, ON_DISCONNECT, ON_INIT, FALLBACK]
        .into_iter()
        .find(|name| last.ident == name)
}

/// `#[guard]`, `#[throttle]`, `#[ordered]` or `#[intercept]`.
fn policy_attr(attr: &Attribute) -> Option<&'static str> {
    let last = attr.path().segments.last()?;
    [GUARD, THROTTLE, ORDERED, INTERCEPT]
        .into_iter()
        .find(|name| last.ident == name)
}

/// The policy attributes of an item.
#[derive(Default)]
struct Policies {
    guards: Vec<syn::Expr>,
    throttle: Option<attr::ThrottleArgs>,
    ordered: bool,
    interceptors: Vec<syn::Expr>,
}

/// Reads the `#[guard(...)]`, `#[throttle(...)]`, `#[ordered]` and `#[intercept(...)]`
/// attributes of an item. `on_impl`: interceptors are allowed (they are gateway-wide).
fn policies(errors: &Errors, attrs: &[Attribute], on_impl: bool) -> Policies {
    let mut out = Policies::default();
    for attr in attrs {
        match policy_attr(attr) {
            Some(GUARD) => match attr.parse_args::<syn::Expr>() {
                Ok(expr) => out.guards.push(expr),
                Err(_) => errors.error_spanned_by(
                    attr,
                    "expected a guard value (an expression whose type implements `Guard`): `#[guard(ApiKey)]` or `#[guard(RequireRole(\"admin\"))]`",
                ),
            },
            Some(THROTTLE) => {
                if out.throttle.is_some() {
                    errors.error_spanned_by(attr.path(), "`#[throttle]` specified more than once");
                } else {
                    out.throttle = attr::ThrottleArgs::parse(errors, attr);
                }
            }
            Some(ORDERED) => {
                if let syn::Meta::List(list) = &attr.meta {
                    errors.push(syn::Error::new(
                        list.delimiter.span().join(),
                        "`#[ordered]` takes no arguments",
                    ));
                } else if out.ordered {
                    errors.error_spanned_by(attr.path(), "`#[ordered]` specified more than once");
                }
                out.ordered = true;
            }
            Some(_) if !on_impl => errors.error_spanned_by(
                attr.path(),
                "`#[intercept]` wraps every event of a gateway: put it on the impl block, under `#[gateway(...)]`",
            ),
            Some(_) => match attr.parse_args::<syn::Expr>() {
                Ok(expr) => out.interceptors.push(expr),
                Err(_) => errors.error_spanned_by(
                    attr,
                    "expected an interceptor value: `#[intercept(Timing)]`",
                ),
            },
            None => {}
        }
    }
    out
}

impl<'a> Gateway<'a> {
    pub(crate) fn from_syn(errors: &Errors, item: &'a ItemImpl) -> Self {
        if let Some((_, path, _)) = &item.trait_ {
            errors.error_spanned_by(
                path,
                "`#[gateway]` goes on an inherent impl block (`impl MyGateway { ... }`), not on a trait impl",
            );
        }
        if !item.generics.params.is_empty() {
            errors.error_spanned_by(&item.generics, "a gateway cannot be generic");
        }
        let self_ty = &*item.self_ty;
        let type_name = quote::quote!(#self_ty).to_string();
        let type_name = match self_ty {
            Type::Path(path) => path
                .path
                .segments
                .last()
                .map_or(type_name, |s| s.ident.to_string()),
            _ => type_name,
        };
        let policies = policies(errors, &item.attrs, true);
        let mut handlers = Vec::new();
        for impl_item in &item.items {
            match impl_item {
                ImplItem::Fn(method) => {
                    if let Some(handler) = Handler::from_syn(errors, method) {
                        handlers.push(handler);
                    }
                }
                other => {
                    // An attribute of ours on a const or type item is a mistake worth naming.
                    let attrs: &[Attribute] = match other {
                        ImplItem::Const(c) => &c.attrs,
                        ImplItem::Type(t) => &t.attrs,
                        _ => &[],
                    };
                    for attr in attrs.iter().filter(|a| our_attr(a).is_some()) {
                        errors
                            .error_spanned_by(attr, "this attribute goes on an `async fn` method");
                    }
                }
            }
        }
        Gateway {
            original: item,
            self_ty,
            type_name,
            handlers,
            guards: policies.guards,
            throttle: policies.throttle,
            ordered: policies.ordered,
            interceptors: policies.interceptors,
        }
    }
}

impl<'a> Handler<'a> {
    fn from_syn(errors: &Errors, method: &'a ImplItemFn) -> Option<Self> {
        let mut kind = None;
        for attr in &method.attrs {
            let Some(name) = our_attr(attr) else { continue };
            if kind.is_some() {
                errors.error_spanned_by(
                    attr.path(),
                    "a method takes only one of `#[subscribe]`, `#[fallback]`, `#[on_connect]`, `#[on_disconnect]`, `#[on_init]`",
                );
                continue;
            }
            kind = Some(match name {
                SUBSCRIBE => Kind::Subscribe(attr::parse_event(errors, attr)?),
                _ => {
                    if let syn::Meta::List(list) = &attr.meta {
                        errors.push(syn::Error::new(
                            list.delimiter.span().join(),
                            format!("`#[{name}]` takes no arguments"),
                        ));
                    }
                    match name {
                        ON_CONNECT => Kind::Connect,
                        ON_DISCONNECT => Kind::Disconnect,
                        FALLBACK => Kind::Fallback(
                            attr.path()
                                .segments
                                .last()
                                .map_or_else(proc_macro2::Span::call_site, |segment| {
                                    segment.ident.span()
                                }),
                        ),
                        _ => Kind::Init,
                    }
                }
            });
        }
        let policies = policies(errors, &method.attrs, false);
        let Some(kind) = kind else {
            for attr in method.attrs.iter().filter(|a| policy_attr(a).is_some()) {
                errors.error_spanned_by(attr.path(), "`#[guard]`, `#[throttle]` and `#[ordered]` go on a `#[subscribe]` or `#[fallback]` method or on the impl block");
            }
            return None;
        };
        let attr_name = kind.attr_name();
        if !kind.is_event() {
            for attr in method.attrs.iter().filter(|a| policy_attr(a).is_some()) {
                errors.error_spanned_by(
                    attr.path(),
                    format!("`#[guard]`, `#[throttle]` and `#[ordered]` apply to events; on `#[{attr_name}]` they would never run (put connection guards on the impl block)"),
                );
            }
        }
        let sig = &method.sig;

        if sig.asyncness.is_none() {
            errors.error_spanned_by(
                sig.fn_token,
                format!("`#[{attr_name}]` methods must be `async fn`"),
            );
        }
        if !sig.generics.params.is_empty() {
            errors.error_spanned_by(&sig.generics, "handlers cannot be generic");
        }
        let mut inputs = sig.inputs.iter();
        match inputs.next() {
            Some(FnArg::Receiver(receiver))
                if receiver.reference.is_some() && receiver.mutability.is_none() => {}
            Some(FnArg::Receiver(receiver)) => errors.error_spanned_by(
                receiver,
                "handlers take `&self`: one gateway instance serves every socket, so keep mutable state behind a `Mutex` or atomics",
            ),
            _ => errors.error_spanned_by(&sig.ident, "handlers take `&self` as their first parameter"),
        }

        let mut params = Vec::new();
        for input in inputs {
            let FnArg::Typed(pat_type) = input else {
                continue;
            };
            let ty = &*pat_type.ty;
            if let Type::Reference(_) | Type::ImplTrait(_) = ty {
                errors.error_spanned_by(
                    ty,
                    "handler parameters are owned types (the handler runs as a spawned task)",
                );
                continue;
            }
            let extract = pat_type.attrs.iter().find(|a| a.path().is_ident(EXTRACT));
            if let (Some(attr), Kind::Init) = (extract, &kind) {
                errors.error_spanned_by(
                    attr,
                    "`#[on_init]` methods take `SocketIo` and `Inject<T>` parameters only; `#[extract]` marks an extractor of an event or a connection",
                );
            }
            if kind.is_event() && params.len() == MAX_EVENT_PARAMS {
                errors.error_spanned_by(
                    pat_type,
                    format!("a `#[subscribe]` handler takes at most {MAX_EVENT_PARAMS} parameters after `&self`; gather payloads into a struct or a tuple"),
                );
            }
            params.push(Param {
                ty,
                extract: extract.is_some(),
                name: binding_name(&pat_type.pat).unwrap_or_else(|| format!("arg{}", params.len())),
            });
        }

        let output = match &sig.output {
            ReturnType::Default => Output::Unit,
            ReturnType::Type(_, ty) => match &**ty {
                Type::Tuple(tuple) if tuple.elems.is_empty() => Output::Unit,
                ty => Output::Typed(ty),
            },
        };
        if let (false, ReturnType::Type(_, ty)) = (
            kind.is_event() || matches!(output, Output::Unit),
            &sig.output,
        ) {
            errors.error_spanned_by(
                ty,
                format!("`#[{attr_name}]` methods return `()`; only `#[subscribe]` handlers answer with an ack"),
            );
        }

        Some(Handler {
            kind,
            method,
            params,
            output,
            guards: policies.guards,
            throttle: policies.throttle,
            ordered: policies.ordered,
        })
    }
}

/// The identifier a parameter pattern binds, looking through one tuple-struct layer.
fn binding_name(pat: &syn::Pat) -> Option<String> {
    match pat {
        syn::Pat::Ident(ident) => Some(ident.ident.to_string().trim_start_matches('_').to_owned())
            .filter(|name| !name.is_empty()),
        syn::Pat::TupleStruct(tuple) if tuple.elems.len() == 1 => binding_name(&tuple.elems[0]),
        syn::Pat::Type(typed) => binding_name(&typed.pat),
        _ => None,
    }
}

/// The `#[doc = "..."]` lines of an item.
pub(crate) fn doc_lines(attrs: &[Attribute]) -> Vec<syn::LitStr> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(doc),
                        ..
                    }),
                ..
            }) => Some(doc.clone()),
            _ => None,
        })
        .collect()
}

/// The impl block with our attributes removed, to be emitted as the user wrote it.
pub(crate) fn strip_attributes(item: &ItemImpl) -> ItemImpl {
    let mut item = item.clone();
    item.attrs.retain(|a| policy_attr(a).is_none());
    for impl_item in &mut item.items {
        match impl_item {
            ImplItem::Const(c) => c.attrs.retain(|a| our_attr(a).is_none()),
            ImplItem::Type(t) => t.attrs.retain(|a| our_attr(a).is_none()),
            _ => {}
        }
        if let ImplItem::Fn(method) = impl_item {
            let ours = method.attrs.iter().any(|a| our_attr(a).is_some());
            // Policy attributes on a method that is not a handler were reported; strip them
            // too, so the standalone `#[guard]` macro does not report them a second time.
            method
                .attrs
                .retain(|a| our_attr(a).is_none() && policy_attr(a).is_none());
            if ours {
                for input in &mut method.sig.inputs {
                    if let FnArg::Typed(pat_type) = input {
                        pat_type.attrs.retain(|a| !a.path().is_ident(EXTRACT));
                    }
                }
            }
        }
    }
    item
}

//! Code generation. It generates calls into `socketioxide_gateway::__private`, not logic: sorting
//! parameters, decoding, validation, acks and panics are handled by ordinary, tested Rust
//! in socketioxide-gateway, compiled once rather than once per handler.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{ItemImpl, Path};

use crate::attr::{AckArg, GatewayArgs, ThrottleArgs};
use crate::check;
use crate::contract;
use crate::errors::Errors;
use crate::fallback;
use crate::model::{self, Gateway, Handler, Kind, Output};

/// `#[gateway(...)]`: parse → model → check → expand; on error, the impl block unchanged
/// (minus our attributes), stub impls of the gateway traits, and every error.
pub(crate) fn gateway(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: ItemImpl = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let err = syn::Error::new(
                Span::call_site(),
                "`#[gateway]` goes on an impl block: `#[gateway(namespace = \"/chat\")] impl ChatGateway { ... }`",
            );
            let err = err.to_compile_error();
            return quote!(#err #input);
        }
    };
    let errors = Errors::new();
    let args = GatewayArgs::parse(&errors, args);
    let gateway = Gateway::from_syn(&errors, &item);
    check::check(&errors, &gateway);
    let p = private_path(&args);
    let output = match errors.check() {
        Ok(()) => expand(&p, &args, &gateway),
        Err(err) => fallback::expand(&p, &gateway, &err),
    };
    if std::env::var_os("GATEWAY_MACROS_DEBUG").is_some() {
        eprintln!("{output}");
    }
    output
}

/// `socketioxide_gateway::__private`, or the same under a renamed crate (`crate = "..."`). Every
/// path generated code names starts with it; the code calls it `p`.
fn private_path(args: &GatewayArgs) -> TokenStream {
    let krate: Path = args
        .krate
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(::socketioxide_gateway));
    quote!(#krate::__private)
}

/// A method attribute that was not consumed by `#[gateway]`.
pub(crate) fn outside_gateway(name: &str, _args: TokenStream, input: TokenStream) -> TokenStream {
    let message = match syn::parse2::<syn::Item>(input.clone()) {
        // Attribute macros expand top to bottom: above `#[gateway]`, this one ran first.
        Ok(syn::Item::Impl(item)) if item.attrs.iter().any(|a| a.path().is_ident("gateway")) => {
            if IMPL_LEVEL.contains(&name) {
                format!(
                    "`#[{name}]` must come after `#[gateway(...)]`: attributes run top to bottom, \
                     so `#[gateway]` has to see it; move it below `#[gateway(...)]`"
                )
            } else {
                format!(
                    "`#[{name}]` goes on a method of the `#[gateway]` impl block, not on the block"
                )
            }
        }
        _ if name == "intercept" => "`#[intercept]` only works on a `#[gateway]` impl block, \
             below `#[gateway(...)]`; add `#[gateway(namespace = \"/...\")]` to the impl block"
            .to_owned(),
        _ if IMPL_LEVEL.contains(&name) => format!(
            "`#[{name}]` only works inside a `#[gateway]` impl block (on the block, below \
             `#[gateway(...)]`, or on one of its methods); add `#[gateway(namespace = \"/...\")]` \
             to the impl block"
        ),
        _ => format!(
            "`#[{name}]` only works on a method inside a `#[gateway]` impl block; add \
             `#[gateway(namespace = \"/...\")]` to the impl block"
        ),
    };
    let err = syn::Error::new(Span::call_site(), message).to_compile_error();
    quote!(#err #input)
}

/// Attributes that also work on a whole `#[gateway]` impl block.
const IMPL_LEVEL: &[&str] = &["guard", "throttle", "ordered", "intercept"];

/// The impl block as written, its `Gateway` and `GatewayType` impls, and its registry entry.
fn expand(p: &TokenStream, args: &GatewayArgs, gateway: &Gateway<'_>) -> TokenStream {
    let self_ty = gateway.self_ty;
    let stripped = model::strip_attributes(gateway.original);
    let namespace = args
        .namespace
        .as_ref()
        .map_or_else(|| "/".to_owned(), syn::LitStr::value);
    let type_name = &gateway.type_name;
    let ack_mode = match args.ack {
        None => quote!(#p::Option::None),
        Some(AckArg::Envelope) => quote!(#p::Option::Some(#p::AckMode::Envelope)),
        Some(AckArg::NestJs) => quote!(#p::Option::Some(#p::AckMode::NestJs)),
    };
    let location = location(p, self_ty.span());

    let mut registrations = Vec::new();
    for guard in &gateway.guards {
        registrations
            .push(quote_spanned!(guard.span()=> ns.gateway_guard(#p::GuardRef::new(#guard));));
    }
    if let Some(throttle) = &gateway.throttle {
        let throttle = throttle_tokens(p, throttle);
        registrations.push(quote!(ns.gateway_throttle(#throttle);));
    }
    if gateway.ordered {
        registrations.push(quote!(ns.gateway_ordered();));
    }
    for interceptor in &gateway.interceptors {
        registrations.push(quote_spanned!(interceptor.span()=> ns.gateway_interceptor(#p::InterceptorRef::new(#interceptor));));
    }
    for handler in &gateway.handlers {
        registrations.push(register_handler(p, self_ty, handler));
    }
    let contract = contract::contract_fn(p, gateway, &args.emits);

    quote! {
        #stripped

        #[doc(hidden)]
        #[allow(unused_qualifications, clippy::used_underscore_binding, clippy::needless_lifetimes)]
        const _: () = {
            #[automatically_derived]
            impl #p::Gateway for #self_ty {
                fn register(this: &#p::Arc<Self>, ns: &mut #p::NamespaceBuilder<#p::DefaultAdapter>) {
                    type __A = #p::DefaultAdapter;
                    #[allow(unused_imports)]
                    use #p::{ResultKind as _, ValueKind as _};
                    #(#registrations)*
                }
            }

            #[automatically_derived]
            impl #p::GatewayType for #self_ty {
                const DESCRIPTOR: #p::GatewayDescriptor = #p::GatewayDescriptor::new::<#self_ty>(
                    #type_name,
                    #namespace,
                    #location,
                    #ack_mode,
                    __gateway_build,
                    #contract,
                );
            }

            fn __gateway_build(providers: &#p::Providers) -> #p::BuildOutcome {
                #[allow(unused_imports)]
                use #p::{ViaDefault as _, ViaInjectable as _, ViaNothing as _};
                (&&&#p::Probe::<#self_ty>::new()).__gateway_build(providers)
            }

            #p::inventory::submit! {
                <#self_ty as #p::GatewayType>::DESCRIPTOR
            }
        };
    }
}

/// `file!()`, `line!()` and `column!()` of `span`.
pub(crate) fn location(p: &TokenStream, span: Span) -> TokenStream {
    quote_spanned! {span=>
        #p::Location {
            file: ::core::file!(),
            line: ::core::line!(),
            column: ::core::column!(),
        }
    }
}

/// The parameter variables `__gw_arg0`, `__gw_arg1`, ... of a handler.
fn arg_names(handler: &Handler<'_>) -> Vec<syn::Ident> {
    (0..handler.params.len())
        .map(|i| format_ident!("__gw_arg{}", i))
        .collect()
}

/// `let (__gw_arg0, ...) = event_argsN::<__A, T0, _, ..., _, ...>(__gw_parts)?;`: one call
/// builds every parameter of a `#[subscribe]` handler, the compiler inferring for each
/// whether it is an extractor or a payload (the `_` after each type), and the payload lists
/// (the `_`s at the end).
///
/// The call is spanned from the `(` to the `)` of the handler's parameter list, and each
/// type argument at the user's type: rustc then reports a type that is neither at that
/// type (it narrows an unmet bound of a call to the generic argument it is about, when the
/// argument lies within the call).
fn event_args(p: &TokenStream, handler: &Handler<'_>, args: &[syn::Ident]) -> TokenStream {
    let params = &handler.params;
    if params.is_empty() {
        return TokenStream::new();
    }
    let parens = handler.method.sig.paren_token.span;
    let function = format_ident!("event_args{}", params.len(), span = parens.open());
    let mut generics = Vec::new();
    let mut patterns = Vec::new();
    for (param, arg) in params.iter().zip(args) {
        let ty = param.ty;
        if param.extract {
            let p = respan(p.clone(), ty.span());
            generics.push(quote_spanned!(ty.span()=> #p::Extract<#ty>, #p::ViaExtract));
            patterns.push(quote!(#p::Extract(#arg)));
        } else {
            generics.push(quote_spanned!(ty.span()=> #ty, _));
            patterns.push(quote!(#arg));
        }
    }
    let lists = params.iter().map(|_| quote_spanned!(parens.close()=> _));
    let path = respan(p.clone(), parens.open());
    let function =
        quote_spanned!(parens.open()=> #path::#function::<__A, #(#generics,)* #(#lists),*>);
    let call = quote_spanned!(parens.close()=> (__gw_parts));
    let args = or_return(p, quote!(#function #call));
    quote! {
        let (#(#patterns,)*) = #args;
    }
}

/// `match result { Ok(value) => value, Err(err) => return Err(err) }`: `result?` without
/// the `Try` impls `?` instantiates for the closure's type, once per handler.
fn or_return(p: &TokenStream, result: TokenStream) -> TokenStream {
    quote! {
        match #result {
            #p::Result::Ok(__gw_value) => __gw_value,
            #p::Result::Err(__gw_err) => return #p::Result::Err(__gw_err),
        }
    }
}

/// `tokens` with every span set to `span`.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let proc_macro2::TokenTree::Group(group) = &token {
                let mut respanned =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                token = respanned.into();
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}

/// One `let` per parameter of a hook, each through the trait of that hook, spanned at
/// the parameter's type. A hook takes extractors only, so `#[extract]` changes nothing
/// here (`Auth<T>` marked `#[extract]` is still the auth payload).
fn hook_args(p: &TokenStream, handler: &Handler<'_>, args: &[syn::Ident]) -> TokenStream {
    let lets = handler.params.iter().zip(args).map(|(param, arg)| {
        let ty = param.ty;
        let value = match handler.kind {
            Kind::Init => quote_spanned! {ty.span()=>
                <#ty as #p::FromInit<__A>>::from_init(__gw_io, __gw_providers)
            },
            Kind::Connect => quote_spanned! {ty.span()=>
                <#ty as #p::ConnectParam<__A, _>>::from_connect(__gw_parts)
            },
            _ => quote_spanned! {ty.span()=>
                <#ty as #p::DisconnectParam<__A, _>>::from_disconnect(__gw_parts)
            },
        };
        let value = or_return(p, value);
        quote!(let #arg = #value;)
    });
    quote!(#(#lets)*)
}

fn register_handler(p: &TokenStream, self_ty: &syn::Type, handler: &Handler<'_>) -> TokenStream {
    let method = &handler.method.sig.ident;
    let args = arg_names(handler);
    let prelude = match handler.kind {
        Kind::Subscribe(_) | Kind::Fallback(_) => event_args(p, handler, &args),
        _ => hook_args(p, handler, &args),
    };

    let call = quote_spanned! {method.span()=>
        <#self_ty>::#method(&*__gw_this, #(#args),*).await
    };
    // A `Result` (however its type is spelled) is passed on, any other value wrapped: the
    // type decides, through `ack::kind` in socketioxide-gateway.
    let body = match handler.output {
        Output::Unit => call,
        Output::Typed(_) => quote! {
            let __gw_out = #call;
            (&__gw_out).__gw_ack_kind().ack(__gw_out)
        },
    };

    let closure = if matches!(handler.kind, Kind::Init) {
        quote! {
            move |__gw_io: &#p::SocketIo<__A>, __gw_providers: &#p::Providers| {
                #prelude
                #p::Result::Ok(async move { #body })
            }
        }
    } else {
        quote! {
            move |__gw_parts: &mut #p::Parts<'_, __A>| {
                #prelude
                let __gw_this = <#p::Arc<Self> as ::core::clone::Clone>::clone(&__gw_this);
                #p::Result::Ok(async move { #body })
            }
        }
    };
    let closure =
        quote!({ let __gw_this = <#p::Arc<Self> as ::core::clone::Clone>::clone(this); #closure });
    // Bound errors on the return type (`IntoAck`) are reported at the registration call:
    // span it at the return type so the error lands there.
    let register_span = match handler.output {
        Output::Typed(ty) => ty.span(),
        Output::Unit => method.span(),
    };
    let (register, event, location) = match &handler.kind {
        Kind::Subscribe(event) => (
            quote_spanned!(register_span=> subscribe_with),
            quote!(#event,),
            location(p, event.span()),
        ),
        Kind::Fallback(span) => (
            quote_spanned!(register_span=> fallback_with),
            TokenStream::new(),
            location(p, *span),
        ),
        Kind::Connect => return quote!(ns.on_connect(#closure);),
        Kind::Disconnect => return quote!(ns.on_disconnect(#closure);),
        Kind::Init => return quote!(ns.on_init(#closure);),
    };
    let guards = handler
        .guards
        .iter()
        .map(|guard| quote_spanned!(guard.span()=> .guard(#p::GuardRef::new(#guard))));
    let throttle = handler.throttle.as_ref().map(|t| {
        let t = throttle_tokens(p, t);
        quote!(.throttle(#t))
    });
    let ordered = handler.ordered.then(|| quote!(.ordered()));
    let options = quote!(<#p::HandlerOptions as ::core::default::Default>::default() #(#guards)* #throttle #ordered);
    quote!(ns.#register(#event #location, #options, #closure);)
}

fn throttle_tokens(p: &TokenStream, throttle: &ThrottleArgs) -> TokenStream {
    let limit = &throttle.limit;
    let per_ms = throttle.per_ms;
    let disconnect_after = match &throttle.disconnect_after {
        Some(n) => quote!(#p::Option::Some(#n)),
        None => quote!(#p::Option::None),
    };
    quote!(#p::Throttle::new(#limit, #p::Duration::from_millis(#per_ms), #disconnect_after))
}

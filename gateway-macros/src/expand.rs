//! Code generation. It generates calls into `gateway_core::__private`, not logic: decoding,
//! validation, acks and panics are handled by ordinary, tested Rust in gateway-core.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{ItemImpl, Path};

use crate::attr::GatewayArgs;
use crate::check;
use crate::ctxt::Ctxt;
use crate::model::{self, Gateway, Handler, Kind, Output, Role};

/// `#[gateway(...)]`: parse → model → check → expand; on error, the impl block unchanged
/// (minus our attributes) plus every error.
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
    let output = match expand(args, &item) {
        Ok(tokens) => tokens,
        Err(err) => {
            let stripped = model::strip_attributes(&item);
            let err = err.to_compile_error();
            quote!(#stripped #err)
        }
    };
    if std::env::var_os("GATEWAY_MACROS_DEBUG").is_some() {
        eprintln!("{output}");
    }
    output
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

fn expand(args: TokenStream, item: &ItemImpl) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let args = GatewayArgs::parse(&cx, args);
    let gateway = Gateway::from_syn(&cx, item);
    check::check(&cx, &gateway);
    cx.check()?;

    let krate: Path = args
        .krate
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(::gateway_core));
    let p = quote!(#krate::__private);
    let self_ty = gateway.self_ty;
    let stripped = model::strip_attributes(gateway.original);
    let namespace = args
        .namespace
        .as_ref()
        .map_or_else(|| "/".to_owned(), syn::LitStr::value);
    let type_name = &gateway.type_name;
    let ack_mode = match args.nestjs {
        None => quote!(#p::Option::None),
        Some(false) => quote!(#p::Option::Some(#p::AckMode::Envelope)),
        Some(true) => quote!(#p::Option::Some(#p::AckMode::NestJs)),
    };
    let location = location(&p, item.self_ty.span());

    let mut registrations = Vec::new();
    for guard in &gateway.guards {
        registrations
            .push(quote_spanned!(guard.span()=> ns.gateway_guard(#p::GuardRef::new(#guard));));
    }
    if let Some(throttle) = &gateway.throttle {
        let throttle = throttle_tokens(&p, throttle);
        registrations.push(quote!(ns.gateway_throttle(#throttle);));
    }
    if gateway.ordered {
        registrations.push(quote!(ns.gateway_ordered();));
    }
    for interceptor in &gateway.interceptors {
        registrations.push(quote_spanned!(interceptor.span()=> ns.gateway_interceptor(#p::InterceptorRef::new(#interceptor));));
    }
    for handler in &gateway.handlers {
        registrations.push(register_handler(&p, self_ty, handler));
    }
    let contract = contract_fn(&p, &gateway, &args.emits);

    Ok(quote! {
        #stripped

        #[doc(hidden)]
        #[allow(unused_qualifications, clippy::used_underscore_binding, clippy::needless_lifetimes)]
        const _: () = {
            #[automatically_derived]
            impl #p::Gateway for #self_ty {
                fn register(this: &#p::Arc<Self>, ns: &mut #p::NamespaceBuilder<#p::DefaultAdapter>) {
                    type __A = #p::DefaultAdapter;
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
    })
}

/// `fn __gateway_contract(builder)`: records each event's shapes for the exported contracts.
/// Wrapped in gateway-core's `contract_fn!`, which gives the descriptor the function, or
/// drops it when gateway-core is built without its `contracts` feature.
fn contract_fn(p: &TokenStream, gateway: &Gateway<'_>, emits: &[syn::Type]) -> TokenStream {
    let probe =
        |ty: &dyn quote::ToTokens| quote!((&&&#p::SchemaProbe::<#ty>::new()).__gw_shape(__gw_c));
    let emits = emits.iter().map(|ty| {
        let shape = probe(ty);
        let record = quote_spanned!(ty.span()=> __gw_c.server_event::<#ty>);
        quote!({ let __gw_s = #shape; #record(__gw_s); })
    });
    let events = gateway.handlers.iter().filter_map(|handler| {
        let Kind::Subscribe(event) = &handler.kind else {
            return None;
        };
        let args = handler
            .params
            .iter()
            .filter(|param| param.role == Role::Payload)
            .map(|param| {
                let name = &param.name;
                let shape = probe(param.ty);
                quote!(__gw_args.push((#name, #shape));)
            });
        let (ack, codes) = match handler.output {
            Output::Unit => (quote!(#p::Shape::null()), quote!(&[])),
            Output::Value(ty) => (probe(ty), quote!(&[])),
            Output::Result(ty) => {
                // `Result<T, E>` as written gives T and E directly; an alias
                // (`ChatResult<T>`) goes through `ResultParts`.
                let (ok, err) = match result_args(ty) {
                    Some((ok, err)) => (quote!(#ok), quote!(#err)),
                    None => (
                        quote!(<#ty as #p::ResultParts>::Ok),
                        quote!(<#ty as #p::ResultParts>::Err),
                    ),
                };
                (
                    probe(&ok),
                    quote!((&&#p::CodesProbe::<#err>::new()).__gw_codes()),
                )
            }
        };
        let docs = model::doc_lines(&handler.method.attrs);
        Some(quote! {{
            let mut __gw_args = #p::Vec::new();
            #(#args)*
            let __gw_ack = #ack;
            __gw_c.client_event(#event, &[#(#docs),*], __gw_args, __gw_ack, #codes);
        }})
    });
    quote! {
        #p::contract_fn! {
            fn __gateway_contract(__gw_c: &mut #p::ContractBuilder) {
                #[allow(unused_imports)]
                use #p::{ViaAppError as _, ViaKnown as _, ViaNoCodes as _, ViaSchema as _, ViaUnknown as _};
                #(#emits)*
                #(#events)*
            }
        }
    }
}

/// `T` and `E` of a return type written `Result<T, E>` (any path ending in `Result`).
fn result_args(ty: &syn::Type) -> Option<(&syn::Type, &syn::Type)> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|arg| match arg {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    match (types.next(), types.next(), types.next()) {
        (Some(ok), Some(err), None) => Some((ok, err)),
        _ => None,
    }
}

fn location(p: &TokenStream, span: Span) -> TokenStream {
    quote_spanned! {span=>
        #p::Location {
            file: ::core::file!(),
            line: ::core::line!(),
            column: ::core::column!(),
        }
    }
}

fn register_handler(p: &TokenStream, self_ty: &syn::Type, handler: &Handler<'_>) -> TokenStream {
    let method = &handler.method.sig.ident;
    let mut prelude = Vec::new();
    let mut args = Vec::new();
    let is_init = matches!(handler.kind, Kind::Init);

    // Extractors, in parameter order.
    for (i, param) in handler.params.iter().enumerate() {
        let arg = format_ident!("__gw_arg{}", i);
        args.push(arg.clone());
        if param.role == Role::Payload && !is_init {
            continue;
        }
        let ty = param.ty;
        if is_init {
            prelude.push(quote_spanned! {ty.span()=>
                let #arg = <#ty as #p::FromInit<__A>>::from_init(__gw_io, __gw_providers)?;
            });
        } else {
            prelude.push(quote_spanned! {ty.span()=>
                let #arg = <#ty as #p::FromParts<__A>>::from_parts(__gw_parts)?;
            });
        }
    }

    // Payloads: the n-th payload parameter takes the n-th argument; decoded in one pass.
    let payloads: Vec<_> = handler
        .params
        .iter()
        .enumerate()
        .filter(|(_, param)| param.role == Role::Payload && !is_init)
        .collect();
    match payloads.as_slice() {
        [] => {}
        [(i, param)] => {
            let arg = &args[*i];
            let ty = param.ty;
            prelude.push(quote_spanned! {ty.span()=>
                let #arg = __gw_parts.payload_arg::<#ty>()?;
            });
        }
        many => {
            let names = many.iter().map(|(i, _)| &args[*i]);
            let types = many.iter().map(|(_, param)| param.ty);
            prelude.push(quote! {
                let (#(#names,)*) = __gw_parts.payload_args::<(#(#types,)*)>()?;
            });
        }
    }

    let call = quote_spanned! {method.span()=>
        <#self_ty>::#method(&*__gw_this, #(#args),*).await
    };
    let body = match handler.output {
        Output::Value(_) => quote!(#p::AckValue(#call)),
        Output::Result(_) | Output::Unit => call,
    };
    // Bound errors on the return type (`IntoAck`) are reported at the registration call:
    // span it at the return type so the error lands there.
    let register_span = match handler.output {
        Output::Value(ty) | Output::Result(ty) => ty.span(),
        Output::Unit => method.span(),
    };

    let closure = if is_init {
        quote! {
            move |__gw_io: &#p::SocketIo<__A>, __gw_providers: &#p::Providers| {
                #(#prelude)*
                #p::Result::Ok(async move { #body })
            }
        }
    } else {
        quote! {
            move |__gw_parts: &mut #p::Parts<'_, __A>| {
                #(#prelude)*
                let __gw_this = <#p::Arc<Self> as ::core::clone::Clone>::clone(&__gw_this);
                #p::Result::Ok(async move { #body })
            }
        }
    };
    match &handler.kind {
        Kind::Subscribe(event) => {
            let location = location(p, event.span());
            let subscribe = quote_spanned!(register_span=> subscribe_with);
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
            quote!(ns.#subscribe(#event, #location, #options, { let __gw_this = <#p::Arc<Self> as ::core::clone::Clone>::clone(this); #closure });)
        }
        Kind::Connect => {
            quote!(ns.on_connect({ let __gw_this = <#p::Arc<Self> as ::core::clone::Clone>::clone(this); #closure });)
        }
        Kind::Disconnect => {
            quote!(ns.on_disconnect({ let __gw_this = <#p::Arc<Self> as ::core::clone::Clone>::clone(this); #closure });)
        }
        Kind::Init => {
            quote!(ns.on_init({ let __gw_this = <#p::Arc<Self> as ::core::clone::Clone>::clone(this); #closure });)
        }
    }
}

fn throttle_tokens(p: &TokenStream, throttle: &crate::attr::ThrottleArgs) -> TokenStream {
    let limit = &throttle.limit;
    let per_ms = throttle.per_ms;
    let disconnect_after = match &throttle.disconnect_after {
        Some(n) => quote!(#p::Option::Some(#n)),
        None => quote!(#p::Option::None),
    };
    quote!(#p::Throttle::new(#limit, #p::Duration::from_millis(#per_ms), #disconnect_after))
}

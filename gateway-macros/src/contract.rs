//! `fn __gateway_contract(builder)`: records each event's shapes for the exported
//! contracts. Which parameters are payloads and what a return type acks are asked of the
//! types, as at runtime, through the probes of `gateway-core/src/contract/probe.rs` (which
//! never fail to compile: the handler's own code reports a bad type, once).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::{self, Gateway, Kind, Output};

pub(crate) fn contract_fn(
    p: &TokenStream,
    gateway: &Gateway<'_>,
    emits: &[syn::Type],
) -> TokenStream {
    let shape = |probe: TokenStream| quote!((&&&#probe).__gw_shape(__gw_builder));
    let emits = emits.iter().map(|ty| {
        let shape = shape(quote!(#p::SchemaProbe::<#ty>::NEW));
        let record = quote_spanned!(ty.span()=> __gw_builder.server_event::<#ty>);
        quote!({ let __gw_payload = #shape; #record(__gw_payload); })
    });
    let events = gateway.handlers.iter().filter_map(|handler| {
        let Kind::Subscribe(event) = &handler.kind else {
            return None;
        };
        // `#[extract]` parameters are extractors; the others are asked.
        let args = handler
            .params
            .iter()
            .filter(|param| !param.extract)
            .map(|param| {
                let name = &param.name;
                let ty = param.ty;
                let shape = shape(quote!(#p::SchemaProbe::<#ty>::NEW));
                quote! {
                    if (&&#p::ArgProbe::<#p::DefaultAdapter, #ty>::NEW).__gw_is_payload() {
                        __gw_args.push((#name, #shape));
                    }
                }
            });
        let ack = match handler.output {
            Output::Unit => quote! {
                let __gw_ack = #p::Shape::null();
                let __gw_codes: &'static [&'static str] = &[];
            },
            Output::Typed(ty) => {
                let shape = shape(quote!(__gw_ok));
                quote! {
                    let (__gw_ok, __gw_err) = (&&#p::AckProbe::<#ty>::NEW).__gw_ack_parts();
                    let __gw_ack = #shape;
                    let __gw_codes = (&&__gw_err).__gw_codes();
                }
            }
        };
        let docs = model::doc_lines(&handler.method.attrs);
        Some(quote! {{
            #[allow(unused_mut)]
            let mut __gw_args = #p::Vec::new();
            #(#args)*
            #ack
            __gw_builder.client_event(#event, &[#(#docs),*], __gw_args, __gw_ack, __gw_codes);
        }})
    });
    // Wrapped in socketioxide-gateway's `contract_fn!`, which gives the descriptor the function, or
    // drops it when socketioxide-gateway is built without its `contracts` feature.
    quote! {
        #p::contract_fn! {
        fn __gateway_contract(__gw_builder: &mut #p::ContractBuilder) {
            #[allow(unused_imports)]
            use #p::{
                ViaAppError as _, ViaExtractorArg as _, ViaKnown as _, ViaNoCodes as _,
                ViaPayloadArg as _, ViaResultParts as _, ViaSchema as _, ViaUnknown as _,
                ViaValueParts as _,
            };
            #(#emits)*
            #(#events)*
        }
        }
    }
}

//! `#[derive(ServerEvent)]` with `#[event("name")]`: a server-to-client event's name,
//! declared once on its payload type.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::check::{self, Direction};
use crate::ctxt::Ctxt;

pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    match expand(&input) {
        Ok(tokens) => tokens,
        Err(err) => err.to_compile_error(),
    }
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let mut name = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("event")) {
        if name.is_some() {
            cx.error_spanned_by(attr, "`#[event(...)]` specified more than once");
            continue;
        }
        match attr.parse_args::<syn::LitStr>() {
            Ok(lit) => {
                check::check_event_name(&cx, &lit, Direction::FromServer);
                name = Some(lit);
            }
            Err(_) => cx.error_spanned_by(
                attr,
                "expected the event name as a string literal: `#[event(\"new-message\")]`",
            ),
        }
    }
    if name.is_none() && !input.attrs.iter().any(|a| a.path().is_ident("event")) {
        cx.error_spanned_by(
            &input.ident,
            "a `ServerEvent` needs its name: add `#[event(\"new-message\")]` below the derive",
        );
    }
    cx.check()?;
    let Some(name) = name else {
        return Ok(TokenStream::new());
    };
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics ::gateway_core::ServerEvent for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
        }
    })
}

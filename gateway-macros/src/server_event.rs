//! `#[derive(ServerEvent)]` with `#[event("name")]`: a server-to-client event's name,
//! declared once on its payload type.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::check::{self, Direction};
use crate::errors::Errors;

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
    let errors = Errors::new();
    let mut name = None;
    let mut krate: Option<syn::Path> = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("event")) {
        if name.is_some() {
            errors.error_spanned_by(attr, "`#[event(...)]` specified more than once");
            continue;
        }
        match attr.parse_args::<EventArgs>() {
            Ok(args) => {
                check::check_event_name(&errors, &args.name, Direction::FromServer);
                name = Some(args.name);
                krate = args.krate;
            }
            Err(err) if matches!(attr.meta, syn::Meta::List(_)) => errors.push(err),
            Err(_) => errors.error_spanned_by(attr, EXPECTED_NAME),
        }
    }
    if name.is_none() && !input.attrs.iter().any(|a| a.path().is_ident("event")) {
        errors.error_spanned_by(
            &input.ident,
            "a `ServerEvent` needs its name: add `#[event(\"new-message\")]` below the derive",
        );
    }
    errors.check()?;
    let Some(name) = name else {
        return Ok(TokenStream::new());
    };
    let ident = &input.ident;
    let krate = krate.unwrap_or_else(|| syn::parse_quote!(::socketioxide_gateway));
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics #krate::ServerEvent for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
        }
    })
}

const EXPECTED_NAME: &str =
    "expected the event name as a string literal: `#[event(\"new-message\")]`";

/// `"name"` or `"name", crate = "::path"` (for a renamed `socketioxide-gateway` dependency).
struct EventArgs {
    name: syn::LitStr,
    krate: Option<syn::Path>,
}

impl syn::parse::Parse for EventArgs {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let name = input
            .parse()
            .map_err(|err| syn::Error::new(err.span(), EXPECTED_NAME))?;
        if input.is_empty() {
            return Ok(Self { name, krate: None });
        }
        input.parse::<syn::Token![,]>()?;
        input.parse::<syn::Token![crate]>()?;
        input.parse::<syn::Token![=]>()?;
        let path: syn::LitStr = input.parse()?;
        let krate = path
            .parse()
            .map_err(|_| syn::Error::new(path.span(), "expected a crate path, like `\"::gw\"`"))?;
        Ok(Self {
            name,
            krate: Some(krate),
        })
    }
}

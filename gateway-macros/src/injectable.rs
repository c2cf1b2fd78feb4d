//! `#[derive(Injectable)]`: a struct whose every field is looked up by type in the
//! app's providers.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

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
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`Injectable` can only be derived for structs",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "`Injectable` cannot be derived for generic structs",
        ));
    }
    let ident = &input.ident;
    let p = quote!(::socketioxide_gateway::__private);
    let get = |ty: &syn::Type| quote_spanned!(ty.span()=> providers.get::<#ty>()?);
    let body = match &data.fields {
        Fields::Named(fields) => {
            let inits = fields.named.iter().map(|f| {
                let name = &f.ident;
                let value = get(&f.ty);
                quote!(#name: #value)
            });
            quote!(#ident { #(#inits,)* })
        }
        Fields::Unnamed(fields) => {
            let inits = fields.unnamed.iter().map(|f| get(&f.ty));
            quote!(#ident(#(#inits,)*))
        }
        Fields::Unit => quote!(#ident),
    };
    Ok(quote! {
        #[automatically_derived]
        impl #p::Injectable for #ident {
            fn inject(providers: &#p::Providers) -> #p::Result<Self, #p::MissingProvider> {
                #p::Result::Ok(#body)
            }
        }
    })
}

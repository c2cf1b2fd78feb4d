//! The prelude's `Serialize`, `Deserialize` and `JsonSchema` derives: serde's and schemars'
//! own derives, made to work in an app that depends on the framework alone.
//!
//! serde's and schemars' derives reach their crate by name (`extern crate serde`), which
//! only a direct dependency of the app provides; without one, every derive is `E0463 can't
//! find crate for serde`. Both accept a path to the crate instead (`#[serde(crate = "...")]`),
//! but a derive cannot add an attribute to the item it is written on. So each derive here
//! emits a *mirror* of the item, inside an anonymous `const _` block: the same name,
//! generics, fields and variants, with only the attributes the real derive reads, derived
//! with the real derive pointed at the framework's copy of the crate. Then:
//!
//! - serde: the mirror is a `#[serde(remote = "self::Type")]` definition, serde's own way
//!   of deriving for a type defined elsewhere: it generates functions that (de)serialize the
//!   *user's* type by the mirror's layout, and the impls below delegate to them. Field
//!   names, renames, defaults, `with`, tags and error messages ("expected struct Say") are
//!   serde's, unchanged.
//! - schemars: a schema describes a type and never touches a value, so the mirror's schema
//!   is the type's; its name and id (module path + name) are the same too.
//!
//! Inside the block the mirror's name shadows the user's type; `self::Type` (a module
//! path, which block items are not part of) still names the user's. Field types that refer
//! to the type itself (`Vec<Tree>`, `Box<Self>`) are rewritten to `self::Type`, so a
//! recursive type recurses through the real impls.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::visit_mut::VisitMut;
use syn::{Data, DeriveInput, GenericParam, Ident};

/// The derive being expanded.
#[derive(Clone, Copy)]
pub(crate) enum Derive {
    /// `serde::Serialize`.
    Serialize,
    /// `serde::Deserialize`.
    Deserialize,
    /// `schemars::JsonSchema`.
    JsonSchema,
}

impl Derive {
    /// The attributes the real derive reads, kept on the mirror; the others (`#[validate]`,
    /// other derives' helpers, `#[repr]`...) would be unknown attributes there.
    fn reads(self, attr: &syn::Attribute) -> bool {
        let keep: &[&str] = match self {
            Derive::Serialize | Derive::Deserialize => &["doc", "serde"],
            // schemars reads serde's attributes and validator's and garde's constraints.
            Derive::JsonSchema => &["doc", "serde", "schemars", "validate", "garde"],
        };
        keep.iter().any(|name| attr.path().is_ident(name))
    }
}

pub(crate) fn derive(input: TokenStream, which: Derive) -> TokenStream {
    match syn::parse2::<DeriveInput>(input) {
        Ok(input) => expand(&input, which),
        Err(err) => err.to_compile_error(),
    }
}

fn expand(input: &DeriveInput, which: Derive) -> TokenStream {
    let private = quote!(::socketioxide_gateway::__private);
    let ident = &input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let outer: syn::Type = syn::parse_quote!(self::#ident #ty_generics);
    let mirror = mirror_of(input, which, &outer);
    let own = quote!(self::#ident);
    let remote = syn::LitStr::new(&format!("self::{ident}"), ident.span());
    let body = match which {
        Derive::Serialize => {
            let (impl_generics, where_clause) = with_bounds(
                input.generics.clone(),
                quote!(#private::serde::Serialize),
                None,
            );
            quote! {
                #[derive(#private::serde::Serialize)]
                #[serde(crate = "::socketioxide_gateway::__private::serde", remote = #remote)]
                #[allow(dead_code)]
                #mirror
                #[automatically_derived]
                impl #impl_generics #private::serde::Serialize for #own #ty_generics #where_clause {
                    fn serialize<__S>(&self, serializer: __S) -> #private::Result<__S::Ok, __S::Error>
                    where
                        __S: #private::serde::Serializer,
                    {
                        #ident::serialize(self, serializer)
                    }
                }
            }
        }
        Derive::Deserialize => {
            let de = syn::Lifetime::new("'de", Span::call_site());
            let (impl_generics, where_clause) = with_bounds(
                input.generics.clone(),
                quote!(#private::serde::Deserialize<#de>),
                Some(&de),
            );
            let default = container_default(input).then(|| mirror_default(input, &private));
            quote! {
                #[derive(#private::serde::Deserialize)]
                #[serde(crate = "::socketioxide_gateway::__private::serde", remote = #remote)]
                #[allow(dead_code)]
                #mirror
                #default
                #[automatically_derived]
                impl #impl_generics #private::serde::Deserialize<#de> for #own #ty_generics #where_clause {
                    fn deserialize<__D>(deserializer: __D) -> #private::Result<Self, __D::Error>
                    where
                        __D: #private::serde::Deserializer<#de>,
                    {
                        #ident::deserialize(deserializer)
                    }
                }
            }
        }
        Derive::JsonSchema => {
            let schemars = quote!(#private::schemars);
            let mut generics = input.generics.clone();
            if !generics.params.is_empty() {
                // The mirror's impl carries the bounds schemars inferred; ours asks for them.
                generics
                    .make_where_clause()
                    .predicates
                    .push(syn::parse_quote!(#ident #ty_generics: #schemars::JsonSchema));
            }
            let (impl_generics, _, where_clause) = generics.split_for_impl();
            quote! {
                #[derive(#schemars::JsonSchema)]
                #[schemars(crate = "::socketioxide_gateway::__private::schemars")]
                #[allow(dead_code)]
                #mirror
                #[automatically_derived]
                impl #impl_generics #schemars::JsonSchema for #own #ty_generics #where_clause {
                    fn inline_schema() -> bool {
                        <#ident #ty_generics as #schemars::JsonSchema>::inline_schema()
                    }
                    fn schema_name() -> #private::Cow<'static, str> {
                        <#ident #ty_generics as #schemars::JsonSchema>::schema_name()
                    }
                    fn schema_id() -> #private::Cow<'static, str> {
                        <#ident #ty_generics as #schemars::JsonSchema>::schema_id()
                    }
                    fn json_schema(generator: &mut #schemars::SchemaGenerator) -> #schemars::Schema {
                        <#ident #ty_generics as #schemars::JsonSchema>::json_schema(generator)
                    }
                }
            }
        }
    };
    quote! {
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            #body
        };
    }
}

/// The item as the real derive sees it: only the attributes it reads, private, and with
/// references to the item itself pointing at the user's type.
fn mirror_of(input: &DeriveInput, which: Derive, outer: &syn::Type) -> TokenStream {
    let mut mirror = input.clone();
    mirror.vis = syn::Visibility::Inherited;
    mirror.attrs.retain(|attr| which.reads(attr));
    let mut to_outer = ToOuter {
        ident: &input.ident,
        outer,
    };
    let mut fields = |fields: &mut syn::Fields| {
        for field in fields.iter_mut() {
            field.attrs.retain(|attr| which.reads(attr));
            field.vis = syn::Visibility::Inherited;
            to_outer.visit_type_mut(&mut field.ty);
        }
    };
    match &mut mirror.data {
        Data::Struct(data) => fields(&mut data.fields),
        Data::Enum(data) => {
            for variant in &mut data.variants {
                variant.attrs.retain(|attr| which.reads(attr));
                fields(&mut variant.fields);
            }
        }
        // Neither serde nor schemars derives for unions; the real derive says so.
        Data::Union(data) => {
            for field in &mut data.fields.named {
                field.attrs.retain(|attr| which.reads(attr));
            }
        }
    }
    mirror.into_token_stream()
}

/// Rewrites `Self` and the item's own name in a field type to `self::Name<..>`.
struct ToOuter<'a> {
    ident: &'a Ident,
    outer: &'a syn::Type,
}

impl VisitMut for ToOuter<'_> {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(path) = ty
            && path.qself.is_none()
            && path.path.leading_colon.is_none()
            && path.path.segments.len() == 1
        {
            let segment = &path.path.segments[0];
            if segment.ident == "Self" {
                *ty = self.outer.clone();
                return;
            }
            if segment.ident == *self.ident {
                path.path
                    .segments
                    .insert(0, Ident::new("self", segment.ident.span()).into());
            }
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

/// The impl's generics for a delegating impl: serde's default bounds (each type parameter
/// implements the trait) and, for `Deserialize`, the `'de` lifetime outliving the item's.
fn with_bounds(
    mut generics: syn::Generics,
    bound: TokenStream,
    de: Option<&syn::Lifetime>,
) -> (TokenStream, Option<syn::WhereClause>) {
    let type_params: Vec<Ident> = generics.type_params().map(|p| p.ident.clone()).collect();
    let lifetimes: Vec<syn::Lifetime> = generics.lifetimes().map(|l| l.lifetime.clone()).collect();
    let where_clause = generics.make_where_clause();
    for param in &type_params {
        where_clause
            .predicates
            .push(syn::parse_quote!(#param: #bound));
    }
    if let Some(de) = de {
        for lifetime in &lifetimes {
            where_clause
                .predicates
                .push(syn::parse_quote!(#de: #lifetime));
        }
        generics.params.insert(
            0,
            GenericParam::Lifetime(syn::LifetimeParam::new(de.clone())),
        );
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    (impl_generics.into_token_stream(), where_clause.cloned())
}

/// Whether the container has serde's bare `#[serde(default)]`.
fn container_default(input: &DeriveInput) -> bool {
    let mut found = false;
    for attr in input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("serde"))
    {
        // Anything that does not parse is left to serde, which reports it on the mirror.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            } else if meta.input.peek(syn::token::Paren) {
                meta.input.parse::<proc_macro2::Group>()?;
            } else if meta.path.is_ident("default") {
                found = true;
            }
            Ok(())
        });
    }
    found
}

/// `Default` for the mirror of a struct with `#[serde(default)]`: serde's remote derive
/// fills missing fields from the user's type's `Default` but bounds its functions on the
/// mirror's, so the mirror's default is the user's, field by field.
fn mirror_default(input: &DeriveInput, private: &TokenStream) -> TokenStream {
    let Data::Struct(data) = &input.data else {
        // serde accepts a container default only on structs; it reports the rest.
        return TokenStream::new();
    };
    let ident = &input.ident;
    let members = data.fields.members();
    let fields = members.map(|member| quote!(#member: value.#member));
    let mut generics = input.generics.clone();
    let (_, ty_generics, _) = input.generics.split_for_impl();
    generics
        .make_where_clause()
        .predicates
        .push(syn::parse_quote!(self::#ident #ty_generics: #private::Default));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        impl #impl_generics #private::Default for #ident #ty_generics #where_clause {
            fn default() -> Self {
                let value = <self::#ident #ty_generics as #private::Default>::default();
                #ident { #(#fields),* }
            }
        }
    }
}

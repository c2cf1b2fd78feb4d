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
//! - serde: the mirror has a hidden name and `#[serde(remote = "Type", rename = "Type")]`,
//!   serde's own way of deriving for a type defined elsewhere: it generates functions that
//!   (de)serialize the *user's* type by the mirror's layout, and the impls below delegate
//!   to them. Field names, renames, defaults, `with`, tags and error messages ("expected
//!   struct Say") are serde's, unchanged, and since the type is named by its plain name,
//!   a type local to a function body works too.
//! - schemars: a schema describes a type and never touches a value, so the mirror's schema
//!   is the type's. This mirror keeps the type's name (schemars' schema name and id come
//!   from it), shadowing the type inside the block; a hidden type alias beside the item
//!   (`__socketioxide_gateway_schema_Type`) names the user's type in there, for the impl.
//!
//! Field types that refer to the type itself (`Vec<Tree>`, `Box<Self>`) are rewritten to
//! the user's type, so a recursive type recurses through the real impls.

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
    let tag = match which {
        Derive::Serialize => "ser",
        Derive::Deserialize => "de",
        Derive::JsonSchema => "schema",
    };
    let hidden = quote::format_ident!("__socketioxide_gateway_{tag}_{ident}");
    // serde's mirror takes the hidden name, and the user's type is its remote, by its own
    // name: serde's messages ("expected struct Say") and calls (`Say(..)` for a tuple struct,
    // which no alias could stand for) name the type itself, and `rename` gives serde the
    // type's name for the formats that see it. schemars' mirror shadows the type, for its
    // name and id, and reaches the type through an alias.
    let shadow = matches!(which, Derive::JsonSchema);
    let (mirror_ident, own, alias) = if shadow {
        (ident.clone(), hidden.clone(), alias_of(input, &hidden))
    } else {
        (hidden, ident.clone(), TokenStream::new())
    };
    let outer: syn::Type = syn::parse_quote!(#own #ty_generics);
    let mut mirror = mirror_of(input, which, &own, &outer);
    if !shadow {
        mirror.ident = mirror_ident.clone();
        if !container_has(input, "rename", true) {
            let name = syn::LitStr::new(&ident.to_string(), ident.span());
            mirror
                .attrs
                .push(syn::parse_quote!(#[serde(rename = #name)]));
        }
    }
    let remote = syn::LitStr::new(&own.to_string(), ident.span());
    // Both derives read a container `#[serde(default)]` from the mirror's `Default`.
    let default = (!matches!(which, Derive::Serialize) && container_has(input, "default", false))
        .then(|| mirror_default(input, &mirror_ident, &outer, &private));
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
                        #mirror_ident::serialize(self, serializer)
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
                        #mirror_ident::deserialize(deserializer)
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
                #default
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
        #alias
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            #body
        };
    }
}

/// `type __socketioxide_gateway_de_Type<'a, T, const N: usize> = Type<'a, T, N>;`: the user's
/// type under a name the mirror does not shadow.
fn alias_of(input: &DeriveInput, alias: &Ident) -> TokenStream {
    let ident = &input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    // The parameters without bounds or defaults (an alias enforces neither).
    let params = input.generics.params.iter().map(|param| match param {
        GenericParam::Lifetime(l) => l.lifetime.to_token_stream(),
        GenericParam::Type(t) => t.ident.to_token_stream(),
        GenericParam::Const(c) => {
            let (name, ty) = (&c.ident, &c.ty);
            quote!(const #name: #ty)
        }
    });
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        type #alias<#(#params),*> = #ident #ty_generics;
    }
}

/// The item as the real derive sees it: only the attributes it reads, private, and with
/// references to the item itself pointing at the user's type.
fn mirror_of(input: &DeriveInput, which: Derive, own: &Ident, outer: &syn::Type) -> DeriveInput {
    let mut mirror = input.clone();
    mirror.vis = syn::Visibility::Inherited;
    mirror.attrs.retain(|attr| which.reads(attr));
    let mut to_outer = ToOuter {
        ident: &input.ident,
        own,
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
    mirror
}

/// Rewrites `Self` and the item's own name in a field type to the alias of the user's type.
struct ToOuter<'a> {
    ident: &'a Ident,
    /// The alias.
    own: &'a Ident,
    /// The alias with the item's generics, for `Self`.
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
            if segment.ident == "Self" && segment.arguments.is_none() {
                *ty = self.outer.clone();
                return;
            }
            if segment.ident == *self.ident {
                path.path.segments[0].ident = self.own.clone();
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

/// Whether the container has serde's `#[serde(key)]`, or with `any_form` also
/// `#[serde(key = ...)]` or `#[serde(key(...))]`.
fn container_has(input: &DeriveInput, key: &str, any_form: bool) -> bool {
    let mut found = false;
    for attr in input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("serde"))
    {
        // Anything that does not parse is left to serde, which reports it on the mirror.
        let _ = attr.parse_nested_meta(|meta| {
            let bare = !meta.input.peek(syn::Token![=]) && !meta.input.peek(syn::token::Paren);
            found |= meta.path.is_ident(key) && (bare || any_form);
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            } else if meta.input.peek(syn::token::Paren) {
                meta.input.parse::<proc_macro2::Group>()?;
            }
            Ok(())
        });
    }
    found
}

/// `Default` for the mirror of a struct with `#[serde(default)]`: serde's remote derive
/// fills missing fields from the user's type's `Default` but bounds its functions on the
/// mirror's, so the mirror's default is the user's, field by field.
fn mirror_default(
    input: &DeriveInput,
    mirror: &Ident,
    outer: &syn::Type,
    private: &TokenStream,
) -> TokenStream {
    let Data::Struct(data) = &input.data else {
        // serde accepts a container default only on structs; it reports the rest.
        return TokenStream::new();
    };
    let members = data.fields.members();
    let fields = members.map(|member| quote!(#member: value.#member));
    let mut generics = input.generics.clone();
    generics
        .make_where_clause()
        .predicates
        .push(syn::parse_quote!(#outer: #private::Default));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        impl #impl_generics #private::Default for #mirror #ty_generics #where_clause {
            fn default() -> Self {
                let value = <#outer as #private::Default>::default();
                #mirror { #(#fields),* }
            }
        }
    }
}

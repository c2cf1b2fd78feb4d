//! What `#[gateway]` emits when it reports errors: the impl block as written (minus our
//! attributes, so the IDE keeps working), the errors, and stub impls of `Gateway` and
//! `GatewayType` for the gateway type, so that code naming it
//! (`GatewayApp::new().link::<ChatGateway>()`) does not add errors of its own: one
//! mistake, one error. The stubs never run: the crate does not compile.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Type;

use crate::expand::location;
use crate::model::{self, Gateway};

pub(crate) fn expand(p: &TokenStream, gateway: &Gateway<'_>, err: &syn::Error) -> TokenStream {
    let stripped = model::strip_attributes(gateway.original);
    let err = err.to_compile_error();
    let stubs = stubs(p, gateway);
    quote!(#stripped #err #stubs)
}

/// Stub impls, for a gateway type they can be written for: an inherent, non-generic impl
/// of a named type (the errors about the others say so).
fn stubs(p: &TokenStream, gateway: &Gateway<'_>) -> TokenStream {
    let item = gateway.original;
    if item.trait_.is_some() || !item.generics.params.is_empty() {
        return TokenStream::new();
    }
    let Type::Path(_) = gateway.self_ty else {
        return TokenStream::new();
    };
    let self_ty = gateway.self_ty;
    let type_name = &gateway.type_name;
    let location = location(p, proc_macro2::Span::call_site());
    quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications)]
        const _: () = {
            #[automatically_derived]
            impl #p::Gateway for #self_ty {
                fn register(_: &#p::Arc<Self>, _: &mut #p::NamespaceBuilder<#p::DefaultAdapter>) {
                    ::core::unreachable!()
                }
            }

            #[automatically_derived]
            impl #p::GatewayType for #self_ty {
                const DESCRIPTOR: #p::GatewayDescriptor = #p::GatewayDescriptor::new::<#self_ty>(
                    #type_name,
                    "/",
                    #location,
                    #p::Option::None,
                    __gateway_build,
                    #p::contract_fn! {
                        fn __gateway_contract(_: &mut #p::ContractBuilder) {
                            ::core::unreachable!()
                        }
                    },
                );
            }

            fn __gateway_build(_: &#p::Providers) -> #p::BuildOutcome {
                ::core::unreachable!()
            }
        };
    }
}

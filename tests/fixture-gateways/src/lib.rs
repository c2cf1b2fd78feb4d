//! A gateway defined in a library crate, as a team splits its app into crates.
//!
//! Two things are tested with it: the explicit way to pull a library's gateways into an
//! app (`GatewayApp::link::<LibGateway>()`), and macro hygiene: this crate depends on
//! `socketioxide-gateway` under another name (`gw`, hence `crate = "::gw"`) and the module below
//! has no implicit prelude, so generated code must spell every path absolutely.

pub mod hygiene {
    //! A gateway compiled without the implicit prelude.
    #![no_implicit_prelude]

    /// The library's gateway: `lib:whoami` acks the crate it lives in.
    #[derive(::std::default::Default)]
    pub struct LibGateway;

    /// A server event, named once on its type.
    #[derive(::serde::Serialize, ::gw::ServerEvent)]
    #[event("lib:hello", crate = "::gw")]
    pub struct Hello {
        /// Who says hello.
        pub from: ::std::string::String,
    }

    #[::gw::gateway(namespace = "/lib", crate = "::gw", emits(Hello))]
    impl LibGateway {
        #[subscribe("lib:whoami")]
        async fn whoami(&self, socket: ::gw::SocketRef) -> ::std::string::String {
            let _ = &socket;
            <str as ::std::borrow::ToOwned>::to_owned("fixture-gateways")
        }

        #[subscribe("lib:add")]
        async fn add(&self, a: i64, b: i64) -> ::std::result::Result<i64, ::gw::WsError> {
            a.checked_add(b)
                .ok_or_else(|| ::gw::WsError::new("overflow", "the sum does not fit in an i64"))
        }
    }
}

pub use hygiene::LibGateway;

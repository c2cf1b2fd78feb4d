//! Gateways defined in a library crate.

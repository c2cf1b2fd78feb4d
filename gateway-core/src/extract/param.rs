//! How a handler parameter gets its value, decided by the traits of its type.
//!
//! The macro does not know what a type is: it passes every parameter type to a trait with
//! a *marker* type parameter ([`ViaParts`], [`ViaPayload`], ...) left for the compiler to
//! infer, and each marker has one blanket impl (an extractor is `FromParts`, a payload is
//! `Payload`). There is one such trait per kind of handler, so a parameter that is not
//! available there fails on the trait of that handler, with its message, at its type:
//! [`EventParam`] for `#[subscribe]`, `ConnectParam` and `DisconnectParam` for the hooks
//! (`hooks.rs`), `FromInit` for `#[on_init]` (`init.rs`).
//!
//! Everything here compiles to nothing of its own: the methods are `#[inline(always)]`
//! moves, so a handler costs what the extractors and the payload decoding cost.

use socketioxide::adapter::Adapter;

use super::{FromParts, Parts, Payload};
use crate::error::WsError;

/// Marker: the parameter is an extractor (`FromParts`).
#[doc(hidden)]
#[derive(Debug)]
pub struct ViaParts;

/// Marker: the parameter is a payload (`Payload`).
#[doc(hidden)]
#[derive(Debug)]
pub struct ViaPayload;

/// Marker: the parameter is marked `#[extract]`; generated code wraps its type in
/// [`Extract`] and names this marker, so the compiler's message is `FromParts`'s.
#[doc(hidden)]
#[derive(Debug)]
pub struct ViaExtract;

/// A parameter marked `#[extract]`, as generated code passes it.
#[doc(hidden)]
#[derive(Debug)]
pub struct Extract<T>(pub T);

/// A parameter of a `#[subscribe]` handler: an extractor or a payload.
///
/// Extractors run first, in parameter order (each parameter's [`Early`] value); then the
/// payloads are decoded together, in one pass over the event's arguments, from the list
/// [`List`](Self::List) the parameters build, back to front (`Rest` is the list of the
/// parameters after this one); then each parameter takes its value
/// ([`finish`](Self::finish)).
///
/// The list is a trait parameter and an associated type, not a generic associated type,
/// so that `event_argsN` needs no bound on a projection: with one, rustc reports a bad
/// parameter at the whole call instead of at its type.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of a `#[subscribe]` handler",
    label = "neither a payload nor an extractor",
    note = "a payload is any `serde::Deserialize` type, `Valid<T>` (with `T: Deserialize + validator::Validate`), `bytes::Bytes` or `Args`; an extractor is `SocketRef`, `SocketIo`, `Inject<T>`, `Claims<C>`, or your own type implementing `socketioxide_gateway::extract::FromParts`",
    note = "`Auth<T>` is only available in `#[on_connect]` methods, `DisconnectReason` only in `#[on_disconnect]` methods",
    note = "see the guide, chapter \"Handlers and extractors\""
)]
pub trait EventParam<A: Adapter, M, Rest>: Sized {
    /// What the parameter holds before the payloads are decoded: [`Got`] (the extractor's
    /// value) or [`Later`] (a payload). It does not depend on a payload's type, so the
    /// extractors of all handlers with the same extractors in the same places run in one
    /// compiled function.
    type Early: Early<A>;
    /// `Rest` with this parameter's payload in front (a payload), or `Rest` (an extractor).
    type List;
    /// The parameter's value, and the payloads left for the next parameters.
    fn finish(early: Self::Early, list: Self::List) -> (Self, Rest);
}

/// What runs before the payloads are decoded; tuples of them run in order.
#[doc(hidden)]
pub trait Early<A: Adapter>: Sized {
    /// Runs the extractor (nothing for a payload).
    fn early(parts: &mut Parts<'_, A>) -> Result<Self, WsError>;
}

/// An extractor's value, built before the payloads are decoded.
#[doc(hidden)]
#[derive(Debug)]
pub struct Got<T>(T);

/// A payload's place: its value comes from the decoded list.
#[doc(hidden)]
#[derive(Debug)]
pub struct Later;

impl<A: Adapter, T: FromParts<A>> Early<A> for Got<T> {
    fn early(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        match T::from_parts(parts) {
            Ok(value) => Ok(Got(value)),
            Err(err) => Err(err),
        }
    }
}

impl<A: Adapter> Early<A> for Later {
    #[inline(always)]
    fn early(_: &mut Parts<'_, A>) -> Result<Self, WsError> {
        Ok(Later)
    }
}

/// The early values of a handler's parameters, in parameter order.
macro_rules! early_tuple {
    ($($E:ident $e:ident),+) => {
        impl<A: Adapter, $($E: Early<A>),+> Early<A> for ($($E,)+) {
            fn early(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
                $(let $e = match $E::early(parts) {
                    Ok(early) => early,
                    Err(err) => return Err(err),
                };)+
                Ok(($($e,)+))
            }
        }
    };
}

early_tuple!(E0 e0);
early_tuple!(E0 e0, E1 e1);
early_tuple!(E0 e0, E1 e1, E2 e2);
early_tuple!(E0 e0, E1 e1, E2 e2, E3 e3);
early_tuple!(E0 e0, E1 e1, E2 e2, E3 e3, E4 e4);
early_tuple!(E0 e0, E1 e1, E2 e2, E3 e3, E4 e4, E5 e5);
early_tuple!(E0 e0, E1 e1, E2 e2, E3 e3, E4 e4, E5 e5, E6 e6);
early_tuple!(E0 e0, E1 e1, E2 e2, E3 e3, E4 e4, E5 e5, E6 e6, E7 e7);
early_tuple!(E0 e0, E1 e1, E2 e2, E3 e3, E4 e4, E5 e5, E6 e6, E7 e7, E8 e8);
early_tuple!(E0 e0, E1 e1, E2 e2, E3 e3, E4 e4, E5 e5, E6 e6, E7 e7, E8 e8, E9 e9);
early_tuple!(E0 e0, E1 e1, E2 e2, E3 e3, E4 e4, E5 e5, E6 e6, E7 e7, E8 e8, E9 e9, E10 e10);
early_tuple!(E0 e0, E1 e1, E2 e2, E3 e3, E4 e4, E5 e5, E6 e6, E7 e7, E8 e8, E9 e9, E10 e10,
    E11 e11);

/// A type-level list of payload parameters, `Cons<P0, Cons<P1, Nil>>`: what
/// [`EventParam::List`] builds, decoded by `PayloadList` (see `event_args.rs`).
#[doc(hidden)]
#[derive(Debug)]
pub struct Cons<P, Rest>(pub P, pub Rest);

/// The end of a [`Cons`] list.
#[doc(hidden)]
#[derive(Debug)]
pub struct Nil;

impl<A: Adapter, T: FromParts<A>, Rest> EventParam<A, ViaParts, Rest> for T {
    type Early = Got<T>;
    type List = Rest;
    #[inline(always)]
    fn finish(early: Got<T>, list: Rest) -> (T, Rest) {
        (early.0, list)
    }
}

impl<A: Adapter, T: FromParts<A>, Rest> EventParam<A, ViaExtract, Rest> for Extract<T> {
    type Early = Got<T>;
    type List = Rest;
    #[inline(always)]
    fn finish(early: Got<T>, list: Rest) -> (Self, Rest) {
        (Extract(early.0), list)
    }
}

impl<A: Adapter, T: Payload, Rest> EventParam<A, ViaPayload, Rest> for T {
    type Early = Later;
    type List = Cons<T, Rest>;
    #[inline(always)]
    fn finish(_: Later, list: Cons<T, Rest>) -> (T, Rest) {
        (list.0, list.1)
    }
}

//! The parameters of a `#[subscribe]` handler, built in one call: `event_argsN` for a
//! handler with `N` parameters after `&self`.
//!
//! Generated code calls `event_args2::<__A, SocketRef, _, Msg, _, _, _>(parts)`, leaving
//! the markers and the payload lists to the compiler (see `param.rs`). It runs the extractors in parameter order,
//! then decodes every payload parameter in one pass over the event's arguments, exactly
//! as socketioxide's `TryData` does: one payload parameter takes the first argument (a
//! tuple type takes them all), several take one argument each, in order.

use socketioxide::adapter::Adapter;

use super::param::{Cons, Early, EventParam, Nil};
use super::{Parts, Payload};
use crate::error::WsError;

/// The payload parameters of a handler, decoded together; implemented for as many as a
/// handler has parameters, so it always holds.
#[doc(hidden)]
pub trait PayloadList<A: Adapter>: Sized {
    /// Decodes the event's arguments (not touched when there are no payloads).
    fn decode(parts: &mut Parts<'_, A>) -> Result<Self, WsError>;
}

impl<A: Adapter> PayloadList<A> for Nil {
    #[inline(always)]
    fn decode(_: &mut Parts<'_, A>) -> Result<Self, WsError> {
        Ok(Nil)
    }
}

/// `expr?` without the `Try` impls `?` instantiates for each type: every function here is
/// compiled once per handler, so it keeps to plain `match`es.
macro_rules! take {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(err) => return Err(err),
        }
    };
}

/// One payload parameter: the first argument, or all of them for a tuple type.
impl<A: Adapter, P0: Payload> PayloadList<A> for Cons<P0, Nil> {
    fn decode(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
        match parts.payload::<P0::Raw>() {
            Ok(raw) => Ok(Cons(take!(P0::from_raw(raw)), Nil)),
            Err(err) => Err(err),
        }
    }
}

/// `Cons<P0, Cons<P1, Nil>>` for `cons![P0, P1]`.
macro_rules! cons {
    () => { Nil };
    ($head:ident $(, $tail:ident)*) => { Cons<$head, cons![$($tail),*]> };
}

/// Several payload parameters: one argument each, decoded as a tuple.
macro_rules! payload_list {
    ($($P:ident . $index:tt),+) => {
        impl<A: Adapter, $($P: Payload),+> PayloadList<A> for cons![$($P),+] {
            fn decode(parts: &mut Parts<'_, A>) -> Result<Self, WsError> {
                let raw = take!(parts.payload::<($($P::Raw,)+)>());
                Ok(payload_list!(@build raw; $($P . $index),+))
            }
        }
    };
    (@build $raw:ident; $P:ident . $index:tt $(, $rest:ident . $rest_index:tt)*) => {
        Cons(take!($P::from_raw($raw.$index)), payload_list!(@build $raw; $($rest . $rest_index),*))
    };
    (@build $raw:ident; ) => { Nil };
}

payload_list!(P0.0, P1.1);
payload_list!(P0.0, P1.1, P2.2);
payload_list!(P0.0, P1.1, P2.2, P3.3);
payload_list!(P0.0, P1.1, P2.2, P3.3, P4.4);
payload_list!(P0.0, P1.1, P2.2, P3.3, P4.4, P5.5);
payload_list!(P0.0, P1.1, P2.2, P3.3, P4.4, P5.5, P6.6);
payload_list!(P0.0, P1.1, P2.2, P3.3, P4.4, P5.5, P6.6, P7.7);
payload_list!(P0.0, P1.1, P2.2, P3.3, P4.4, P5.5, P6.6, P7.7, P8.8);
payload_list!(P0.0, P1.1, P2.2, P3.3, P4.4, P5.5, P6.6, P7.7, P8.8, P9.9);
payload_list!(
    P0.0, P1.1, P2.2, P3.3, P4.4, P5.5, P6.6, P7.7, P8.8, P9.9, P10.10
);
payload_list!(
    P0.0, P1.1, P2.2, P3.3, P4.4, P5.5, P6.6, P7.7, P8.8, P9.9, P10.10, P11.11
);

/// `event_argsN`, for parameters `P0 M0 L0 N0 e0 v0, ...`: `Mi` is parameter `i`'s marker,
/// `Li` the payload list of parameters `i..`, `Ni` that of the next ones (`Nil` after the
/// last), `ei` and `vi` its early value and value.
macro_rules! event_args {
    ($name:ident: $($P:ident $M:ident $L:ident $next:ident $early:ident $value:ident),+) => {
        /// The handler's parameters, in order. Generated code calls it.
        #[doc(hidden)]
        #[allow(clippy::type_complexity)]
        pub fn $name<A: Adapter, $($P, $M,)+ $($L),+>(
            parts: &mut Parts<'_, A>,
        ) -> Result<($($P,)+), WsError>
        where
            $($P: EventParam<A, $M, $next, List = $L>,)+
            L0: PayloadList<A>,
        {
            let ($($early,)+) = take!(
                <($(<$P as EventParam<A, $M, $next>>::Early,)+) as Early<A>>::early(parts)
            );
            let list = take!(L0::decode(parts));
            $(let ($value, list) = <$P as EventParam<A, $M, $next>>::finish($early, list);)+
            let Nil = list;
            Ok(($($value,)+))
        }
    };
}

event_args!(event_args1: P0 M0 L0 Nil e0 v0);
event_args!(event_args2: P0 M0 L0 L1 e0 v0, P1 M1 L1 Nil e1 v1);
event_args!(event_args3: P0 M0 L0 L1 e0 v0, P1 M1 L1 L2 e1 v1, P2 M2 L2 Nil e2 v2);
event_args!(event_args4: P0 M0 L0 L1 e0 v0, P1 M1 L1 L2 e1 v1, P2 M2 L2 L3 e2 v2, P3 M3 L3 Nil e3 v3);
event_args!(event_args5: P0 M0 L0 L1 e0 v0, P1 M1 L1 L2 e1 v1, P2 M2 L2 L3 e2 v2, P3 M3 L3 L4 e3 v3, P4 M4 L4 Nil e4 v4);
event_args!(event_args6: P0 M0 L0 L1 e0 v0, P1 M1 L1 L2 e1 v1, P2 M2 L2 L3 e2 v2, P3 M3 L3 L4 e3 v3, P4 M4 L4 L5 e4 v4, P5 M5 L5 Nil e5 v5);
event_args!(event_args7: P0 M0 L0 L1 e0 v0, P1 M1 L1 L2 e1 v1, P2 M2 L2 L3 e2 v2, P3 M3 L3 L4 e3 v3, P4 M4 L4 L5 e4 v4, P5 M5 L5 L6 e5 v5, P6 M6 L6 Nil e6 v6);
event_args!(event_args8: P0 M0 L0 L1 e0 v0, P1 M1 L1 L2 e1 v1, P2 M2 L2 L3 e2 v2, P3 M3 L3 L4 e3 v3, P4 M4 L4 L5 e4 v4, P5 M5 L5 L6 e5 v5, P6 M6 L6 L7 e6 v6, P7 M7 L7 Nil e7 v7);
event_args!(event_args9: P0 M0 L0 L1 e0 v0, P1 M1 L1 L2 e1 v1, P2 M2 L2 L3 e2 v2, P3 M3 L3 L4 e3 v3, P4 M4 L4 L5 e4 v4, P5 M5 L5 L6 e5 v5, P6 M6 L6 L7 e6 v6, P7 M7 L7 L8 e7 v7, P8 M8 L8 Nil e8 v8);
event_args!(event_args10: P0 M0 L0 L1 e0 v0, P1 M1 L1 L2 e1 v1, P2 M2 L2 L3 e2 v2, P3 M3 L3 L4 e3 v3, P4 M4 L4 L5 e4 v4, P5 M5 L5 L6 e5 v5, P6 M6 L6 L7 e6 v6, P7 M7 L7 L8 e7 v7, P8 M8 L8 L9 e8 v8, P9 M9 L9 Nil e9 v9);
event_args!(event_args11: P0 M0 L0 L1 e0 v0, P1 M1 L1 L2 e1 v1, P2 M2 L2 L3 e2 v2, P3 M3 L3 L4 e3 v3, P4 M4 L4 L5 e4 v4, P5 M5 L5 L6 e5 v5, P6 M6 L6 L7 e6 v6, P7 M7 L7 L8 e7 v7, P8 M8 L8 L9 e8 v8, P9 M9 L9 L10 e9 v9, P10 M10 L10 Nil e10 v10);
event_args!(event_args12: P0 M0 L0 L1 e0 v0, P1 M1 L1 L2 e1 v1, P2 M2 L2 L3 e2 v2, P3 M3 L3 L4 e3 v3, P4 M4 L4 L5 e4 v4, P5 M5 L5 L6 e5 v5, P6 M6 L6 L7 e6 v6, P7 M7 L7 L8 e7 v7, P8 M8 L8 L9 e8 v8, P9 M9 L9 L10 e9 v9, P10 M10 L10 L11 e10 v10, P11 M11 L11 Nil e11 v11);

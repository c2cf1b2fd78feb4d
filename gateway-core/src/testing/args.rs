//! What an emit or an ack of the test client can take as its positional arguments.

use bytes::Bytes;
use serde_json::Value;

use crate::extract::Arg;

/// Values usable as the positional arguments of an emit or an ack.
///
/// A [`serde_json::Value`] is always *one* argument (a JSON array is sent as a single array
/// argument); use a tuple or a `Vec<Arg>` for several arguments.
pub trait IntoArgs {
    /// Converts into the list of positional arguments.
    fn into_args(self) -> Vec<Arg>;
}

impl IntoArgs for () {
    fn into_args(self) -> Vec<Arg> {
        Vec::new()
    }
}

impl IntoArgs for Vec<Arg> {
    fn into_args(self) -> Vec<Arg> {
        self
    }
}

/// A single value is one argument (a JSON array too).
macro_rules! single_into_args {
    ($($t:ty),*) => {$(
        impl IntoArgs for $t {
            fn into_args(self) -> Vec<Arg> {
                vec![Arg::from(self)]
            }
        }
    )*};
}
single_into_args!(
    Arg, Value, Bytes, &str, String, bool, i32, i64, u32, u64, usize, f32, f64
);

/// A tuple is one argument per element.
macro_rules! tuple_into_args {
    ($($name:ident),+) => {
        impl<$($name: Into<Arg>),+> IntoArgs for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_args(self) -> Vec<Arg> {
                let ($($name,)+) = self;
                vec![$($name.into()),+]
            }
        }
    };
}
tuple_into_args!(A);
tuple_into_args!(A, B);
tuple_into_args!(A, B, C);
tuple_into_args!(A, B, C, D);

//! The parameters of a dynamic namespace (`#[gateway(namespace = "/tenant/{tenant}")]`):
//! [`NsParams<T>`], what handlers, hooks and guards read them as; [`MatchedParams`], the
//! socket's copy, matched once when it connects; and their decoding into `T`.
//!
//! The decoding is written here because no crate decodes a list of named strings into any
//! `Deserialize` type (axum's `Path` does, but only from an HTTP request): a struct reads
//! them by name, a tuple in order, a lone value (`String`, `u32`, an enum) the one
//! parameter; numbers and booleans are parsed from the text.

use std::fmt;
use std::sync::Arc;

use serde::de::value::{Error as DeError, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use socketioxide::extensions::Extensions;

use crate::error::WsError;

/// The matched parameters of the socket's dynamic namespace, decoded as `T`:
/// `NsParams<Tenant>` with `struct Tenant { tenant: String }` for
/// `#[gateway(namespace = "/tenant/{tenant}")]` and a client on `/tenant/acme`.
///
/// `T` is a struct (parameters by name), a tuple (in order) or, for one parameter, a lone
/// value (`NsParams<String>`, `NsParams<u32>`). A parameter that does not parse into its
/// field's type is `bad_payload` (an event's ack, or a guard's refusal: `connect_error`);
/// on a static namespace it is `internal`. In a connection guard, read them with
/// [`GuardContext::ns_params`](crate::guard::GuardContext::ns_params).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsParams<T>(pub T);

/// The parameters of a socket's dynamic namespace, by name, in the pattern's order; kept in
/// the socket's extensions from its connection on.
#[derive(Debug, Clone)]
pub(crate) struct MatchedParams(pub(crate) Arc<[(Box<str>, Box<str>)]>);

impl MatchedParams {
    /// The parameters decoded as `T`.
    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T, WsError> {
        T::deserialize(ParamsDeserializer(&self.0)).map_err(|err| {
            WsError::bad_payload(format!("the namespace parameters do not decode: {err}"))
        })
    }
}

/// The socket's namespace parameters, decoded as `T`, from its extensions.
pub(crate) fn from_extensions<T: DeserializeOwned>(extensions: &Extensions) -> Result<T, WsError> {
    match extensions.get::<MatchedParams>() {
        Some(params) => params.decode(),
        None => {
            tracing::warn!("NsParams read on a namespace without parameters");
            Err(WsError::internal())
        }
    }
}

/// The parameters as a map (structs), a sequence (tuples) or their one value.
struct ParamsDeserializer<'a>(&'a [(Box<str>, Box<str>)]);

impl<'a> ParamsDeserializer<'a> {
    fn values(&self) -> impl Iterator<Item = Param<'a>> + 'a {
        self.0.iter().map(|(name, value)| Param { name, value })
    }

    /// The one parameter, for a lone value.
    fn single(&self) -> Result<Param<'a>, DeError> {
        match self.0 {
            [(name, value)] => Ok(Param { name, value }),
            _ => Err(de::Error::custom(format_args!(
                "{} parameters cannot be read as one value: use a struct or a tuple",
                self.0.len()
            ))),
        }
    }
}

/// Forwards each listed method to the one parameter's deserializer.
macro_rules! to_single {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.single()?.$method(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for ParamsDeserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let entries = self.values().map(|param| (param.name, param));
        visitor.visit_map(MapDeserializer::new(entries))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_seq(SeqDeserializer::new(self.values()))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.single()?.deserialize_enum(name, variants, visitor)
    }

    to_single!(
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_option
        deserialize_unit deserialize_identifier
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

/// One parameter: text, parsed into numbers and booleans where the type asks.
#[derive(Clone, Copy)]
struct Param<'a> {
    name: &'a str,
    value: &'a str,
}

impl Param<'_> {
    /// `value` parsed as `T`; the error names the parameter, never its value.
    fn parse<T: std::str::FromStr>(self, what: &str) -> Result<T, DeError> {
        self.value
            .parse()
            .map_err(|_| de::Error::custom(format_args!("parameter `{}` is not {what}", self.name)))
    }
}

/// Parses the text into the listed type and hands it to the visitor.
macro_rules! parsed {
    ($($method:ident => $visit:ident, $ty:ty, $what:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            visitor.$visit(self.parse::<$ty>($what)?)
        }
    )*};
}

impl<'de> Deserializer<'de> for Param<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_borrowed_str(self.value)
    }

    parsed!(
        deserialize_bool => visit_bool, bool, "`true` or `false`";
        deserialize_i8 => visit_i8, i8, "an integer (i8)";
        deserialize_i16 => visit_i16, i16, "an integer (i16)";
        deserialize_i32 => visit_i32, i32, "an integer (i32)";
        deserialize_i64 => visit_i64, i64, "an integer (i64)";
        deserialize_i128 => visit_i128, i128, "an integer (i128)";
        deserialize_u8 => visit_u8, u8, "an integer (u8)";
        deserialize_u16 => visit_u16, u16, "an integer (u16)";
        deserialize_u32 => visit_u32, u32, "an integer (u32)";
        deserialize_u64 => visit_u64, u64, "an integer (u64)";
        deserialize_u128 => visit_u128, u128, "an integer (u128)";
        deserialize_f32 => visit_f32, f32, "a number";
        deserialize_f64 => visit_f64, f64, "a number";
        deserialize_char => visit_char, char, "one character";
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let value = de::value::BorrowedStrDeserializer::<'de, DeError>::new(self.value);
        // serde's message quotes the unknown variant, which is the client's text.
        value
            .deserialize_enum(name, variants, visitor)
            .map_err(|_| {
                de::Error::custom(format_args!(
                    "parameter `{}` is not one of: {}",
                    self.name,
                    variants.join(", ")
                ))
            })
    }

    serde::forward_to_deserialize_any! {
        str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, DeError> for Param<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl fmt::Display for MatchedParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (name, value) in self.0.iter() {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            write!(f, "{name}={value}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    fn params(pairs: &[(&str, &str)]) -> MatchedParams {
        MatchedParams(
            pairs
                .iter()
                .map(|(k, v)| (Box::from(*k), Box::from(*v)))
                .collect(),
        )
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Room {
        tenant: String,
        room: u32,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Plan {
        Free,
        Pro,
    }

    #[test]
    fn structs_tuples_and_lone_values() {
        let two = params(&[("tenant", "acme"), ("room", "7")]);
        assert_eq!(
            two.decode::<Room>().unwrap(),
            Room {
                tenant: "acme".into(),
                room: 7
            }
        );
        assert_eq!(
            two.decode::<(String, u32)>().unwrap(),
            ("acme".to_owned(), 7)
        );
        assert_eq!(
            params(&[("tenant", "acme")]).decode::<String>().unwrap(),
            "acme"
        );
        assert_eq!(params(&[("id", "42")]).decode::<u64>().unwrap(), 42);
        assert_eq!(
            params(&[("plan", "pro")]).decode::<Plan>().unwrap(),
            Plan::Pro
        );
        assert_eq!(
            params(&[("id", "1")]).decode::<Option<u8>>().unwrap(),
            Some(1)
        );
    }

    #[test]
    fn errors_name_the_parameter_not_its_value() {
        let err = params(&[("tenant", "acme"), ("room", "lobby")])
            .decode::<Room>()
            .unwrap_err();
        assert_eq!(err.code(), "bad_payload");
        assert_eq!(
            err.message(),
            "the namespace parameters do not decode: parameter `room` is not an integer (u32)"
        );
        assert!(!err.message().contains("lobby"));
        let err = params(&[("a", "1"), ("b", "2")])
            .decode::<String>()
            .unwrap_err();
        assert!(err.message().contains("use a struct or a tuple"), "{err:?}");
        let err = params(&[("plan", "gold")]).decode::<Plan>().unwrap_err();
        assert_eq!(
            err.message(),
            "the namespace parameters do not decode: parameter `plan` is not one of: free, pro"
        );
    }
}

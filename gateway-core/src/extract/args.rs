//! Positional arguments taken and given back as they came: [`Args`] is a handler parameter
//! that receives *all* the event's arguments (JSON or binary, in order), and a return value
//! that goes out as several ack arguments.
//!
//! ```
//! use socketioxide_gateway::prelude::*;
//! use socketioxide_gateway::Args;
//!
//! #[derive(Default)]
//! struct Echo;
//!
//! #[gateway(namespace = "/", ack = "nestjs")]
//! impl Echo {
//!     /// `socket.emit("echo", 1, "two", buffer, (a, b, c) => ...)`: the callback gets the
//!     /// three arguments back, binary kept binary.
//!     #[subscribe("echo")]
//!     async fn echo(&self, args: Args) -> Args {
//!         args
//!     }
//! }
//! ```

use std::fmt;

use bytes::Bytes;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeTuple, Serializer};
use serde_json::Value;

/// One positional argument: JSON or a binary attachment.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A JSON value.
    Json(Value),
    /// A binary attachment.
    Binary(Bytes),
}

impl Arg {
    /// The JSON value, if this argument is JSON.
    pub fn as_json(&self) -> Option<&Value> {
        match self {
            Arg::Json(v) => Some(v),
            Arg::Binary(_) => None,
        }
    }

    /// The bytes, if this argument is binary.
    pub fn as_binary(&self) -> Option<&Bytes> {
        match self {
            Arg::Binary(b) => Some(b),
            Arg::Json(_) => None,
        }
    }

    /// Consumes the argument into its JSON value, if it is JSON.
    pub fn into_json(self) -> Option<Value> {
        match self {
            Arg::Json(v) => Some(v),
            Arg::Binary(_) => None,
        }
    }

    /// Consumes the argument into its bytes, if it is binary.
    pub fn into_binary(self) -> Option<Bytes> {
        match self {
            Arg::Binary(b) => Some(b),
            Arg::Json(_) => None,
        }
    }
}

impl From<Value> for Arg {
    fn from(v: Value) -> Self {
        Arg::Json(v)
    }
}

impl From<Bytes> for Arg {
    fn from(b: Bytes) -> Self {
        Arg::Binary(b)
    }
}

macro_rules! arg_from_json {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Self {
                Arg::Json(Value::from(v))
            }
        }
    )*};
}
arg_from_json!(&str, String, bool, i32, i64, u32, u64, usize, f32, f64);

impl Serialize for Arg {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Json(value) => value.serialize(serializer),
            // socketioxide's serializer turns bytes into a binary attachment.
            Arg::Binary(bytes) => serializer.serialize_bytes(bytes),
        }
    }
}

impl<'de> Deserialize<'de> for Arg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ArgVisitor)
    }
}

/// Builds an [`Arg`] from whatever the parser reports: socketioxide's deserializer reports
/// a binary attachment's placeholder as bytes, everything else as JSON.
struct ArgVisitor;

impl<'de> Visitor<'de> for ArgVisitor {
    type Value = Arg;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value or a binary attachment")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Arg, E> {
        Ok(Arg::Binary(Bytes::copy_from_slice(v)))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Arg, E> {
        Ok(Arg::Binary(Bytes::from(v)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Arg, E> {
        Ok(Arg::Json(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Arg, E> {
        Ok(Arg::Json(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Arg, E> {
        Ok(Arg::Json(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Arg, E> {
        Ok(Arg::Json(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Arg, E> {
        Ok(Arg::Json(Value::from(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Arg, E> {
        Ok(Arg::Json(Value::from(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Arg, E> {
        Ok(Arg::Json(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Arg, E> {
        Ok(Arg::Json(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Arg, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Arg, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Arg::Json(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Arg, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        Ok(Arg::Json(Value::Object(object)))
    }
}

/// All the positional arguments of an event, in order, as they came; as a return value,
/// several ack arguments (each `Arg` one argument, binary kept binary).
///
/// As a parameter it takes every argument, so it is the handler's only payload parameter.
/// Returned in envelope mode it becomes the `data` array; in NestJS mode (`ack = "nestjs"`)
/// the arguments are spread, as a JavaScript `callback(a, b, c)` expects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args(pub Vec<Arg>);

impl Args {
    /// The arguments.
    pub fn into_inner(self) -> Vec<Arg> {
        self.0
    }
}

impl std::ops::Deref for Args {
    type Target = Vec<Arg>;
    fn deref(&self) -> &Vec<Arg> {
        &self.0
    }
}

impl From<Vec<Arg>> for Args {
    fn from(args: Vec<Arg>) -> Self {
        Args(args)
    }
}

impl FromIterator<Arg> for Args {
    fn from_iter<I: IntoIterator<Item = Arg>>(iter: I) -> Self {
        Args(iter.into_iter().collect())
    }
}

/// Serialised as a tuple: socketioxide spreads tuples into separate arguments.
impl Serialize for Args {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tuple = serializer.serialize_tuple(self.0.len())?;
        for arg in &self.0 {
            tuple.serialize_element(arg)?;
        }
        tuple.end()
    }
}

/// Deserialised as a tuple: socketioxide then hands it every argument, not only the first.
impl<'de> Deserialize<'de> for Args {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ArgsVisitor;

        impl<'de> Visitor<'de> for ArgsVisitor {
            type Value = Args;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the event's arguments")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Args, A::Error> {
                let mut args = Vec::new();
                while let Some(arg) = seq.next_element::<Arg>()? {
                    args.push(arg);
                }
                Ok(Args(args))
            }
        }

        deserializer.deserialize_tuple(usize::MAX, ArgsVisitor)
    }
}

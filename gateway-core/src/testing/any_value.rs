//! [`AnyArgs`]: a packet's arguments as either parser hands them over, binary at any depth
//! included, and their one view for tests: JSON, with binary at the top level as
//! [`Arg::Binary`] and binary below it as a `{"_placeholder": true, "num": n}` object whose
//! bytes are `attachments[n]` (what the JSON parser puts on the wire; the msgpack parser's
//! inline binary is shown the same way, so a test reads both parsers alike).

use std::fmt;

use bytes::Bytes;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value, json};

use crate::extract::Arg;

/// One decoded value: JSON, or bytes (a binary attachment, or msgpack `bin`).
enum AnyValue {
    Json(Value),
    Bytes(Bytes),
    Array(Vec<AnyValue>),
    Object(Vec<(String, AnyValue)>),
}

/// Every argument of a packet, in order.
pub(super) struct AnyArgs(Vec<AnyValue>);

impl AnyArgs {
    /// The arguments and every binary of the packet, in depth-first order.
    pub(super) fn into_args(self) -> (Vec<Arg>, Vec<Bytes>) {
        let mut attachments = Vec::new();
        let args = self
            .0
            .into_iter()
            .map(|value| match value {
                AnyValue::Bytes(bytes) => {
                    attachments.push(bytes.clone());
                    Arg::Binary(bytes)
                }
                other => Arg::Json(other.into_json(&mut attachments)),
            })
            .collect();
        (args, attachments)
    }
}

impl AnyValue {
    /// JSON with each binary replaced by its placeholder, its bytes pushed to `attachments`.
    fn into_json(self, attachments: &mut Vec<Bytes>) -> Value {
        match self {
            AnyValue::Json(value) => value,
            AnyValue::Bytes(bytes) => {
                attachments.push(bytes);
                json!({ "_placeholder": true, "num": attachments.len() - 1 })
            }
            AnyValue::Array(items) => Value::Array(
                items
                    .into_iter()
                    .map(|item| item.into_json(attachments))
                    .collect(),
            ),
            AnyValue::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, value.into_json(attachments)))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyValueVisitor)
    }
}

struct AnyValueVisitor;

impl<'de> Visitor<'de> for AnyValueVisitor {
    type Value = AnyValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value or binary data")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<AnyValue, E> {
        Ok(AnyValue::Json(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<AnyValue, E> {
        Ok(AnyValue::Json(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<AnyValue, E> {
        Ok(AnyValue::Json(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<AnyValue, E> {
        // NaN and the infinities have no JSON form: JSON.stringify makes them null too.
        Ok(AnyValue::Json(
            Number::from_f64(v).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<AnyValue, E> {
        Ok(AnyValue::Json(Value::from(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<AnyValue, E> {
        Ok(AnyValue::Json(Value::String(v)))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<AnyValue, E> {
        Ok(AnyValue::Bytes(Bytes::copy_from_slice(v)))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<AnyValue, E> {
        Ok(AnyValue::Bytes(Bytes::from(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<AnyValue, E> {
        Ok(AnyValue::Json(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<AnyValue, E> {
        Ok(AnyValue::Json(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<AnyValue, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(AnyValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(AnyValue::Object(entries))
    }
}

/// Deserialised as a tuple: socketioxide's parsers then hand over every argument, not
/// only the first.
impl<'de> Deserialize<'de> for AnyArgs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnyArgsVisitor;

        impl<'de> Visitor<'de> for AnyArgsVisitor {
            type Value = AnyArgs;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the packet's arguments")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyArgs, A::Error> {
                let mut args = Vec::new();
                while let Some(arg) = seq.next_element()? {
                    args.push(arg);
                }
                Ok(AnyArgs(args))
            }
        }

        deserializer.deserialize_tuple(usize::MAX, AnyArgsVisitor)
    }
}

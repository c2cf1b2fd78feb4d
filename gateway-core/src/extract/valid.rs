//! [`Valid<T>`]: a payload checked with `validator` before the handler runs, and the wire
//! names of its fields for the error ack.

use std::ops::{Deref, DerefMut};

use serde::de::DeserializeOwned;

use super::Payload;
use crate::error::WsError;

/// A payload validated with [`validator::Validate`] before the handler runs. On failure the
/// client gets a `validation_failed` ack listing the failing fields, and the handler never
/// sees the value.
///
/// ```
/// use socketioxide_gateway::prelude::*;
///
/// #[derive(Deserialize, Validate)]
/// struct SendMessage {
///     #[validate(length(min = 1, max = 2000))]
///     text: String,
/// }
///
/// struct Chat;
///
/// #[gateway(namespace = "/chat")]
/// impl Chat {
///     #[subscribe("send")]
///     async fn send(&self, Valid(msg): Valid<SendMessage>) -> usize {
///         msg.text.len()
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Valid<T>(pub T);

impl<T> Valid<T> {
    /// The validated value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Valid<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Valid<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: DeserializeOwned + validator::Validate> Payload for Valid<T> {
    type Raw = T;
    fn from_raw(raw: T) -> Result<Self, WsError> {
        match raw.validate() {
            Ok(()) => Ok(Valid(raw)),
            // Only on failure: name the fields as the client sent them (`projectId`, not
            // `project_id`).
            Err(errors) => Err(WsError::validation_with_names(
                &errors,
                wire_names::wire_field_names::<T>(),
            )),
        }
    }
}

/// The serde field names of a struct, as they appear on the wire.
///
/// serde exposes them only to a `Deserializer`: `deserialize_struct` receives the field
/// list (after `rename`/`rename_all`). This deserializer records it and stops; no crate
/// offers that, hence these few lines.
mod wire_names {
    use serde::de::{self, DeserializeOwned, Visitor};

    #[derive(Debug)]
    struct Stop;

    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("field names recorded")
        }
    }

    impl std::error::Error for Stop {}

    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }

    struct Recorder<'a>(&'a mut &'static [&'static str]);

    impl<'de> de::Deserializer<'de> for Recorder<'_> {
        type Error = Stop;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = fields;
            Err(Stop)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    pub(super) fn wire_field_names<T: DeserializeOwned>() -> &'static [&'static str] {
        let mut fields: &'static [&'static str] = &[];
        let _ = T::deserialize(Recorder(&mut fields));
        fields
    }
}

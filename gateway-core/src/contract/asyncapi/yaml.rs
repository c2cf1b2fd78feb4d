//! YAML for the document: ordered mappings for its own objects, JSON values converted.

use serde_json::Value;
use serde_norway::{Mapping, Value as Yaml};

/// A YAML mapping kept in insertion order, for the document's own objects.
#[derive(Default)]
pub(super) struct Map(Mapping);

impl Map {
    pub(super) fn with(mut self, key: &str, value: impl Into<Yaml>) -> Self {
        self.0.insert(Yaml::from(key), value.into());
        self
    }

    pub(super) fn with_opt(self, key: &str, value: Option<impl Into<Yaml>>) -> Self {
        match value {
            Some(value) => self.with(key, value),
            None => self,
        }
    }
}

impl From<Map> for Yaml {
    fn from(map: Map) -> Self {
        Yaml::Mapping(map.0)
    }
}

/// A JSON value as YAML (objects keep `serde_json`'s sorted order).
pub(super) fn to_yaml(value: &Value) -> Yaml {
    match value {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Bool(*b),
        Value::Number(n) => {
            let number = if let Some(u) = n.as_u64() {
                serde_norway::Number::from(u)
            } else if let Some(i) = n.as_i64() {
                serde_norway::Number::from(i)
            } else {
                serde_norway::Number::from(n.as_f64().unwrap_or(f64::NAN))
            };
            Yaml::Number(number)
        }
        Value::String(s) => Yaml::String(s.clone()),
        Value::Array(items) => Yaml::Sequence(items.iter().map(to_yaml).collect()),
        Value::Object(object) => Yaml::Mapping(
            object
                .iter()
                .map(|(k, v)| (Yaml::String(k.clone()), to_yaml(v)))
                .collect(),
        ),
    }
}

/// `{"$ref": target}` as YAML.
pub(super) fn reference(target: &str) -> Yaml {
    Map::default().with("$ref", target).into()
}

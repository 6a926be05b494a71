//! The data model shared by the YAML, JSON and TOML codecs.

use std::collections::BTreeMap;

/// The entries of a map, in key (byte) order. Go's encoders sort keys
/// themselves, so the order here never reaches the output by accident.
pub type Mapping = BTreeMap<String, Value>;

/// A decoded document: what Go holds in an `interface{}` after Helm's
/// decoders ran.
///
/// Values files and `fromYaml`/`fromJson` only ever produce `Float` numbers
/// (Go's `float64`); `Int` exists for values that come from elsewhere
/// (`--set`, template literals, TOML) and encodes like Go's `int64`.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// Go `nil`.
    #[default]
    Null,
    /// Go `bool`.
    Bool(bool),
    /// Go `int`/`int64`.
    Int(i64),
    /// Go `float64`.
    Float(f64),
    /// Go `string`.
    String(String),
    /// Go `[]interface{}`.
    Seq(Vec<Value>),
    /// Go `map[string]interface{}`.
    Map(Mapping),
}

impl Value {
    /// The map, if this is one.
    pub fn as_map(&self) -> Option<&Mapping> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The sequence, if this is one.
    pub fn as_seq(&self) -> Option<&[Value]> {
        match self {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// Converts to a `serde_json::Value`. Non-finite floats, which JSON
    /// cannot hold, become `null`; integral floats stay floats (`1.0`).
    pub fn to_json_value(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json_value).collect())
            }
            Value::Map(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), v.to_json_value()))
                    .collect(),
            ),
        }
    }

    /// Converts from a `serde_json::Value`: integers that fit in `i64` become
    /// [`Value::Int`], every other number a [`Value::Float`].
    pub fn from_json_value(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::Seq(items.iter().map(Value::from_json_value).collect())
            }
            serde_json::Value::Object(m) => Value::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json_value(v)))
                    .collect(),
            ),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<Mapping> for Value {
    fn from(m: Mapping) -> Self {
        Value::Map(m)
    }
}

impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::Seq(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_value_round_trip_keeps_kinds() {
        let mut m = Mapping::new();
        m.insert("i".into(), Value::Int(3));
        m.insert("f".into(), Value::Float(1.5));
        m.insert("s".into(), Value::Seq(vec![Value::Null, Value::Bool(true)]));
        let v = Value::Map(m);
        assert_eq!(Value::from_json_value(&v.to_json_value()), v);
    }

    #[test]
    fn non_finite_floats_become_json_null() {
        assert_eq!(
            Value::Float(f64::INFINITY).to_json_value(),
            serde_json::Value::Null
        );
    }
}

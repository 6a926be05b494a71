//! Conversion between template values and `chartkit_yaml::Value`, the data
//! model of the YAML, JSON and TOML codecs.
//!
//! [`to_data`] follows `encoding/json`'s view of a Go value (Helm's `toJson`
//! and `toYaml` marshal through it): `[]byte` becomes base64 text, host
//! objects contribute [`Object::to_data`](chartkit_gotemplate::Object::to_data)
//! (or `{}`), and a map that contains itself is Go's cycle error.
//! [`from_data`] builds template values from decoded documents (the renderer
//! uses it for `.Values`): integers become Go `int64`, floats `float64`.

use std::rc::Rc;

use chartkit_gotemplate::{Map, Value};
use chartkit_yaml::Value as Data;

use crate::encoding::b64_encode;

/// Why a template value cannot be marshalled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    /// Go: `json: unsupported value: encountered a cycle via map[string]interface {}`.
    #[error("json: unsupported value: encountered a cycle via {0}")]
    Cycle(String),
}

/// Converts a template value to plain data, as `encoding/json` sees it.
pub fn to_data(v: &Value) -> Result<Data, ConvertError> {
    let mut stack: Vec<*const ()> = Vec::new();
    walk(v, &mut stack)
}

fn walk(v: &Value, stack: &mut Vec<*const ()>) -> Result<Data, ConvertError> {
    Ok(match v {
        Value::Nil => Data::Null,
        Value::Bool(b) => Data::Bool(*b),
        Value::Int(i) | Value::Int64(i) => Data::Int(*i),
        Value::Uint8(u) => Data::Int(i64::from(*u)),
        Value::Float(f) => Data::Float(*f),
        Value::String(s) => Data::String(s.to_string()),
        Value::Bytes(b) => Data::String(b64_encode(b)),
        Value::List(l) => {
            let id = Rc::as_ptr(&l.items) as *const ();
            if !l.is_empty() && stack.contains(&id) {
                return Err(ConvertError::Cycle(v.type_name()));
            }
            stack.push(id);
            let items = l.iter().map(|x| walk(x, stack)).collect::<Result<Vec<_>, _>>();
            stack.pop();
            Data::Seq(items?)
        }
        Value::Map(m) => {
            let id = map_id(m);
            if stack.contains(&id) {
                return Err(ConvertError::Cycle(v.type_name()));
            }
            stack.push(id);
            let mut out = chartkit_yaml::Mapping::new();
            for (k, x) in m.entries() {
                match walk(&x, stack) {
                    Ok(d) => {
                        out.insert(k, d);
                    }
                    Err(e) => {
                        stack.pop();
                        return Err(e);
                    }
                }
            }
            stack.pop();
            Data::Map(out)
        }
        Value::Object(o) => match o.to_data() {
            Some(d) => walk(&d, stack)?,
            None => Data::Map(chartkit_yaml::Mapping::new()),
        },
    })
}

/// A stable identity for a Go map (the address of its shared storage).
fn map_id(m: &Map) -> *const () {
    let b = m.borrow();
    &*b as *const _ as *const ()
}

/// Builds a template value from decoded data.
pub fn from_data(d: Data) -> Value {
    match d {
        Data::Null => Value::Nil,
        Data::Bool(b) => Value::Bool(b),
        Data::Int(i) => Value::Int64(i),
        Data::Float(f) => Value::Float(f),
        Data::String(s) => Value::String(s.into()),
        Data::Seq(items) => Value::list(items.into_iter().map(from_data).collect()),
        Data::Map(m) => Value::Map(m.into_iter().map(|(k, v)| (k, from_data(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bytes() {
        let m = Map::new();
        m.insert("b", Value::Bytes(b"hi".to_vec().into()));
        m.insert("n", Value::Int(3));
        let d = to_data(&Value::Map(m)).unwrap_or_default();
        let Data::Map(dm) = &d else { panic!("map expected") };
        assert_eq!(dm.get("b"), Some(&Data::String("aGk=".into())));
        let back = from_data(d);
        assert_eq!(back.as_map().and_then(|m| m.get("n")).map(|v| v.type_name()).as_deref(), Some("int64"));
    }

    #[test]
    fn self_containing_map_is_a_cycle() {
        let m = Map::new();
        m.insert("self", Value::Map(m.clone()));
        assert!(matches!(to_data(&Value::Map(m)), Err(ConvertError::Cycle(_))));
    }
}

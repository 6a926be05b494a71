//! Serialization functions: Sprig's JSON family (`toPrettyJson`,
//! `toRawJson`, `mustFromJson`, ...) and Helm's data functions from
//! `pkg/engine/funcs.go` (`toYaml`, `fromYaml`, `toJson`, `fromJson`,
//! `toToml`, ...), with their error conventions: some return `""`, some a
//! map `{"Error": msg}`, some fail the render.

use chartkit_gotemplate::{Func, Map, Value};
use chartkit_yaml::json::{self, JsonOptions};

use crate::convert::{from_data, to_data};
use crate::util::*;

fn marshal_json(v: &Value, opts: JsonOptions) -> Result<String, String> {
    let d = to_data(v).map_err(|e| e.to_string())?;
    json::to_string(&d, opts).map_err(|e| e.to_string())
}

/// sigs.k8s.io/yaml's `Marshal`: JSON first, then go-yaml v2.
fn marshal_yaml(v: &Value) -> Result<String, String> {
    let d = to_data(v).map_err(|e| format!("error marshaling into JSON: {e}"))?;
    json::to_string(&d, JsonOptions::compact()).map_err(|e| format!("error marshaling into JSON: {e}"))?;
    chartkit_yaml::to_yaml(&d).map_err(|e| e.to_string())
}

fn trim_nl(s: String) -> String {
    s.strip_suffix('\n').map(str::to_string).unwrap_or(s)
}

fn error_map(msg: String) -> Value {
    let m = Map::new();
    m.insert("Error", string(msg));
    Value::Map(m)
}

// ---- Sprig ----

pub(crate) fn to_pretty_json() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(string(marshal_json(arg(a, 0), JsonOptions::pretty()).unwrap_or_default())))
}

pub(crate) fn must_to_pretty_json() -> Func {
    Func::pure(fixed(&[Any]), |a| marshal_json(arg(a, 0), JsonOptions::pretty()).map(string).map_err(call_err))
}

pub(crate) fn to_raw_json() -> Func {
    Func::pure(fixed(&[Any]), |a| marshal_json(arg(a, 0), JsonOptions::raw()).map(string).map_err(call_err))
}

pub(crate) fn must_from_json() -> Func {
    Func::pure(fixed(&[Str]), |a| json::from_str(arg_str(a, 0)).map(from_data).map_err(|e| call_err(e.to_string())))
}

/// Sprig's own `fromJson` (Helm replaces it): any JSON value, nil on error.
pub(crate) fn sprig_from_json() -> Func {
    Func::pure(fixed(&[Str]), |a| Ok(json::from_str(arg_str(a, 0)).map(from_data).unwrap_or(Value::Nil)))
}

// ---- Helm ----

pub(crate) fn to_json() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(string(marshal_json(arg(a, 0), JsonOptions::compact()).unwrap_or_default())))
}

pub(crate) fn must_to_json() -> Func {
    Func::pure(fixed(&[Any]), |a| marshal_json(arg(a, 0), JsonOptions::compact()).map(string).map_err(call_err))
}

pub(crate) fn from_json() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        Ok(match json::from_str_map(arg_str(a, 0)) {
            Ok(m) => from_data(chartkit_yaml::Value::Map(m)),
            Err(e) => error_map(e.to_string()),
        })
    })
}

pub(crate) fn from_json_array() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        Ok(match json::from_str_array(arg_str(a, 0)) {
            Ok(items) => from_data(chartkit_yaml::Value::Seq(items)),
            Err(e) => ilist(vec![string(e.to_string())]),
        })
    })
}

pub(crate) fn to_yaml() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(string(marshal_yaml(arg(a, 0)).map(trim_nl).unwrap_or_default())))
}

pub(crate) fn must_to_yaml() -> Func {
    Func::pure(fixed(&[Any]), |a| marshal_yaml(arg(a, 0)).map(|s| string(trim_nl(s))).map_err(call_err))
}

pub(crate) fn to_yaml_pretty() -> Func {
    Func::pure(fixed(&[Any]), |a| {
        let out = to_data(arg(a, 0)).ok().and_then(|d| chartkit_yaml::to_yaml_pretty(&d).ok());
        Ok(string(out.map(trim_nl).unwrap_or_default()))
    })
}

pub(crate) fn from_yaml() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        Ok(match chartkit_yaml::from_yaml_map(arg_str(a, 0)) {
            Ok(m) => from_data(chartkit_yaml::Value::Map(m)),
            Err(e) => error_map(e.to_string()),
        })
    })
}

pub(crate) fn from_yaml_array() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        Ok(match chartkit_yaml::from_yaml_array(arg_str(a, 0)) {
            Ok(items) => from_data(chartkit_yaml::Value::Seq(items)),
            Err(e) => ilist(vec![string(e.to_string())]),
        })
    })
}

pub(crate) fn to_toml() -> Func {
    Func::pure(fixed(&[Any]), |a| {
        let out = match to_data(arg(a, 0)) {
            Ok(d) => chartkit_yaml::toml::to_string(&d).unwrap_or_else(|e| e.to_string()),
            Err(e) => e.to_string(),
        };
        Ok(string(out))
    })
}

pub(crate) fn from_toml() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        Ok(match chartkit_yaml::toml::from_str(arg_str(a, 0)) {
            Ok(d) => match from_data(d) {
                v @ Value::Map(_) => v,
                _ => Value::Map(Map::new()),
            },
            Err(e) => error_map(e.to_string()),
        })
    })
}


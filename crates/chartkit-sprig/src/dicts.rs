//! Dictionary functions (Sprig's dict.go): `dict`, `get`, `set`, `merge`
//! with mergo v1.0.1's deep-merge rules, `deepCopy`, `dig`, ...
//!
//! Go maps are references: `set`, `unset` and `merge*` write through to the
//! caller's map, and merged-in nested maps are shared with the source, as in
//! Go. Go ranges over maps in random order; `keys`, `values` and `pluck`
//! here use key order, one of the orders Go may produce.

use chartkit_gotemplate::{ElemType, Func, List, Map, Value};

use crate::gofmt::strval;
use crate::util::*;

pub(crate) fn dict() -> Func {
    Func::pure(variadic(&[], Any), |a| {
        let m = Map::new();
        for pair in a.chunks(2) {
            let key = strval(&pair[0]);
            m.insert(key, pair.get(1).cloned().unwrap_or_else(|| string("")));
        }
        Ok(Value::Map(m))
    })
}

pub(crate) fn get() -> Func {
    Func::pure(fixed(&[GoMap, Str]), |a| {
        Ok(arg_map(a, 0).and_then(|m| m.get(arg_str(a, 1))).unwrap_or_else(|| string("")))
    })
}

pub(crate) fn set() -> Func {
    Func::pure(fixed(&[GoMap, Str, Any]), |a| match arg_map(a, 0) {
        Some(m) => {
            m.insert(arg_str(a, 1), arg(a, 2).clone());
            Ok(Value::Map(m))
        }
        None => Err(call_err("assignment to entry in nil map")),
    })
}

pub(crate) fn unset() -> Func {
    Func::pure(fixed(&[GoMap, Str]), |a| match arg_map(a, 0) {
        Some(m) => {
            m.remove(arg_str(a, 1));
            Ok(Value::Map(m))
        }
        None => Ok(arg(a, 0).clone()),
    })
}

pub(crate) fn has_key() -> Func {
    Func::pure(fixed(&[GoMap, Str]), |a| {
        Ok(Value::Bool(arg_map(a, 0).is_some_and(|m| m.contains_key(arg_str(a, 1)))))
    })
}

pub(crate) fn pluck() -> Func {
    Func::pure(variadic(&[Str], GoMap), |a| {
        let key = arg_str(a, 0);
        let res = a[1.min(a.len())..].iter().filter_map(|d| d.as_map().and_then(|m| m.get(key))).collect();
        Ok(ilist(res))
    })
}

pub(crate) fn keys() -> Func {
    Func::pure(variadic(&[], GoMap), |a| {
        let k: Vec<String> = a.iter().filter_map(Value::as_map).flat_map(Map::keys).collect();
        Ok(string_list(k))
    })
}

pub(crate) fn pick() -> Func {
    Func::pure(variadic(&[GoMap], Str), |a| {
        let res = Map::new();
        if let Some(m) = arg_map(a, 0) {
            for k in &a[1..] {
                if let Some(v) = k.as_str().and_then(|k| m.get(k)) {
                    res.insert(k.as_str().unwrap_or_default(), v);
                }
            }
        }
        Ok(Value::Map(res))
    })
}

pub(crate) fn omit() -> Func {
    Func::pure(variadic(&[GoMap], Str), |a| {
        let drop: Vec<&str> = a[1..].iter().filter_map(Value::as_str).collect();
        let res = Map::new();
        if let Some(m) = arg_map(a, 0) {
            for (k, v) in m.entries() {
                if !drop.contains(&k.as_str()) {
                    res.insert(k, v);
                }
            }
        }
        Ok(Value::Map(res))
    })
}

pub(crate) fn values() -> Func {
    Func::pure(fixed(&[GoMap]), |a| {
        let v = arg_map(a, 0).map(|m| m.entries().into_iter().map(|(_, v)| v).collect()).unwrap_or_default();
        Ok(ilist(v))
    })
}

/// mergo's `isEmptyValue` for a map element (interfaces dereferenced).
fn mergo_empty(v: &Value) -> bool {
    empty(v)
}

fn is_slice(v: &Value) -> bool {
    matches!(v, Value::List(_) | Value::Bytes(_))
}

/// An empty slice of the same Go type as `v`.
fn empty_like(v: &Value) -> Value {
    match v {
        Value::List(l) => Value::List(List { elem: l.elem, items: Vec::new().into() }),
        Value::Bytes(_) => Value::Bytes(Vec::new().into()),
        _ => Value::List(List { elem: ElemType::Interface, items: Vec::new().into() }),
    }
}

/// mergo v1.0.1's `deepMerge` for two `map[string]interface{}` values.
pub(crate) fn merge_into(dst: &Map, src: &Map, overwrite: bool, depth: usize) {
    if dst.ptr_eq(src) || depth > 10_000 {
        return;
    }
    for (key, sv) in src.entries() {
        let dv = dst.get(&key);
        if sv.is_nil() {
            if overwrite {
                dst.insert(key, Value::Nil);
            }
            continue;
        }
        match &sv {
            Value::Map(sm) => {
                if let Some(Value::Map(dm)) = &dv {
                    merge_into(dm, sm, overwrite, depth + 1);
                }
            }
            Value::List(_) | Value::Bytes(_) => {
                let keep = match &dv {
                    None | Some(Value::Nil) => empty_like(&sv),
                    Some(d) => d.clone(),
                };
                let dst_empty = dst.is_empty();
                let new = if overwrite || dst_empty { sv.clone() } else { keep };
                dst.insert(key.clone(), new);
            }
            _ => {}
        }
        if let Some(d) = &dv
            && !mergo_empty(d)
            && (is_slice(&sv) || (matches!(sv, Value::Map(_)) && matches!(d, Value::Map(_))))
        {
            continue;
        }
        if overwrite || dv.as_ref().is_none_or(mergo_empty) {
            dst.insert(key, sv);
        }
    }
}

fn merge_fn(overwrite: bool) -> Func {
    Func::pure(variadic(&[GoMap], GoMap), move |a| {
        let dst = arg_map(a, 0).unwrap_or_default();
        for src in &a[1..] {
            if let Value::Map(src) = src {
                merge_into(&dst, src, overwrite, 0);
            }
        }
        Ok(Value::Map(dst))
    })
}

pub(crate) fn merge() -> Func {
    merge_fn(false)
}

pub(crate) fn merge_overwrite() -> Func {
    merge_fn(true)
}

/// copystructure's deep copy: new maps and slices all the way down.
pub(crate) fn deep_copy_value(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(m.entries().into_iter().map(|(k, v)| (k, deep_copy_value(&v))).collect()),
        Value::List(l) => Value::List(List { elem: l.elem, items: l.iter().map(deep_copy_value).collect() }),
        other => other.clone(),
    }
}

pub(crate) fn deep_copy() -> Func {
    Func::pure(fixed(&[Any]), |a| {
        if arg(a, 0).is_nil() {
            return Err(call_err("reflect: call of reflect.Value.Type on zero Value"));
        }
        Ok(deep_copy_value(arg(a, 0)))
    })
}

/// Go's panic text for a failed `x.(map[string]interface{})` / `x.(string)`.
fn assert_panic(v: &Value, want: &str) -> String {
    let got = if v.is_nil() { "nil".to_string() } else { v.type_name() };
    format!("interface conversion: interface {{}} is {got}, not {want}")
}

pub(crate) fn dig() -> Func {
    Func::pure(variadic(&[], Any), |a| {
        if a.len() < 3 {
            return Err(call_err("dig needs at least three arguments"));
        }
        let last = &a[a.len() - 1];
        let Value::Map(mut dict) = last.clone() else {
            return Err(call_err(assert_panic(last, "map[string]interface {}")));
        };
        let def = &a[a.len() - 2];
        let mut ks = Vec::with_capacity(a.len() - 2);
        for k in &a[..a.len() - 2] {
            match k {
                Value::String(s) => ks.push(s.clone()),
                other => return Err(call_err(assert_panic(other, "string"))),
            }
        }
        for (i, k) in ks.iter().enumerate() {
            let Some(step) = dict.get(k) else {
                return Ok(def.clone());
            };
            if i == ks.len() - 1 {
                return Ok(step);
            }
            match step {
                Value::Map(m) => dict = m,
                other => return Err(call_err(assert_panic(&other, "map[string]interface {}"))),
            }
        }
        Ok(def.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, Value)]) -> Map {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn merge_keeps_dst_and_shares_new_nested_maps() {
        let nested = m(&[("x", Value::Int(1))]);
        let dst = m(&[("a", string("keep")), ("b", string(""))]);
        let src = m(&[("a", string("no")), ("b", string("fill")), ("c", Value::Map(nested.clone()))]);
        merge_into(&dst, &src, false, 0);
        assert_eq!(dst.get("a").and_then(|v| v.as_str().map(str::to_string)).as_deref(), Some("keep"));
        assert_eq!(dst.get("b").and_then(|v| v.as_str().map(str::to_string)).as_deref(), Some("fill"));
        let Some(Value::Map(c)) = dst.get("c") else { panic!("c is a map") };
        assert!(c.ptr_eq(&nested));
    }
}

//! Values: reading values files (`LoadValues`, `MergeMaps`) and Helm's
//! coalescing (`CoalesceValues`, `MergeValues`, `CoalesceTables`,
//! `MergeTables`), ported onto a value model with Go's reference semantics
//! so that Helm's aliasing quirks come out the same (for example, a
//! subchart's defaults under `global.a.b` leak into the parent's
//! `global.a.b`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use chartkit_yaml::Mapping;
use chartkit_yaml::Value;
use thiserror::Error;

use crate::chart::Chart;
use crate::gofmt::{fmt_t, fmt_v};
use crate::log::LogRecord;

/// The key of global values.
pub const GLOBAL_KEY: &str = "global";

/// An error reading a values document, with Helm's text
/// (`cannot unmarshal yaml document: error converting YAML to JSON: ...`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct ValuesError(pub String);

/// Helm's `LoadValues`: documents split like Kubernetes' `YAMLReader`, every
/// document a map (or empty), later documents merged over earlier ones.
pub fn load_values(data: &[u8]) -> Result<Mapping, ValuesError> {
    chartkit_yaml::load_values_bytes(data).map_err(|e| ValuesError(e.to_string()))
}

/// Helm's `MergeMaps`: `b` over `a`, recursing only where both sides hold
/// maps; anything else in `b` (lists, nulls) replaces.
pub fn merge_maps(a: Mapping, b: Mapping) -> Mapping {
    let mut out = a;
    for (k, v) in b {
        if let Value::Map(vm) = v {
            match out.remove(&k) {
                Some(Value::Map(bv)) => {
                    out.insert(k, Value::Map(merge_maps(bv, vm)));
                }
                _ => {
                    out.insert(k, Value::Map(vm));
                }
            }
        } else {
            out.insert(k, v);
        }
    }
    out
}

/// A Go map with reference semantics.
pub(crate) type GMap = Rc<RefCell<BTreeMap<String, GV>>>;

/// A value with Go's sharing: maps are references, as in Go.
#[derive(Clone, Debug)]
pub(crate) enum GV {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<GV>),
    Map(GMap),
}

pub(crate) fn new_map() -> GMap {
    Rc::new(RefCell::new(BTreeMap::new()))
}

impl GV {
    /// A fresh, unshared copy of `v`.
    pub(crate) fn from_value(v: &Value) -> GV {
        match v {
            Value::Null => GV::Null,
            Value::Bool(b) => GV::Bool(*b),
            Value::Int(i) => GV::Int(*i),
            Value::Float(f) => GV::Float(*f),
            Value::String(s) => GV::Str(s.clone()),
            Value::Seq(items) => GV::Seq(items.iter().map(GV::from_value).collect()),
            Value::Map(m) => GV::Map(map_from(m)),
        }
    }

    pub(crate) fn to_value(&self) -> Value {
        match self {
            GV::Null => Value::Null,
            GV::Bool(b) => Value::Bool(*b),
            GV::Int(i) => Value::Int(*i),
            GV::Float(f) => Value::Float(*f),
            GV::Str(s) => Value::String(s.clone()),
            GV::Seq(items) => Value::Seq(items.iter().map(GV::to_value).collect()),
            GV::Map(m) => Value::Map(map_to(m)),
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, GV::Null)
    }
}

pub(crate) fn map_from(m: &Mapping) -> GMap {
    Rc::new(RefCell::new(
        m.iter()
            .map(|(k, v)| (k.clone(), GV::from_value(v)))
            .collect(),
    ))
}

pub(crate) fn map_to(m: &GMap) -> Mapping {
    m.borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.to_value()))
        .collect()
}

/// Deep copy (`copystructure.Copy`).
pub(crate) fn deep_copy(m: &GMap) -> GMap {
    map_from(&map_to(m))
}

fn get(m: &GMap, k: &str) -> Option<GV> {
    m.borrow().get(k).cloned()
}

fn set(m: &GMap, k: &str, v: GV) {
    m.borrow_mut().insert(k.to_string(), v);
}

fn snapshot(m: &GMap) -> Vec<(String, GV)> {
    m.borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// Errors from coalescing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoalesceError {
    /// User values hold a non-map where a subchart's values go.
    #[error("type mismatch on {name}: {shown}")]
    TypeMismatch {
        /// Subchart name.
        name: String,
        /// Go's `%t` of the offending value.
        shown: String,
    },
}

/// Collects Helm's `log.Printf` lines.
pub(crate) struct Printer<'a> {
    pub logs: &'a mut Vec<LogRecord>,
}

impl Printer<'_> {
    fn printf(&mut self, msg: String) {
        self.logs.push(LogRecord::info(msg));
    }
}

pub(crate) fn coalesce(
    p: &mut Printer<'_>,
    ch: &Chart,
    dest: &GMap,
    prefix: &str,
    merge: bool,
) -> Result<(), CoalesceError> {
    coalesce_values(p, ch, dest, prefix, merge);
    coalesce_deps(p, ch, dest, prefix, merge)
}

fn coalesce_deps(
    p: &mut Printer<'_>,
    ch: &Chart,
    dest: &GMap,
    prefix: &str,
    merge: bool,
) -> Result<(), CoalesceError> {
    for sub in &ch.dependencies {
        let name = sub.name();
        let dv = match get(dest, name) {
            None => {
                let m = new_map();
                set(dest, name, GV::Map(m.clone()));
                m
            }
            Some(GV::Map(m)) => m,
            Some(other) => {
                return Err(CoalesceError::TypeMismatch {
                    name: name.to_string(),
                    shown: fmt_t(&other.to_value()),
                });
            }
        };
        let sub_prefix = concat_prefix(prefix, ch.name());
        coalesce_globals(p, &dv, dest, &sub_prefix);
        coalesce(p, sub, &dv, &sub_prefix, merge)?;
        set(dest, name, GV::Map(dv));
    }
    Ok(())
}

fn coalesce_globals(p: &mut Printer<'_>, dest: &GMap, src: &GMap, prefix: &str) {
    let dg = match get(dest, GLOBAL_KEY) {
        None => new_map(),
        Some(GV::Map(m)) => m,
        Some(_) => {
            p.printf("warning: skipping globals because destination global is not a table.".into());
            return;
        }
    };
    let sg = match get(src, GLOBAL_KEY) {
        None => new_map(),
        Some(GV::Map(m)) => m,
        Some(_) => {
            p.printf("warning: skipping globals because source global is not a table.".into());
            return;
        }
    };
    for (key, val) in snapshot(&sg) {
        if let GV::Map(vm) = &val {
            // copyMap: a shallow copy; nested maps stay shared.
            let vv: GMap = Rc::new(RefCell::new(vm.borrow().clone()));
            match get(&dg, &key) {
                None => set(&dg, &key, GV::Map(vv)),
                Some(GV::Map(destv)) => {
                    let sub_prefix = concat_prefix(prefix, &key);
                    coalesce_tables_full_key(p, &vv, &destv, &sub_prefix, true);
                    set(&dg, &key, GV::Map(vv));
                }
                Some(_) => p.printf(format!(
                    "Conflict: cannot merge map onto non-map for {}. Skipping.",
                    crate::gofmt::quote(&key)
                )),
            }
        } else if let Some(GV::Map(_)) = get(&dg, &key) {
            p.printf(format!("key {key} is table. Skipping"));
        } else {
            set(&dg, &key, val);
        }
    }
    set(dest, GLOBAL_KEY, GV::Map(dg));
}

fn coalesce_values(p: &mut Printer<'_>, ch: &Chart, v: &GMap, prefix: &str, merge: bool) {
    let sub_prefix = concat_prefix(prefix, ch.name());
    let vc = map_from(&ch.values);
    for (key, val) in snapshot(&vc) {
        match get(v, &key) {
            Some(value) => {
                if value.is_null() && !merge {
                    v.borrow_mut().remove(&key);
                } else if let GV::Map(dest) = &value {
                    match &val {
                        GV::Map(src) => {
                            let merge = child_chart_merge_true(ch, &key, merge);
                            coalesce_tables_full_key(
                                p,
                                dest,
                                src,
                                &concat_prefix(&sub_prefix, &key),
                                merge,
                            );
                        }
                        GV::Null => {}
                        _ => p.printf(format!(
                            "warning: skipped value for {sub_prefix}.{key}: Not a table."
                        )),
                    }
                }
            }
            None => set(v, &key, val),
        }
    }
}

fn child_chart_merge_true(ch: &Chart, key: &str, merge: bool) -> bool {
    ch.dependencies.iter().any(|s| s.name() == key) || merge
}

/// Helm's `coalesceTablesFullKey`: `src` (defaults) into `dst` (overrides).
pub(crate) fn coalesce_tables_full_key(
    p: &mut Printer<'_>,
    dst: &GMap,
    src: &GMap,
    prefix: &str,
    merge: bool,
) {
    let src_original_non_nil: std::collections::BTreeSet<String> = src
        .borrow()
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for (key, val) in snapshot(dst) {
        if val.is_null() {
            set(src, &key, GV::Null);
        }
    }
    for (key, val) in snapshot(src) {
        let fullkey = concat_prefix(prefix, &key);
        let dv = get(dst, &key);
        match dv {
            Some(GV::Null) if !merge && src_original_non_nil.contains(&key) => {
                dst.borrow_mut().remove(&key);
            }
            None => set(dst, &key, val),
            Some(dv) => {
                if let GV::Map(vm) = &val {
                    if let GV::Map(dm) = &dv {
                        coalesce_tables_full_key(p, dm, vm, &fullkey, merge);
                    } else {
                        p.printf(format!(
                            "warning: cannot overwrite table with non table for {fullkey} ({})",
                            fmt_v(&val.to_value())
                        ));
                    }
                } else if matches!(dv, GV::Map(_)) && !val.is_null() {
                    p.printf(format!(
                        "warning: destination for {fullkey} is a table. Ignoring non-table value ({})",
                        fmt_v(&val.to_value())
                    ));
                }
            }
        }
    }
}

/// Helm's `CoalesceValues(chart, vals)`: the values `helm template` renders
/// with — chart defaults under user values, recursively for subcharts
/// (under their names or aliases), globals copied parent → child, `null`
/// in user values deleting a default. `logs` receives Helm's warnings.
pub fn coalesce_values_for(
    chart: &Chart,
    vals: &Mapping,
    logs: &mut Vec<LogRecord>,
) -> Result<Mapping, CoalesceError> {
    let dest = map_from(vals);
    coalesce(&mut Printer { logs }, chart, &dest, "", false)?;
    Ok(map_to(&dest))
}

pub(crate) fn coalesce_gv(
    chart: &Chart,
    vals: &GMap,
    merge: bool,
    logs: &mut Vec<LogRecord>,
) -> Result<GMap, CoalesceError> {
    let dest = deep_copy(vals);
    coalesce(&mut Printer { logs }, chart, &dest, "", merge)?;
    Ok(dest)
}

/// Helm's `Values.Table`: follows a dotted path of maps.
/// The error is Helm's `ErrNoTable` text (`"x" is not a table`).
pub(crate) fn table(v: &GMap, path: &str) -> Result<GMap, String> {
    let mut cur = v.clone();
    for part in path.split('.') {
        let next = match get(&cur, part) {
            Some(GV::Map(m)) => m,
            _ => return Err(format!("{} is not a table", crate::gofmt::quote(part))),
        };
        cur = next;
    }
    Ok(cur)
}

/// Helm's `Values.PathValue`: a non-map value at a dotted path.
/// `Err(true)` is `ErrNoValue`; `Err(false)` any other error.
pub(crate) fn path_value(v: &GMap, path: &str) -> Result<GV, bool> {
    if path.is_empty() {
        return Err(false);
    }
    let parts: Vec<&str> = path.split('.').collect();
    let (last, init) = parts.split_last().ok_or(false)?;
    let t = if init.is_empty() {
        v.clone()
    } else {
        table(v, &init.join(".")).map_err(|_| true)?
    };
    match get(&t, last) {
        Some(GV::Map(_)) | None => Err(true),
        Some(x) => Ok(x),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_maps_replaces_non_maps() {
        let a = load_values(b"a: {b: 1, c: [1]}\nd: 1\n").unwrap();
        let b = load_values(b"a: {c: [2], e: null}\nd: {x: 1}\n").unwrap();
        let m = merge_maps(a, b);
        assert_eq!(
            chartkit_yaml::json::to_string(
                &Value::Map(m),
                chartkit_yaml::json::JsonOptions::compact()
            )
            .unwrap(),
            r#"{"a":{"b":1,"c":[2],"e":null},"d":{"x":1}}"#
        );
    }
}

//! YAML, JSON and TOML exactly as Helm v4.1.4 (Go) reads and writes them.
//!
//! Reading: [`from_yaml_str`] is sigs.k8s.io/yaml's `Unmarshal` — go-yaml v2
//! (YAML 1.1: `yes`/`on` booleans, `012` octal, merge keys) converted to JSON
//! and back, so keys are strings and every number a float64. [`load_values`]
//! adds Helm's multi-document values loading.
//!
//! Writing: [`to_yaml`] (Helm's `toYaml`), [`to_yaml_pretty`]
//! (`toYamlPretty`), [`json::to_string`] (`toJson`, `toPrettyJson`,
//! `toRawJson`) and [`toml::to_string`] (`toToml`), byte for byte.
//!
//! Linters get positions from [`parse_spanned`].

#![forbid(unsafe_code)]

mod compose;
mod decode;
mod emitter;
mod encode;
pub mod error;
mod gonum;
mod gosort;
pub mod json;
mod resolve;
mod shallow;
pub mod spanned;
pub mod toml;
mod value;
mod values;

pub use decode::PathSegment;
pub use encode::{to_yaml, to_yaml_pretty};
pub use error::{Error, ErrorKind, Position};
pub use gonum::{format_e as go_format_e, format_g as go_format_float, format_json_float};
pub use shallow::{Shallow, ShallowScalar, shallow_document};
pub use spanned::{SpannedKind, SpannedNode, Style, parse_spanned};
pub use value::{Mapping, Value};
pub use values::{load_values, load_values_bytes};

use crate::json::Target;

/// Runs `f` on a thread with a large stack when a document nests deeply
/// (go-yaml accepts 10000 levels; the recursive passes need room for them).
pub(crate) fn with_stack<T: Send>(depth: usize, f: impl FnOnce() -> T + Send) -> T {
    const SHALLOW: usize = 64;
    if depth <= SHALLOW {
        return f();
    }
    let stack = depth.saturating_mul(16 * 1024).max(8 << 20);
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .stack_size(stack)
            .spawn_scoped(s, f)
        {
            Ok(handle) => match handle.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            // No thread available: nothing better than trying on this one.
            Err(_) => unreachable_thread(),
        }
    })
}

#[cold]
fn unreachable_thread() -> ! {
    // Spawning fails only when the OS is out of threads or memory, which a
    // library cannot recover from any better than by stopping here.
    panic!("chartkit-yaml: cannot spawn a thread to decode a deeply nested document")
}

/// The untyped value of the first document, as go-yaml v2 + JSON see it.
fn decode_first(bytes: &[u8]) -> Result<Value, Error> {
    let wrap = |e: Error| e.wrap("error converting YAML to JSON");
    let doc = compose::first_document(bytes).map_err(wrap)?;
    let Some(doc) = doc else {
        return Ok(Value::Null);
    };
    with_stack(doc.max_depth, || {
        let go = decode::decode_document(&doc).map_err(wrap)?;
        decode::to_json_value(go).map_err(wrap)
    })
}

fn unmarshal_as(bytes: &[u8], target: Target) -> Result<Value, Error> {
    let v = decode_first(bytes)?;
    json::check_target(&v, target)
        .map_err(|e| e.wrap("error unmarshaling JSON: while decoding JSON"))?;
    Ok(v)
}

/// sigs.k8s.io/yaml's `Unmarshal` into an `interface{}`: the first document
/// of `text` (later documents are not even parsed, as in Go), YAML 1.1
/// scalars, keys as strings, numbers as float64. Errors read exactly like
/// Go's, e.g. `error converting YAML to JSON: yaml: line 3: did not find
/// expected key`.
pub fn from_yaml_str(text: &str) -> Result<Value, Error> {
    unmarshal_as(text.as_bytes(), Target::Any)
}

/// sigs.k8s.io/yaml's `Unmarshal` into a `map[string]interface{}` (Helm's
/// `fromYaml`, values files, each document of [`load_values`]). An empty or
/// null document gives an empty map; a list gives Go's type error.
pub fn from_yaml_map(text: &str) -> Result<Mapping, Error> {
    from_yaml_map_bytes(text.as_bytes())
}

pub(crate) fn from_yaml_map_bytes(bytes: &[u8]) -> Result<Mapping, Error> {
    match unmarshal_as(bytes, Target::Map)? {
        Value::Map(m) => Ok(m),
        _ => Ok(Mapping::new()),
    }
}

/// sigs.k8s.io/yaml's `Unmarshal` into a `[]interface{}` (Helm's
/// `fromYamlArray`).
pub fn from_yaml_array(text: &str) -> Result<Vec<Value>, Error> {
    match unmarshal_as(text.as_bytes(), Target::Array)? {
        Value::Seq(s) => Ok(s),
        _ => Ok(Vec::new()),
    }
}

/// sigs.k8s.io/yaml's `Unmarshal` into a typed Go value (Helm's
/// `Chart.yaml` into `chart.Metadata`): wherever `is_string(path)` says the
/// destination field is a Go `string`, scalars become strings the way
/// sigs.k8s.io/yaml converts them (`version: 1.10` → `"1.1"`, `1e7` →
/// `"1e+07"`, `10000000` → `"10000000"`, `true` → `"true"`). Matching the
/// field names (Go's case-insensitive JSON matching) is up to the caller.
pub fn from_yaml_str_typed(
    text: &str,
    is_string: &(dyn Fn(&[PathSegment]) -> bool + Sync),
) -> Result<Value, Error> {
    let wrap = |e: Error| e.wrap("error converting YAML to JSON");
    let doc = compose::first_document(text.as_bytes()).map_err(wrap)?;
    let Some(doc) = doc else {
        return Ok(Value::Null);
    };
    with_stack(doc.max_depth, || {
        let go = decode::decode_document(&doc).map_err(wrap)?;
        decode::to_json_value_typed(go, is_string).map_err(wrap)
    })
}

/// Every document of a YAML stream, each decoded like [`from_yaml_str`].
/// Documents that are empty (only comments, or `---` alone) are `Null`.
pub fn from_yaml_documents(text: &str) -> Result<Vec<Value>, Error> {
    let wrap = |e: Error| e.wrap("error converting YAML to JSON");
    let docs = compose::all_documents(text.as_bytes()).map_err(wrap)?;
    let depth = docs.iter().map(|d| d.max_depth).max().unwrap_or(0);
    with_stack(depth, || {
        docs.iter()
            .map(|doc| {
                let go = decode::decode_document(doc).map_err(wrap)?;
                decode::to_json_value(go).map_err(wrap)
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn values_semantics() {
        let v =
            from_yaml_str("yes: on\n1: 012\n0x1F: 1_000\nt: 2001-12-14\nnn: ~\nf: 1.5\n").unwrap();
        assert_eq!(
            v,
            map(&[
                ("true", Value::Bool(true)),
                ("1", Value::Float(10.0)),
                ("31", Value::Float(1000.0)),
                ("t", Value::String("2001-12-14".into())),
                ("nn", Value::Null),
                ("f", Value::Float(1.5)),
            ])
        );
    }

    #[test]
    fn merge_keys_and_anchors() {
        let text = "base: &b {a: 1, b: 2}\nx:\n  b: 0\n  <<: *b\n  c: 3\nz: *b\n";
        let v = from_yaml_str(text).unwrap();
        let x = v.as_map().unwrap()["x"].clone();
        assert_eq!(
            x,
            map(&[
                ("a", Value::Float(1.0)),
                ("b", Value::Float(2.0)),
                ("c", Value::Float(3.0))
            ])
        );
        assert_eq!(
            v.as_map().unwrap()["z"],
            map(&[("a", Value::Float(1.0)), ("b", Value::Float(2.0))])
        );
    }

    #[test]
    fn duplicate_keys_last_wins() {
        assert_eq!(
            from_yaml_str("a: 1\na: 2\n").unwrap(),
            map(&[("a", Value::Float(2.0))])
        );
    }

    #[test]
    fn errors_like_go() {
        assert_eq!(
            from_yaml_str("a: .inf\n").unwrap_err().to_string(),
            "error converting YAML to JSON: json: unsupported value: +Inf"
        );
        assert_eq!(
            from_yaml_str("\ta: 1\n").unwrap_err().to_string(),
            "error converting YAML to JSON: yaml: found character that cannot start any token"
        );
        assert_eq!(
            from_yaml_str("a: &x [*x]\n").unwrap_err().to_string(),
            "error converting YAML to JSON: yaml: anchor 'x' value contains itself"
        );
        assert_eq!(
            from_yaml_str("a: *nope\n").unwrap_err().to_string(),
            "error converting YAML to JSON: yaml: unknown anchor 'nope' referenced"
        );
        assert_eq!(
            from_yaml_map("- 1\n").unwrap_err().to_string(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
        );
    }

    #[test]
    fn only_the_first_document_is_read() {
        assert_eq!(
            from_yaml_str("a: 1\n---\nb: [\n").unwrap(),
            map(&[("a", Value::Float(1.0))])
        );
        assert_eq!(from_yaml_documents("a: 1\n---\nb: 2\n").unwrap().len(), 2);
    }

    #[test]
    fn typed_string_targets() {
        // Helm v4.1.4 prints Chart.yaml `appVersion: 1.10`, `description: 1e7`,
        // `home: 10000000` as "1.1", "1e+07", "10000000".
        let text =
            "name: 1.10\nversion: 10000000\nbig: 1e7\nflag: true\nother: 1.10\nlist: [1, 2.5]\n";
        let is_string = |p: &[PathSegment]| match p {
            [PathSegment::Key(k)] => matches!(k.as_str(), "name" | "version" | "big" | "flag"),
            [PathSegment::Key(k), PathSegment::Index(_)] => k == "list",
            _ => false,
        };
        let v = from_yaml_str_typed(text, &is_string).unwrap();
        let m = v.as_map().unwrap();
        assert_eq!(m["name"], Value::String("1.1".into()));
        assert_eq!(m["version"], Value::String("10000000".into()));
        assert_eq!(m["big"], Value::String("1e+07".into()));
        assert_eq!(m["flag"], Value::String("true".into()));
        assert_eq!(m["other"], Value::Float(1.1));
        assert_eq!(
            m["list"],
            Value::Seq(vec![Value::String("1".into()), Value::String("2.5".into())])
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
        assert!(from_yaml_str(&deep).is_ok());
        let too_deep = "[".repeat(10_001);
        assert_eq!(
            from_yaml_str(&too_deep).unwrap_err().to_string(),
            "error converting YAML to JSON: yaml: exceeded max depth of 10000"
        );
    }
}

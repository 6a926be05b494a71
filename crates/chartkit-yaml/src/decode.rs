//! go-yaml v2's decoder into `interface{}`, then sigs.k8s.io/yaml's
//! conversion of that value to JSON and back (what Helm does with every
//! values file, Chart.yaml and `fromYaml` argument).

use std::collections::HashMap;

use crate::compose::{Document, NodeKind, Style};
use crate::error::{Error, ErrorKind};
use crate::gonum::format_g32;
use crate::resolve::{BINARY_TAG, Dialect, MERGE_TAG, Scalar, TIMESTAMP_TAG, resolve};
use crate::value::{Mapping, Value};

/// A value as go-yaml v2 hands it to an `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum GoVal {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<GoVal>),
    Map(GoMap),
}

/// A `map[interface{}]interface{}`: insertion-ordered, with Go's key
/// equality (same dynamic type and value; NaN never equal).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct GoMap {
    pub entries: Vec<(GoVal, GoVal)>,
    index: HashMap<KeyRepr, usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum KeyRepr {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    Str(String),
}

fn key_repr(k: &GoVal) -> Option<KeyRepr> {
    Some(match k {
        GoVal::Null => KeyRepr::Null,
        GoVal::Bool(b) => KeyRepr::Bool(*b),
        GoVal::Int(i) => KeyRepr::Int(*i),
        GoVal::Uint(u) => KeyRepr::Uint(*u),
        GoVal::Float(f) if f.is_nan() => return None,
        GoVal::Float(f) => KeyRepr::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
        GoVal::Str(s) => KeyRepr::Str(s.clone()),
        GoVal::Seq(_) | GoVal::Map(_) => return None,
    })
}

impl GoMap {
    pub(crate) fn insert(&mut self, k: GoVal, v: GoVal) {
        match key_repr(&k) {
            Some(repr) => match self.index.get(&repr) {
                Some(&i) => self.entries[i].1 = v,
                None => {
                    self.index.insert(repr, self.entries.len());
                    self.entries.push((k, v));
                }
            },
            None => self.entries.push((k, v)),
        }
    }
}

fn fail(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Decode, format!("yaml: {}", msg.into()))
}

/// go-yaml's decoder state: alias bookkeeping and the expansion budget.
struct Decoder<'d> {
    doc: &'d Document,
    active_aliases: Vec<usize>,
    decode_count: u64,
    alias_count: u64,
    alias_depth: u64,
}

fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

impl Decoder<'_> {
    fn count(&mut self) -> Result<(), Error> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(fail("document contains excessive aliasing"));
        }
        Ok(())
    }

    fn value(&mut self, id: usize, depth: usize) -> Result<GoVal, Error> {
        self.count()?;
        let node = &self.doc.nodes[id];
        match &node.kind {
            NodeKind::Alias { target, .. } => self.alias(id, *target, depth, None),
            NodeKind::Scalar {
                value,
                implicit,
                style,
            } => self.scalar(&node.tag, value, *implicit, *style),
            NodeKind::Seq(children) => {
                let mut out = Vec::with_capacity(children.len());
                for &c in children {
                    out.push(self.value(c, depth + 1)?);
                }
                Ok(GoVal::Seq(out))
            }
            NodeKind::Map(children) => {
                let mut out = GoMap::default();
                self.mapping_into(children, &mut out, depth)?;
                Ok(GoVal::Map(out))
            }
        }
    }

    fn alias(
        &mut self,
        id: usize,
        target: usize,
        depth: usize,
        into: Option<&mut GoMap>,
    ) -> Result<GoVal, Error> {
        if self.active_aliases.contains(&id) {
            let name = match &self.doc.nodes[id].kind {
                NodeKind::Alias { name, .. } => name.clone(),
                _ => String::new(),
            };
            return Err(fail(format!("anchor '{name}' value contains itself")));
        }
        self.active_aliases.push(id);
        self.alias_depth += 1;
        let result = match into {
            Some(map) => {
                self.count()?;
                match &self.doc.nodes[target].kind {
                    NodeKind::Map(children) => self
                        .mapping_into(children, map, depth)
                        .map(|()| GoVal::Null),
                    _ => Err(fail(
                        "map merge requires map or sequence of maps as the value",
                    )),
                }
            }
            None => self.value(target, depth),
        };
        self.alias_depth -= 1;
        self.active_aliases.pop();
        result
    }

    fn scalar(
        &self,
        tag: &str,
        value: &str,
        implicit: bool,
        _style: Style,
    ) -> Result<GoVal, Error> {
        if tag.is_empty() && !implicit {
            return Ok(GoVal::Str(value.to_owned()));
        }
        let (rtag, resolved) = resolve(tag, value, Dialect::V2).map_err(fail)?;
        if rtag == BINARY_TAG {
            let bytes = decode_base64(value)
                .ok_or_else(|| fail("!!binary value contains invalid base64 data"))?;
            return Ok(GoVal::Str(go_lossy_utf8(&bytes)));
        }
        if rtag == TIMESTAMP_TAG {
            return Ok(GoVal::Str(value.to_owned()));
        }
        Ok(match resolved {
            Scalar::Null => GoVal::Null,
            Scalar::Bool(b) => GoVal::Bool(b),
            Scalar::Int(i) => GoVal::Int(i),
            Scalar::Uint(u) => GoVal::Uint(u),
            Scalar::Float(f) => GoVal::Float(f),
            Scalar::Str(s) => GoVal::Str(s),
            Scalar::Merge => GoVal::Str("<<".into()),
        })
    }

    fn is_merge(&self, id: usize) -> bool {
        let node = &self.doc.nodes[id];
        matches!(&node.kind, NodeKind::Scalar { value, implicit, .. }
            if value == "<<" && (*implicit || node.tag == MERGE_TAG))
    }

    fn mapping_into(
        &mut self,
        children: &[usize],
        out: &mut GoMap,
        depth: usize,
    ) -> Result<(), Error> {
        for pair in children.chunks(2) {
            let [k, v] = pair else { break };
            if self.is_merge(*k) {
                self.merge(*v, out, depth)?;
                continue;
            }
            let key = self.value(*k, depth + 1)?;
            if matches!(key, GoVal::Map(_) | GoVal::Seq(_)) {
                return Err(fail(format!("invalid map key: {}", go_sharp_v(&key))));
            }
            let val = self.value(*v, depth + 1)?;
            out.insert(key, val);
        }
        Ok(())
    }

    fn merge(&mut self, id: usize, out: &mut GoMap, depth: usize) -> Result<(), Error> {
        let want_map = || fail("map merge requires map or sequence of maps as the value");
        let node = &self.doc.nodes[id];
        match &node.kind {
            NodeKind::Map(children) => {
                self.count()?;
                let children = children.clone();
                self.mapping_into(&children, out, depth + 1)
            }
            NodeKind::Alias { target, .. } => {
                if !matches!(self.doc.nodes[*target].kind, NodeKind::Map(_)) {
                    return Err(want_map());
                }
                self.count()?;
                self.alias(id, *target, depth + 1, Some(out)).map(|_| ())
            }
            NodeKind::Seq(children) => {
                let children = children.clone();
                for &c in children.iter().rev() {
                    match &self.doc.nodes[c].kind {
                        NodeKind::Alias { target, .. } => {
                            if !matches!(self.doc.nodes[*target].kind, NodeKind::Map(_)) {
                                return Err(want_map());
                            }
                            self.count()?;
                            self.alias(c, *target, depth + 1, Some(out))?;
                        }
                        NodeKind::Map(grand) => {
                            self.count()?;
                            let grand = grand.clone();
                            self.mapping_into(&grand, out, depth + 1)?;
                        }
                        _ => return Err(want_map()),
                    }
                }
                Ok(())
            }
            NodeKind::Scalar { .. } => Err(want_map()),
        }
    }
}

/// Go's `base64.StdEncoding.DecodeString`, which skips `\r` and `\n`.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    }
    let clean: Vec<u8> = s.bytes().filter(|b| *b != b'\r' && *b != b'\n').collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let chunks = clean.len() / 4;
    for (ci, chunk) in clean.chunks(4).enumerate() {
        let pad = chunk.iter().rev().take_while(|b| **b == b'=').count();
        if pad > 2 || (pad > 0 && ci + 1 != chunks) {
            return None;
        }
        let mut n: u32 = 0;
        for &c in &chunk[..4 - pad] {
            n = (n << 6) | val(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        // Go rejects non-zero trailing bits only in strict mode; StdEncoding is lenient.
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Go's replacement of invalid UTF-8 (one U+FFFD per bad byte), as
/// `encoding/json` applies it.
pub(crate) fn go_lossy_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{FFFD}');
                rest = &bad[1..];
            }
        }
    }
}

/// A rough Go `%#v` for the values that can appear in key errors.
fn go_sharp_v(v: &GoVal) -> String {
    match v {
        GoVal::Null => "<nil>".into(),
        GoVal::Bool(b) => b.to_string(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Uint(u) => format!("0x{u:x}"),
        GoVal::Float(f) => crate::gonum::format_g(*f),
        GoVal::Str(s) => go_quote(s),
        GoVal::Seq(items) => format!(
            "[]interface {{}}{{{}}}",
            items.iter().map(go_sharp_v).collect::<Vec<_>>().join(", ")
        ),
        GoVal::Map(m) => format!(
            "map[interface {{}}]interface {{}}{{{}}}",
            m.entries
                .iter()
                .map(|(k, v)| format!("{}:{}", go_sharp_v(k), go_sharp_v(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Go's `strconv.Quote` for printable text (enough for error messages).
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// go-yaml v2's `Unmarshal` of one document into an `interface{}`.
pub(crate) fn decode_document(doc: &Document) -> Result<GoVal, Error> {
    let Some(root) = doc.root else {
        return Ok(GoVal::Null);
    };
    let mut d = Decoder {
        doc,
        active_aliases: Vec::new(),
        decode_count: 0,
        alias_count: 0,
        alias_depth: 0,
    };
    d.count()?;
    d.value(root, 0)
}

/// One step of a path from the document root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// A mapping key (after conversion to a string).
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// sigs.k8s.io/yaml's `convertToJSONableObject` with a typed target: where
/// `is_string` says the Go destination is a `string`, ints, floats and bools
/// are turned into their Go text (`int` in decimal, float64 with
/// `FormatFloat(f, 'g', -1, 32)`, so `1.10` becomes `"1.1"` and `10000000.0`
/// becomes `"1e+07"`).
pub(crate) fn to_json_value_typed(
    v: GoVal,
    is_string: &dyn Fn(&[PathSegment]) -> bool,
) -> Result<Value, Error> {
    let mut path = Vec::new();
    let converted = coerce(v, is_string, &mut path)?;
    let converted = convert(converted)?;
    check_finite(&converted)?;
    Ok(converted)
}

fn key_string(k: &GoVal) -> Option<String> {
    Some(match k {
        GoVal::Str(s) => s.clone(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Float(f) => match format_g32(*f).as_str() {
            "+Inf" => ".inf".into(),
            "-Inf" => "-.inf".into(),
            "NaN" => ".nan".into(),
            s => s.to_owned(),
        },
        GoVal::Bool(b) => b.to_string(),
        _ => return None,
    })
}

fn coerce(
    v: GoVal,
    is_string: &dyn Fn(&[PathSegment]) -> bool,
    path: &mut Vec<PathSegment>,
) -> Result<GoVal, Error> {
    Ok(match v {
        GoVal::Map(m) => {
            let mut out = GoMap::default();
            for (k, v) in m.entries {
                let Some(key) = key_string(&k) else {
                    out.insert(k, v);
                    continue;
                };
                path.push(PathSegment::Key(key));
                let v = coerce(v, is_string, path)?;
                path.pop();
                out.insert(k, v);
            }
            GoVal::Map(out)
        }
        GoVal::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                path.push(PathSegment::Index(i));
                out.push(coerce(item, is_string, path)?);
                path.pop();
            }
            GoVal::Seq(out)
        }
        scalar if is_string(path) => match scalar {
            GoVal::Int(i) => GoVal::Str(i.to_string()),
            GoVal::Uint(u) => GoVal::Str(u.to_string()),
            GoVal::Float(f) => GoVal::Str(format_g32(f)),
            GoVal::Bool(b) => GoVal::Str(b.to_string()),
            other => other,
        },
        other => other,
    })
}

/// sigs.k8s.io/yaml's `convertToJSONableObject` (untyped target) followed by
/// `json.Marshal` and `json.Unmarshal` into `interface{}`: keys become strings,
/// numbers float64, non-finite floats an error.
pub(crate) fn to_json_value(v: GoVal) -> Result<Value, Error> {
    let converted = convert(v)?;
    check_finite(&converted)?;
    Ok(converted)
}

fn convert(v: GoVal) -> Result<Value, Error> {
    Ok(match v {
        GoVal::Null => Value::Null,
        GoVal::Bool(b) => Value::Bool(b),
        GoVal::Int(i) => Value::Float(i as f64),
        GoVal::Uint(u) => Value::Float(u as f64),
        GoVal::Float(f) => Value::Float(f),
        GoVal::Str(s) => Value::String(s),
        GoVal::Seq(items) => Value::Seq(items.into_iter().map(convert).collect::<Result<_, _>>()?),
        GoVal::Map(m) => {
            let mut out = Mapping::new();
            for (k, v) in m.entries {
                let key = match key_string(&k) {
                    Some(key) => key,
                    None => {
                        let type_name = match &k {
                            // Go prints the nil reflect.Type with %s.
                            GoVal::Null => "%!s(<nil>)",
                            GoVal::Uint(_) => "uint64",
                            GoVal::Seq(_) => "[]interface {}",
                            _ => "map[interface {}]interface {}",
                        };
                        return Err(Error::new(
                            ErrorKind::Json,
                            format!(
                                "unsupported map key of type: {type_name}, key: {}, value: {}",
                                go_sharp_v(&k),
                                go_sharp_v(&v)
                            ),
                        ));
                    }
                };
                out.insert(key, convert(v)?);
            }
            Value::Map(out)
        }
    })
}

/// `json.Marshal` walks maps in sorted key order and stops at the first
/// NaN or infinity.
fn check_finite(v: &Value) -> Result<(), Error> {
    match v {
        Value::Float(f) if !f.is_finite() => Err(Error::new(
            ErrorKind::Json,
            format!("json: unsupported value: {}", crate::gonum::format_g(*f)),
        )),
        Value::Seq(items) => items.iter().try_for_each(check_finite),
        Value::Map(m) => m.values().try_for_each(check_finite),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_like_go() {
        assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("aGVs\nbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("aGVsbG8"), None);
        assert_eq!(decode_base64("a=Vs"), None);
    }

    #[test]
    fn lossy_is_per_byte() {
        assert_eq!(go_lossy_utf8(b"a\xe2\x82b"), "a\u{FFFD}\u{FFFD}b");
    }
}

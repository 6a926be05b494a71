//! TOML as BurntSushi/toml v1.6 (Helm's `toToml`/`fromToml`) writes and
//! reads it.
//!
//! The encoder follows `encode.go`: keys sorted by bytes, plain values of a
//! table before its sub-tables, sub-tables indented two spaces per level, a
//! blank line before each top-level table, arrays of tables as `[[key]]`,
//! `null` values skipped, floats always with a decimal point or exponent.
//! The decoder uses the `toml` crate and maps its types onto Go's: integers
//! int64, floats float64, datetimes kept as their text.

use crate::error::{Error, ErrorKind};
use crate::gonum::format_g;
use crate::value::{Mapping, Value};

fn encode_error(msg: &str) -> Error {
    Error::new(ErrorKind::Encode, msg)
}

const ERR_NIL_ELEMENT: &str = "toml: cannot encode array with nil element";
const ERR_NO_KEY: &str = "toml: top-level values must be Go maps or structs";

#[derive(PartialEq, Eq)]
enum TomlType {
    Nil,
    Table,
    ArrayOfTables,
    Other,
}

/// BurntSushi's `tomlTypeOfGo`, including its refusal of arrays holding nil.
fn toml_type(v: &Value) -> Result<TomlType, Error> {
    Ok(match v {
        Value::Null => TomlType::Nil,
        Value::Map(_) => TomlType::Table,
        Value::Seq(items) => {
            if items.is_empty() {
                TomlType::Other
            } else {
                let mut all_tables = true;
                for item in items {
                    let t = toml_type(item)?;
                    if t == TomlType::Nil {
                        return Err(encode_error(ERR_NIL_ELEMENT));
                    }
                    if t != TomlType::Table {
                        all_tables = false;
                    }
                }
                if all_tables {
                    TomlType::ArrayOfTables
                } else {
                    TomlType::Other
                }
            }
        }
        _ => TomlType::Other,
    })
}

fn is_bare(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key_piece(k: &str) -> String {
    if k.is_empty() {
        "\"\"".into()
    } else if is_bare(k) {
        k.to_owned()
    } else {
        quote(k)
    }
}

fn key_path(key: &[String]) -> String {
    key.iter()
        .map(|k| key_piece(k))
        .collect::<Vec<_>>()
        .join(".")
}

struct Encoder {
    out: String,
}

impl Encoder {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(key: &[String]) -> String {
        "  ".repeat(key.len().saturating_sub(1))
    }

    fn element(&mut self, v: &Value) -> Result<(), Error> {
        match v {
            Value::Null => return Err(encode_error(ERR_NIL_ELEMENT)),
            Value::Bool(b) => self.write(if *b { "true" } else { "false" }),
            Value::Int(i) => self.write(&i.to_string()),
            Value::Float(f) => {
                if f.is_nan() {
                    self.write(if f.is_sign_negative() { "-nan" } else { "nan" });
                } else if f.is_infinite() {
                    self.write(if *f < 0.0 { "-inf" } else { "inf" });
                } else {
                    let s = format_g(*f);
                    if s.contains('e') || s.contains('.') {
                        self.write(&s);
                    } else {
                        self.write(&s);
                        self.write(".0");
                    }
                }
            }
            Value::String(s) => self.write(&quote(s)),
            Value::Seq(items) => {
                self.write("[");
                for (i, item) in items.iter().enumerate() {
                    self.element(item)?;
                    if i + 1 != items.len() {
                        self.write(", ");
                    }
                }
                self.write("]");
            }
            Value::Map(m) => self.map(&[], m, true)?,
        }
        Ok(())
    }

    fn key_value(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), Error> {
        if key.is_empty() {
            return self.element(v);
        }
        let last = key.last().map(String::as_str).unwrap_or("");
        self.write(&format!("{}{} = ", Self::indent(key), key_piece(last)));
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn encode(&mut self, key: &[String], v: &Value) -> Result<(), Error> {
        match v {
            Value::Null => Ok(()),
            Value::Map(m) => self.table(key, m),
            Value::Seq(items) => {
                if toml_type(v)? == TomlType::ArrayOfTables {
                    if key.is_empty() {
                        return Err(encode_error(ERR_NO_KEY));
                    }
                    for item in items {
                        if let Value::Map(m) = item {
                            self.newline();
                            self.write(&format!("{}[[{}]]", Self::indent(key), key_path(key)));
                            self.newline();
                            self.map(key, m, false)?;
                        }
                    }
                    Ok(())
                } else {
                    self.key_value(key, v, false)
                }
            }
            _ => self.key_value(key, v, false),
        }
    }

    fn table(&mut self, key: &[String], m: &Mapping) -> Result<(), Error> {
        if key.len() == 1 {
            self.newline();
        }
        if !key.is_empty() {
            self.write(&format!("{}[{}]", Self::indent(key), key_path(key)));
            self.newline();
        }
        self.map(key, m, false)
    }

    fn map(&mut self, key: &[String], m: &Mapping, inline: bool) -> Result<(), Error> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in m {
            match toml_type(v)? {
                TomlType::Table | TomlType::ArrayOfTables => sub.push((k, v)),
                _ => direct.push((k, v)),
            }
        }
        if inline {
            self.write("{");
        }
        let has_sub = !sub.is_empty();
        for (group, trail) in [(direct, has_sub), (sub, false)] {
            let n = group.len();
            for (i, (k, v)) in group.into_iter().enumerate() {
                if matches!(v, Value::Null) {
                    continue;
                }
                if inline {
                    self.key_value(std::slice::from_ref(k), v, true)?;
                    if trail || i != n - 1 {
                        self.write(", ");
                    }
                } else {
                    let mut child = key.to_vec();
                    child.push(k.clone());
                    self.encode(&child, v)?;
                }
            }
        }
        if inline {
            self.write("}");
        }
        Ok(())
    }
}

/// BurntSushi's `Encoder.Encode` (Helm's `toToml`). Errors carry Go's text,
/// which Helm's `toToml` prints in place of the document.
pub fn to_string(v: &Value) -> Result<String, Error> {
    let mut enc = Encoder { out: String::new() };
    enc.encode(&[], v)?;
    Ok(enc.out)
}

fn from_toml(v: ::toml::Value) -> Value {
    match v {
        ::toml::Value::String(s) => Value::String(s),
        ::toml::Value::Integer(i) => Value::Int(i),
        ::toml::Value::Float(f) => Value::Float(f),
        ::toml::Value::Boolean(b) => Value::Bool(b),
        ::toml::Value::Datetime(d) => Value::String(go_time_text(&d)),
        ::toml::Value::Array(items) => Value::Seq(items.into_iter().map(from_toml).collect()),
        ::toml::Value::Table(t) => {
            Value::Map(t.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
    }
}

/// A TOML datetime as Go's `time.Time` marshals to JSON/YAML (RFC 3339 with
/// nanoseconds trimmed): local dates and times are placed in UTC
/// (`1979-05-27T00:00:00Z`, `0000-01-01T07:32:00Z`), as BurntSushi does.
fn go_time_text(d: &::toml::value::Datetime) -> String {
    let (y, mo, da) = d.date.map_or((0, 1, 1), |x| (x.year, x.month, x.day));
    let (h, mi, se, ns) = d
        .time
        .map_or((0, 0, 0, 0), |t| (t.hour, t.minute, t.second, t.nanosecond));
    let mut out = format!("{y:04}-{mo:02}-{da:02}T{h:02}:{mi:02}:{se:02}");
    if ns != 0 {
        let frac = format!("{ns:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    match d.offset {
        Some(::toml::value::Offset::Custom { minutes }) if minutes != 0 => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let m = minutes.unsigned_abs();
            out.push_str(&format!("{sign}{:02}:{:02}", m / 60, m % 60));
        }
        _ => out.push('Z'),
    }
    out
}

/// `toml.Unmarshal` into a `map[string]interface{}` (Helm's `fromToml`).
/// Error texts come from the `toml` crate, prefixed with `toml: `; they do
/// not match BurntSushi's wording.
pub fn from_str(text: &str) -> Result<Value, Error> {
    let table: ::toml::Table = text.parse().map_err(|e: ::toml::de::Error| {
        Error::new(ErrorKind::Syntax, format!("toml: {}", e.message()))
    })?;
    Ok(Value::Map(
        table.into_iter().map(|(k, v)| (k, from_toml(v))).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn layout_like_burntsushi() {
        let v = m(&[
            ("z", Value::Float(1.0)),
            ("a b", Value::String("x\"y".into())),
            (
                "t",
                m(&[
                    ("k", Value::Int(1)),
                    ("sub", m(&[("q", Value::Bool(true))])),
                ]),
            ),
            (
                "arr",
                Value::Seq(vec![m(&[("n", Value::Float(1.5))]), m(&[])]),
            ),
            (
                "list",
                Value::Seq(vec![Value::Int(1), m(&[("i", Value::Int(2))])]),
            ),
            ("nil", Value::Null),
        ]);
        assert_eq!(
            to_string(&v).unwrap(),
            "\"a b\" = \"x\\\"y\"\nlist = [1, {i = 2}]\nz = 1.0\n\n[[arr]]\n  n = 1.5\n\n[[arr]]\n\n[t]\n  k = 1\n  [t.sub]\n    q = true\n"
        );
    }

    #[test]
    fn nil_in_array_is_an_error() {
        let v = m(&[("a", Value::Seq(vec![Value::Null]))]);
        assert_eq!(to_string(&v).unwrap_err().to_string(), ERR_NIL_ELEMENT);
    }

    #[test]
    fn datetimes_read_like_go_time() {
        // Helm v4.1.4: `fromToml ... | toJson` prints these.
        let v = from_str(
            "b = 1979-05-27T07:32:00Z\nc = 1979-05-27\nd = 07:32:00\ne = 1979-05-27T07:32:00.5+01:00\nf = 1979-05-27T07:32:00\n",
        )
        .unwrap();
        let m = v.as_map().unwrap();
        assert_eq!(m["b"], Value::String("1979-05-27T07:32:00Z".into()));
        assert_eq!(m["c"], Value::String("1979-05-27T00:00:00Z".into()));
        assert_eq!(m["d"], Value::String("0000-01-01T07:32:00Z".into()));
        assert_eq!(m["e"], Value::String("1979-05-27T07:32:00.5+01:00".into()));
        assert_eq!(m["f"], Value::String("1979-05-27T07:32:00Z".into()));
    }

    #[test]
    fn decode_types() {
        let v = from_str("a = 1\nb = 1.5\n[t]\nc = \"x\"\n").unwrap();
        assert_eq!(
            v,
            m(&[
                ("a", Value::Int(1)),
                ("b", Value::Float(1.5)),
                ("t", m(&[("c", Value::String("x".into()))]))
            ])
        );
    }
}

//! The two YAML encoders Helm uses.
//!
//! - [`to_yaml`]: sigs.k8s.io/yaml `Marshal` — `json.Marshal`, then go-yaml
//!   v2 reads that JSON back (integral numbers become ints, others float64)
//!   and writes it with its v2 encoder (Helm's `toYaml`).
//! - [`to_yaml_pretty`]: go-yaml v3's `Encoder` with `SetIndent(2)` applied
//!   to the Go value directly (Helm's `toYamlPretty`).

use crate::emitter::{ENode, Flavor, ReqStyle, emit};
use crate::error::{Error, ErrorKind};
use crate::gonum::{format_g, format_json_float, parse_int_base0, parse_uint_base0};
use crate::resolve::{Dialect, plain_reads_as_string};
use crate::value::Value;

fn plain(s: impl Into<String>) -> ENode {
    ENode::Scalar {
        value: s.into(),
        style: ReqStyle::Plain,
    }
}

/// go-yaml's `stringv`: literal for multi-line, quoted when a plain scalar
/// would read back as something else, plain otherwise.
fn string_node(s: &str, dialect: Dialect) -> ENode {
    let style = if s.contains('\n') {
        ReqStyle::Literal
    } else if plain_reads_as_string(s, dialect) {
        ReqStyle::Plain
    } else {
        ReqStyle::DoubleQuoted
    };
    ENode::Scalar {
        value: s.to_owned(),
        style,
    }
}

fn float_text(f: f64) -> String {
    match format_g(f).as_str() {
        "+Inf" => ".inf".into(),
        "-Inf" => "-.inf".into(),
        "NaN" => ".nan".into(),
        s => s.to_owned(),
    }
}

/// A JSON number's text as go-yaml v2 reads and re-prints it.
fn json_number_node(text: &str) -> ENode {
    if let Some(i) = parse_int_base0(text) {
        return plain(i.to_string());
    }
    if let Some(u) = parse_uint_base0(text) {
        return plain(u.to_string());
    }
    match text.parse::<f64>() {
        Ok(f) => plain(float_text(f)),
        Err(_) => plain(text),
    }
}

fn char_is_letter(c: char) -> bool {
    c.is_alphabetic()
}

fn char_is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// go-yaml's `keyList.Less` for two string keys (v3 adds the `digits` rule).
fn key_less(a: &[char], b: &[char], dialect: Dialect) -> bool {
    let mut digits = false;
    let n = a.len().min(b.len());
    for i in 0..n {
        if a[i] == b[i] {
            digits = char_is_digit(a[i]);
            continue;
        }
        let al = char_is_letter(a[i]);
        let bl = char_is_letter(b[i]);
        if al && bl {
            return a[i] < b[i];
        }
        if al || bl {
            if dialect == Dialect::V3 && digits {
                return al;
            }
            return bl;
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if a[i] == '0' || b[i] == '0' {
            let mut j = i;
            while j > 0 && char_is_digit(a[j - 1]) {
                j -= 1;
                if a[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < a.len() && char_is_digit(a[ai]) {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(a[ai] as u32) - i64::from(b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < b.len() && char_is_digit(b[bi]) {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(b[bi] as u32) - i64::from(b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return a[i] < b[i];
    }
    a.len() < b.len()
}

/// Map keys in go-yaml's "natural" order.
pub(crate) fn sort_keys<'a>(
    keys: impl Iterator<Item = &'a String>,
    dialect: Dialect,
) -> Vec<&'a String> {
    // go-yaml's Less is not a total order (x10y < x1y < x2y < x10y), which
    // Rust's sorts may reject; Go's own algorithm copes with it. Go starts
    // from random map order, so Helm is itself nondeterministic for such key
    // sets; starting from byte order at least makes chartkit deterministic.
    let mut ks: Vec<(Vec<char>, &String)> = keys.map(|k| (k.chars().collect(), k)).collect();
    crate::gosort::sort(&mut ks, |(a, _), (b, _)| key_less(a, b, dialect));
    ks.into_iter().map(|(_, k)| k).collect()
}

fn v2_node(v: &Value) -> Result<ENode, Error> {
    Ok(match v {
        Value::Null => plain("null"),
        Value::Bool(b) => plain(if *b { "true" } else { "false" }),
        Value::Int(i) => plain(i.to_string()),
        Value::Float(f) => match format_json_float(*f) {
            Some(text) => json_number_node(&text),
            None => {
                return Err(Error::new(
                    ErrorKind::Encode,
                    format!(
                        "error marshaling into JSON: json: unsupported value: {}",
                        format_g(*f)
                    ),
                ));
            }
        },
        Value::String(s) => string_node(s, Dialect::V2),
        Value::Seq(items) => ENode::Seq(items.iter().map(v2_node).collect::<Result<_, _>>()?),
        Value::Map(m) => {
            let mut pairs = Vec::with_capacity(m.len());
            for k in sort_keys(m.keys(), Dialect::V2) {
                pairs.push((string_node(k, Dialect::V2), v2_node(&m[k])?));
            }
            ENode::Map(pairs)
        }
    })
}

fn v3_node(v: &Value) -> ENode {
    match v {
        Value::Null => plain("null"),
        Value::Bool(b) => plain(if *b { "true" } else { "false" }),
        Value::Int(i) => plain(i.to_string()),
        Value::Float(f) => plain(float_text(*f)),
        Value::String(s) => string_node(s, Dialect::V3),
        Value::Seq(items) => ENode::Seq(items.iter().map(v3_node).collect()),
        Value::Map(m) => ENode::Map(
            sort_keys(m.keys(), Dialect::V3)
                .into_iter()
                .map(|k| (string_node(k, Dialect::V3), v3_node(&m[k])))
                .collect(),
        ),
    }
}

/// sigs.k8s.io/yaml's `Marshal` (Helm's `toYaml` before it trims the final
/// newline). Fails like Go on NaN and infinities.
pub fn to_yaml(v: &Value) -> Result<String, Error> {
    let node = v2_node(v)?;
    Ok(emit(&node, Flavor::V2, 2))
}

/// go-yaml v3 `Encoder` with `SetIndent(2)` (Helm's `toYamlPretty` before it
/// trims the final newline).
pub fn to_yaml_pretty(v: &Value) -> Result<String, Error> {
    Ok(emit(&v3_node(v), Flavor::V3, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[&str], d: Dialect) -> Vec<String> {
        let owned: Vec<String> = keys.iter().map(|s| (*s).to_owned()).collect();
        sort_keys(owned.iter(), d).into_iter().cloned().collect()
    }

    #[test]
    fn natural_key_order() {
        assert_eq!(
            sorted(
                &["b", "a10", "a2", "A", "_x", "1", "a", "10", "2"],
                Dialect::V2
            ),
            ["_x", "1", "2", "10", "A", "a", "a2", "a10", "b"]
        );
    }

    #[test]
    fn numbers_go_through_json() {
        let v = Value::Seq(vec![
            Value::Float(12345678901.0),
            Value::Float(1e21),
            Value::Float(0.000001),
            Value::Float(1.5),
            Value::Float(1e20),
        ]);
        assert_eq!(
            to_yaml(&v).unwrap(),
            "- 12345678901\n- 1e+21\n- 1e-06\n- 1.5\n- 1e+20\n"
        );
        assert_eq!(
            to_yaml_pretty(&Value::Seq(vec![Value::Float(1234567.0)])).unwrap(),
            "- 1.234567e+06\n"
        );
    }

    #[test]
    fn strings_that_need_quotes() {
        let v = Value::Seq(
            [
                "yes",
                "1.0",
                "~",
                "",
                "on",
                "x: y",
                "- x",
                "@x",
                "2001-01-01",
                "plain",
                " lead",
            ]
            .iter()
            .map(|s| Value::String((*s).into()))
            .collect(),
        );
        assert_eq!(
            to_yaml(&v).unwrap(),
            "- \"yes\"\n- \"1.0\"\n- \"~\"\n- \"\"\n- \"on\"\n- 'x: y'\n- '- x'\n- '@x'\n- \"2001-01-01\"\n- plain\n- ' lead'\n"
        );
    }
}

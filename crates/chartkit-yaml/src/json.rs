//! JSON exactly as Go's `encoding/json` writes and reads it.
//!
//! - [`to_string`] is `json.Marshal` (Helm's `toJson`), `json.MarshalIndent`
//!   (`toPrettyJson`) or an `Encoder` with `SetEscapeHTML(false)` (`toRawJson`):
//!   map keys sorted by bytes, `<`, `>`, `&` escaped unless disabled, U+2028
//!   and U+2029 always escaped, floats in Go's format.
//! - [`from_str`] is `json.Unmarshal` into `interface{}`: every number a
//!   float64, Go's error texts (`invalid character 'x' looking for beginning of
//!   value`, `unexpected end of JSON input`).

use crate::error::{Error, ErrorKind};
use crate::gonum::format_json_float;
use crate::value::{Mapping, Value};

/// Output options.
#[derive(Clone, Debug)]
pub struct JsonOptions {
    /// Escape `<`, `>` and `&` as `\u003c` etc. (Go's default; off for `toRawJson`).
    pub escape_html: bool,
    /// `Some(indent)` for `json.MarshalIndent(v, "", indent)`.
    pub indent: Option<String>,
}

impl Default for JsonOptions {
    fn default() -> Self {
        JsonOptions {
            escape_html: true,
            indent: None,
        }
    }
}

impl JsonOptions {
    /// `json.Marshal` (Helm's `toJson`).
    pub fn compact() -> Self {
        JsonOptions::default()
    }

    /// `json.MarshalIndent(v, "", "  ")` (Sprig's `toPrettyJson`).
    pub fn pretty() -> Self {
        JsonOptions {
            escape_html: true,
            indent: Some("  ".into()),
        }
    }

    /// An encoder with `SetEscapeHTML(false)` (Sprig's `toRawJson`).
    pub fn raw() -> Self {
        JsonOptions {
            escape_html: false,
            indent: None,
        }
    }
}

/// Encodes `v` like Go's `encoding/json`. Fails on NaN and infinities with
/// Go's message (`json: unsupported value: NaN`).
pub fn to_string(v: &Value, opts: JsonOptions) -> Result<String, Error> {
    let mut out = String::new();
    write_value(&mut out, v, &opts, 0)?;
    Ok(out)
}

fn newline(out: &mut String, opts: &JsonOptions, depth: usize) {
    if let Some(ind) = &opts.indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn write_value(out: &mut String, v: &Value, opts: &JsonOptions, depth: usize) -> Result<(), Error> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => match format_json_float(*f) {
            Some(s) => out.push_str(&s),
            None => {
                return Err(Error::new(
                    ErrorKind::Encode,
                    format!("json: unsupported value: {}", crate::gonum::format_g(*f)),
                ));
            }
        },
        Value::String(s) => write_string(out, s, opts.escape_html),
        Value::Seq(items) => {
            out.push('[');
            if !items.is_empty() {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, opts, depth + 1);
                    write_value(out, item, opts, depth + 1)?;
                }
                newline(out, opts, depth);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            if !m.is_empty() {
                for (i, (k, item)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, opts, depth + 1);
                    write_string(out, k, opts.escape_html);
                    out.push(':');
                    if opts.indent.is_some() {
                        out.push(' ');
                    }
                    write_value(out, item, opts, depth + 1)?;
                }
                newline(out, opts, depth);
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Go's `appendString`.
pub(crate) fn write_string(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xF] as char);
            }
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xF] as char);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The shape `json.Unmarshal` decodes into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `interface{}`: anything.
    Any,
    /// `map[string]interface{}` (Helm's `fromJson`).
    Map,
    /// `[]interface{}` (Helm's `fromJsonArray`).
    Array,
}

/// `json.Unmarshal(text, &v)` with `v interface{}`.
pub fn from_str(text: &str) -> Result<Value, Error> {
    from_str_as(text, Target::Any)
}

/// `json.Unmarshal` into a `map[string]interface{}`; `null` gives an empty map.
pub fn from_str_map(text: &str) -> Result<Mapping, Error> {
    match from_str_as(text, Target::Map)? {
        Value::Map(m) => Ok(m),
        _ => Ok(Mapping::new()),
    }
}

/// `json.Unmarshal` into a `[]interface{}`; `null` gives an empty list.
pub fn from_str_array(text: &str) -> Result<Vec<Value>, Error> {
    match from_str_as(text, Target::Array)? {
        Value::Seq(s) => Ok(s),
        _ => Ok(Vec::new()),
    }
}

/// `json.Unmarshal` into the given target. Syntax errors come first (Go
/// validates the whole input before decoding), then type mismatches.
pub fn from_str_as(text: &str, target: Target) -> Result<Value, Error> {
    let mut p = JsonParser {
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    p.skip_ws();
    let v = p.value()?;
    p.skip_ws();
    if p.i < p.b.len() {
        return Err(p.invalid("after top-level value"));
    }
    check_target(&v, target)?;
    Ok(v)
}

pub(crate) fn check_target(v: &Value, target: Target) -> Result<(), Error> {
    let (want, ok) = match target {
        Target::Any => return Ok(()),
        Target::Map => (
            "map[string]interface {}",
            matches!(v, Value::Map(_) | Value::Null),
        ),
        Target::Array => ("[]interface {}", matches!(v, Value::Seq(_) | Value::Null)),
    };
    if ok {
        return Ok(());
    }
    let got = match v {
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::Seq(_) => "array",
        _ => "object",
    };
    Err(Error::new(
        ErrorKind::Type,
        format!("json: cannot unmarshal {got} into Go value of type {want}"),
    ))
}

/// Go's `quoteChar`.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        _ => {
            let ch = char::from(c);
            let escaped: String = match ch {
                '\n' => "\\n".into(),
                '\r' => "\\r".into(),
                '\t' => "\\t".into(),
                '\u{07}' => "\\a".into(),
                '\u{08}' => "\\b".into(),
                '\u{0C}' => "\\f".into(),
                '\u{0B}' => "\\v".into(),
                '\\' => "\\\\".into(),
                c if (c as u32) < 0x20 || c as u32 == 0x7f => format!("\\x{:02x}", c as u32),
                c if (0x80..0xA0).contains(&(c as u32)) => format!("\\u{:04x}", c as u32),
                c => c.to_string(),
            };
            format!("'{escaped}'")
        }
    }
}

struct JsonParser<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

/// Go's decoder refuses nesting deeper than this (`exceeded max depth`).
const JSON_MAX_DEPTH: usize = 10_000;

impl JsonParser<'_> {
    fn skip_ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn eof() -> Error {
        Error::new(ErrorKind::Syntax, "unexpected end of JSON input")
    }

    fn invalid(&self, context: &str) -> Error {
        match self.b.get(self.i) {
            Some(&c) => Error::new(
                ErrorKind::Syntax,
                format!("invalid character {} {context}", quote_char(c)),
            ),
            None => Self::eof(),
        }
    }

    fn value(&mut self) -> Result<Value, Error> {
        let Some(&c) = self.b.get(self.i) else {
            return Err(Self::eof());
        };
        match c {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string().map(Value::String),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(self.invalid("looking for beginning of value")),
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, Error> {
        let w = word.as_bytes();
        for (k, &expect) in w.iter().enumerate() {
            match self.b.get(self.i + k) {
                None => return Err(Self::eof()),
                Some(&got) if got == expect => {}
                Some(_) if k == 0 => return Err(self.invalid("looking for beginning of value")),
                Some(_) => {
                    self.i += k;
                    return Err(self.invalid(&format!(
                        "in literal {word} (expecting {})",
                        quote_char(expect)
                    )));
                }
            }
        }
        self.i += w.len();
        Ok(v)
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > JSON_MAX_DEPTH {
            return Err(Error::new(ErrorKind::Syntax, "exceeded max depth"));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Value, Error> {
        self.enter()?;
        self.i += 1;
        let mut m = Mapping::new();
        self.skip_ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::Map(m));
        }
        loop {
            self.skip_ws();
            match self.b.get(self.i) {
                None => return Err(Self::eof()),
                Some(b'"') => {}
                Some(_) => return Err(self.invalid("looking for beginning of object key string")),
            }
            let k = self.string()?;
            self.skip_ws();
            match self.b.get(self.i) {
                None => return Err(Self::eof()),
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.invalid("after object key")),
            }
            self.skip_ws();
            let v = self.value()?;
            m.insert(k, v);
            self.skip_ws();
            match self.b.get(self.i) {
                None => return Err(Self::eof()),
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Value::Map(m));
                }
                Some(_) => return Err(self.invalid("after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, Error> {
        self.enter()?;
        self.i += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::Seq(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.b.get(self.i) {
                None => return Err(Self::eof()),
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Value::Seq(items));
                }
                Some(_) => return Err(self.invalid("after array element")),
            }
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let s = self.b.get(at..at + 4)?;
        let mut n = 0u32;
        for &c in s {
            n = n * 16 + char::from(c).to_digit(16)?;
        }
        Some(n)
    }

    fn string(&mut self) -> Result<String, Error> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return Err(Self::eof());
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    let Some(&e) = self.b.get(self.i) else {
                        return Err(Self::eof());
                    };
                    let simple = match e {
                        b'"' => Some('"'),
                        b'\\' => Some('\\'),
                        b'/' => Some('/'),
                        b'b' => Some('\u{08}'),
                        b'f' => Some('\u{0C}'),
                        b'n' => Some('\n'),
                        b'r' => Some('\r'),
                        b't' => Some('\t'),
                        b'u' => None,
                        _ => return Err(self.invalid("in string escape code")),
                    };
                    if let Some(ch) = simple {
                        out.push(ch);
                        self.i += 1;
                        continue;
                    }
                    // \uXXXX: validate the digits one by one for Go's message.
                    for k in 1..=4 {
                        match self.b.get(self.i + k) {
                            None => {
                                self.i += k;
                                return Err(Self::eof());
                            }
                            Some(h) if h.is_ascii_hexdigit() => {}
                            Some(_) => {
                                self.i += k;
                                return Err(self.invalid("in \\u hexadecimal character escape"));
                            }
                        }
                    }
                    let cp = self.hex4(self.i + 1).unwrap_or(0xFFFD);
                    self.i += 5;
                    if (0xD800..0xDC00).contains(&cp) {
                        // A high surrogate needs a following \uDC00-\uDFFF.
                        if self.b.get(self.i) == Some(&b'\\')
                            && self.b.get(self.i + 1) == Some(&b'u')
                            && let Some(lo) = self.hex4(self.i + 2)
                            && (0xDC00..0xE000).contains(&lo)
                        {
                            let full = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            out.push(char::from_u32(full).unwrap_or('\u{FFFD}'));
                            self.i += 6;
                            continue;
                        }
                        out.push('\u{FFFD}');
                    } else {
                        out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                    }
                }
                c if c < 0x20 => return Err(self.invalid("in string literal")),
                _ => {
                    // Copy a run of ordinary bytes; the input is valid UTF-8.
                    let start = self.i;
                    while self.i < self.b.len()
                        && !matches!(self.b[self.i], b'"' | b'\\' | 0..=0x1f)
                    {
                        self.i += 1;
                    }
                    out.push_str(&String::from_utf8_lossy(&self.b[start..self.i]));
                }
            }
        }
    }

    fn number(&mut self) -> Result<Value, Error> {
        let start = self.i;
        let digit = |p: &Self| p.b.get(p.i).is_some_and(u8::is_ascii_digit);
        if self.b[self.i] == b'-' {
            self.i += 1;
            if self.i >= self.b.len() {
                return Err(Self::eof());
            }
            if !digit(self) {
                return Err(self.invalid("in numeric literal"));
            }
        }
        if self.b[self.i] == b'0' {
            self.i += 1;
        } else {
            while digit(self) {
                self.i += 1;
            }
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.i >= self.b.len() {
                return Err(Self::eof());
            }
            if !digit(self) {
                return Err(self.invalid("after decimal point in numeric literal"));
            }
            while digit(self) {
                self.i += 1;
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.i >= self.b.len() {
                return Err(Self::eof());
            }
            if !digit(self) {
                return Err(self.invalid("in exponent of numeric literal"));
            }
            while digit(self) {
                self.i += 1;
            }
        }
        let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("0");
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(Error::new(
                ErrorKind::Type,
                format!("json: cannot unmarshal number {text} into Go value of type float64"),
            )),
        }
    }
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
    fn marshal_like_go() {
        let v = m(&[
            ("b", Value::String("<a&b>\u{2028}\t\u{1}".into())),
            (
                "a",
                Value::Seq(vec![Value::Float(1e21), Value::Float(0.5), Value::Int(3)]),
            ),
            ("c", m(&[])),
        ]);
        assert_eq!(
            to_string(&v, JsonOptions::compact()).unwrap(),
            r#"{"a":[1e+21,0.5,3],"b":"\u003ca\u0026b\u003e\u2028\t\u0001","c":{}}"#
        );
        assert_eq!(
            to_string(&v, JsonOptions::raw()).unwrap(),
            "{\"a\":[1e+21,0.5,3],\"b\":\"<a&b>\\u2028\\t\\u0001\",\"c\":{}}"
        );
        assert_eq!(
            to_string(
                &m(&[
                    ("a", Value::Seq(vec![Value::Null])),
                    ("e", Value::Seq(vec![]))
                ]),
                JsonOptions::pretty()
            )
            .unwrap(),
            "{\n  \"a\": [\n    null\n  ],\n  \"e\": []\n}"
        );
    }

    #[test]
    fn nan_is_an_error() {
        let err = to_string(&Value::Float(f64::NAN), JsonOptions::compact()).unwrap_err();
        assert_eq!(err.to_string(), "json: unsupported value: NaN");
    }

    #[test]
    fn unmarshal_errors_like_go() {
        let cases = [
            ("", "unexpected end of JSON input"),
            ("x", "invalid character 'x' looking for beginning of value"),
            ("{\"a\" 1}", "invalid character '1' after object key"),
            (
                "{\"a\":1 \"b\"}",
                "invalid character '\"' after object key:value pair",
            ),
            ("[1 2]", "invalid character '2' after array element"),
            (
                "{1:2}",
                "invalid character '1' looking for beginning of object key string",
            ),
            ("tru", "unexpected end of JSON input"),
            (
                "trux",
                "invalid character 'x' in literal true (expecting 'e')",
            ),
            ("1 2", "invalid character '2' after top-level value"),
            ("\"a\nb\"", "invalid character '\\n' in string literal"),
            ("-x", "invalid character 'x' in numeric literal"),
            (
                "[1,]",
                "invalid character ']' looking for beginning of value",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(from_str(input).unwrap_err().to_string(), want, "{input:?}");
        }
    }

    #[test]
    fn unmarshal_values() {
        let v =
            from_str(r#"{"a": [1, 2.5e3, "x\u00e9\ud83d\ude00"], "b": null, "a2": true}"#).unwrap();
        assert_eq!(
            v,
            m(&[
                (
                    "a",
                    Value::Seq(vec![
                        Value::Float(1.0),
                        Value::Float(2500.0),
                        Value::String("xé😀".into())
                    ])
                ),
                ("b", Value::Null),
                ("a2", Value::Bool(true)),
            ])
        );
        assert_eq!(
            from_str_map("[1]").unwrap_err().to_string(),
            "json: cannot unmarshal array into Go value of type map[string]interface {}"
        );
        assert!(from_str_map("null").unwrap().is_empty());
    }
}

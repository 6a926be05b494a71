//! Helm's `--set` family parser (package `pkg/strvals`), including its
//! literal variant (`--set-literal`) and error texts.
//!
//! `a.b=c,d[0]=e,f={x,y}`; `\` escapes the next character in keys and
//! values; `--set` values are typed (`true`/`false`/`null` in any case,
//! base-10 int64 without a leading zero, otherwise strings); list indexes
//! grow the list with nulls up to [`MAX_INDEX`]; names nest at most
//! [`MAX_NESTED_NAME_LEVEL`] levels.

use chartkit_yaml::Mapping;
use chartkit_yaml::Value;
use thiserror::Error;

use crate::gofmt::{interface_conversion, quote};

/// Largest list index accepted.
pub const MAX_INDEX: i64 = 65536;
/// Deepest `a.b.c` nesting accepted.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// A parse error with Helm's text.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct StrvalsError(pub String);

/// How values are turned into data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// `--set`: typed scalars.
    Typed,
    /// `--set-string`: always strings.
    String,
    /// `--set-json`: JSON values.
    Json,
}

/// `io.EOF` travels as a distinct outcome, as in Go.
enum Fail {
    Eof,
    NotList,
    Err(StrvalsError),
}

impl From<StrvalsError> for Fail {
    fn from(e: StrvalsError) -> Self {
        Fail::Err(e)
    }
}

fn err(msg: impl Into<String>) -> Fail {
    Fail::Err(StrvalsError(msg.into()))
}

struct Scanner {
    chars: Vec<char>,
    pos: usize,
}

impl Scanner {
    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos -= 1;
    }

    fn rest(&self) -> String {
        self.chars[self.pos..].iter().collect()
    }

    /// Reads until a stop rune (consumed, returned) or the end (`None`),
    /// honouring `\` escapes when `escapes` is set.
    fn until(&mut self, stop: &[char], escapes: bool) -> (String, Option<char>) {
        let mut v = String::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(r) if stop.contains(&r) => return (v, Some(r)),
                Some('\\') if escapes => match self.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(r) => v.push(r),
            }
        }
    }
}

struct Parser<'r> {
    sc: Scanner,
    mode: Mode,
    reader: Option<&'r mut (dyn FnMut(&str) -> Result<Value, StrvalsError> + 'r)>,
    literal: bool,
}

/// `typedVal`: Helm's typing of `--set` scalars.
pub fn typed_val(v: &str, string_only: bool) -> Value {
    if string_only {
        return Value::String(v.to_string());
    }
    if v.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if v.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if v.eq_ignore_ascii_case("null") {
        return Value::Null;
    }
    if v == "0" {
        return Value::Int(0);
    }
    if !v.is_empty()
        && !v.starts_with('0')
        && let Some(i) = parse_int64(v)
    {
        return Value::Int(i);
    }
    Value::String(v.to_string())
}

/// `strconv.ParseInt(s, 10, 64)` (sign allowed, digits only, `_` not allowed).
fn parse_int64(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// `strconv.Atoi` with Go's error texts.
fn atoi(s: &str) -> Result<i64, StrvalsError> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(StrvalsError(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            quote(s)
        )));
    }
    s.parse::<i64>().map_err(|_| {
        StrvalsError(format!(
            "strconv.Atoi: parsing {}: value out of range",
            quote(s)
        ))
    })
}

/// `%q` of a `[]rune`: Go prints each rune as a quoted character.
fn quote_runes(s: &str) -> String {
    let parts: Vec<String> = s
        .chars()
        .map(|c| {
            let q = quote(&c.to_string());
            let inner = &q[1..q.len() - 1];
            let inner = if inner == "\\\"" {
                "\""
            } else if inner == "'" {
                "\\'"
            } else {
                inner
            };
            format!("'{inner}'")
        })
        .collect();
    format!("[{}]", parts.join(" "))
}

fn set(data: &mut Mapping, key: &str, val: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), val);
    }
}

fn set_index(list: &mut Vec<Value>, index: i64, val: Value) -> Result<(), Fail> {
    if index < 0 {
        return Err(err(format!("negative {index} index not allowed")));
    }
    if index > MAX_INDEX {
        return Err(err(format!(
            "index of {index} is greater than maximum supported index of {MAX_INDEX}"
        )));
    }
    let index = index as usize;
    if list.len() <= index {
        list.resize(index + 1, Value::Null);
    }
    list[index] = val;
    Ok(())
}

impl Parser<'_> {
    fn parse(&mut self, data: &mut Mapping) -> Result<(), StrvalsError> {
        loop {
            match self.key(data, 0) {
                Ok(()) => continue,
                Err(Fail::Eof) => return Ok(()),
                Err(Fail::NotList) => return Err(StrvalsError("not a list".into())),
                Err(Fail::Err(e)) => return Err(e),
            }
        }
    }

    fn read_value(&mut self, raw: &str) -> Result<Value, StrvalsError> {
        match self.reader.as_mut() {
            Some(r) => r(raw),
            None => Ok(typed_val(raw, self.mode == Mode::String)),
        }
    }

    fn key(&mut self, data: &mut Mapping, mut level: usize) -> Result<(), Fail> {
        let stop: &[char] = if self.literal {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (k, last) = self.sc.until(stop, !self.literal);
        let Some(last) = last else {
            if k.is_empty() {
                return Err(Fail::Eof);
            }
            return Err(err(format!("key {} has no value", quote(&k))));
        };
        match last {
            '[' => {
                let i = self.key_index().map_err(|e| match e {
                    Fail::Err(e) => err(format!("error parsing index: {e}")),
                    other => other,
                })?;
                let mut list = match data.get(&k) {
                    None => Vec::new(),
                    Some(Value::Seq(l)) => l.clone(),
                    Some(other) => {
                        return Err(err(format!(
                            "unable to parse key: {}",
                            interface_conversion(other, "[]interface {}")
                        )));
                    }
                };
                let r = self.list_item(&mut list, i, level);
                set(data, &k, Value::Seq(list));
                r
            }
            '=' => {
                if self.literal {
                    let (v, _) = self.sc.until(&[], false);
                    set(data, &k, Value::String(v));
                    return Ok(());
                }
                if self.mode == Mode::Json {
                    if self.empty_val() {
                        set(data, &k, Value::Null);
                        return Ok(());
                    }
                    let v = self.json_value()?;
                    set(data, &k, v);
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    Ok(vl) => {
                        set(data, &k, Value::Seq(vl));
                        Ok(())
                    }
                    Err(Fail::Eof) => {
                        set(data, &k, Value::String(String::new()));
                        Err(Fail::Eof)
                    }
                    Err(Fail::NotList) => {
                        let (rs, _) = self.sc.until(&[','], true);
                        let v = self.read_value(&rs)?;
                        set(data, &k, v);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            ',' => {
                set(data, &k, Value::String(String::new()));
                Err(err(format!(
                    "key {} has no value (cannot end with ,)",
                    quote(&k)
                )))
            }
            _ => {
                // '.'
                level += 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(err(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let mut inner = match data.get(&k) {
                    None => Mapping::new(),
                    Some(Value::Map(m)) => m.clone(),
                    Some(other) => {
                        return Err(err(format!(
                            "unable to parse key: {}",
                            interface_conversion(other, "map[string]interface {}")
                        )));
                    }
                };
                let e = self.key(&mut inner, level);
                if e.is_ok() && inner.is_empty() {
                    return Err(err(format!("key map {} has no value", quote(&k))));
                }
                if !inner.is_empty() {
                    set(data, &k, Value::Map(inner));
                }
                e
            }
        }
    }

    fn key_index(&mut self) -> Result<i64, Fail> {
        let (v, last) = self.sc.until(&[']'], !self.literal);
        if last.is_none() {
            return Err(Fail::Eof);
        }
        Ok(atoi(&v)?)
    }

    fn list_item(&mut self, list: &mut Vec<Value>, i: i64, level: usize) -> Result<(), Fail> {
        if i < 0 {
            return Err(err(format!("negative {i} index not allowed")));
        }
        let (k, last) = self.sc.until(&['[', '.', '='], !self.literal);
        if !k.is_empty() {
            return Err(err(format!(
                "unexpected data at end of array index: {}",
                quote_runes(&k)
            )));
        }
        let Some(last) = last else {
            return Err(Fail::Eof);
        };
        match last {
            '=' => {
                if self.literal {
                    let (v, _) = self.sc.until(&[], false);
                    return set_index(list, i, Value::String(v));
                }
                if self.mode == Mode::Json {
                    if self.empty_val() {
                        return set_index(list, i, Value::Null);
                    }
                    let v = self.json_value()?;
                    set_index(list, i, v)?;
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    Ok(vl) => set_index(list, i, Value::Seq(vl)),
                    Err(Fail::Eof) => set_index(list, i, Value::String(String::new())),
                    Err(Fail::NotList) => {
                        let (rs, _) = self.sc.until(&[','], true);
                        let v = self.read_value(&rs)?;
                        set_index(list, i, v)
                    }
                    Err(e) => Err(e),
                }
            }
            '[' => {
                let next = self.key_index().map_err(|e| match e {
                    Fail::Err(e) => err(format!("error parsing index: {e}")),
                    other => other,
                })?;
                let mut crt = match list.get(i as usize) {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Seq(l)) => l.clone(),
                    Some(other) => {
                        return Err(err(format!(
                            "unable to parse key: {}",
                            interface_conversion(other, "[]interface {}")
                        )));
                    }
                };
                self.list_item(&mut crt, next, level)?;
                set_index(list, i, Value::Seq(crt))
            }
            _ => {
                // '.'
                let mut inner = match list.get(i as usize) {
                    Some(Value::Map(m)) => m.clone(),
                    _ => Mapping::new(),
                };
                self.key(&mut inner, level)?;
                set_index(list, i, Value::Map(inner))
            }
        }
    }

    /// Skips blanks up to and including a `,`; true at the end or a comma.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.sc.read() {
                None | Some(',') => return true,
                Some(r) if crate::gofmt::is_space(r) => continue,
                Some(_) => {
                    self.sc.unread();
                    return false;
                }
            }
        }
    }

    /// Decodes one JSON value from the rest of the input, like Go's
    /// `json.Decoder.Decode`, and consumes exactly its text.
    fn json_value(&mut self) -> Result<Value, Fail> {
        let rest = self.sc.rest();
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<serde_json::Value>();
        match stream.next() {
            Some(Ok(v)) => {
                let used = rest[..stream.byte_offset()].chars().count();
                self.sc.pos += used;
                Ok(json_to_value(&v))
            }
            Some(Err(e)) => Err(err(go_json_error(&e))),
            None => Err(err("unexpected EOF")),
        }
    }

    fn val_list(&mut self) -> Result<Vec<Value>, Fail> {
        match self.sc.read() {
            None => return Err(Fail::Eof),
            Some('{') => {}
            Some(_) => {
                self.sc.unread();
                return Err(Fail::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.sc.until(&[',', '}'], true);
            match last {
                None => return Err(err("list must terminate with '}'")),
                Some('}') => {
                    if let Some(r) = self.sc.read()
                        && r != ','
                    {
                        self.sc.unread();
                    }
                    let v = self.read_value(&rs)?;
                    list.push(v);
                    return Ok(list);
                }
                Some(_) => {
                    let v = self.read_value(&rs)?;
                    list.push(v);
                }
            }
        }
    }
}

/// JSON numbers become float64, as Go's `encoding/json` decodes into `interface{}`.
fn json_to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(a) => Value::Seq(a.iter().map(json_to_value).collect()),
        serde_json::Value::Object(o) => Value::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), json_to_value(v)))
                .collect(),
        ),
    }
}

/// A rough rendering of serde_json's errors in Go's `encoding/json` words.
fn go_json_error(e: &serde_json::Error) -> String {
    if e.is_eof() {
        return "unexpected EOF".into();
    }
    let msg = e.to_string();
    let msg = msg.split(" at line").next().unwrap_or(&msg).to_string();
    format!("invalid character in JSON value: {msg}")
}

fn run(
    s: &str,
    dest: &mut Mapping,
    mode: Mode,
    literal: bool,
    reader: Option<&mut dyn FnMut(&str) -> Result<Value, StrvalsError>>,
) -> Result<(), StrvalsError> {
    let mut p = Parser {
        sc: Scanner {
            chars: s.chars().collect(),
            pos: 0,
        },
        mode,
        reader,
        literal,
    };
    p.parse(dest)
}

/// `strvals.ParseInto` (`--set`): parses `s` into `dest`.
pub fn parse_into(s: &str, dest: &mut Mapping) -> Result<(), StrvalsError> {
    run(s, dest, Mode::Typed, false, None)
}

/// `strvals.ParseIntoString` (`--set-string`).
pub fn parse_into_string(s: &str, dest: &mut Mapping) -> Result<(), StrvalsError> {
    run(s, dest, Mode::String, false, None)
}

/// `strvals.ParseJSON` (`--set-json` with `key=<json>` pairs).
pub fn parse_json(s: &str, dest: &mut Mapping) -> Result<(), StrvalsError> {
    run(s, dest, Mode::Json, false, None)
}

/// `strvals.ParseIntoFile` (`--set-file`): each value is a path handed to
/// `reader`, whose result is stored.
pub fn parse_into_file(
    s: &str,
    dest: &mut Mapping,
    reader: &mut dyn FnMut(&str) -> Result<Value, StrvalsError>,
) -> Result<(), StrvalsError> {
    run(s, dest, Mode::Typed, false, Some(reader))
}

/// `strvals.ParseLiteralInto` (`--set-literal`): the value is everything
/// after the first `=`, verbatim; keys have no escapes.
pub fn parse_literal_into(s: &str, dest: &mut Mapping) -> Result<(), StrvalsError> {
    run(s, dest, Mode::String, true, None)
}

/// `strvals.Parse`: a fresh map from `--set` syntax.
pub fn parse(s: &str) -> Result<Mapping, StrvalsError> {
    let mut m = Mapping::new();
    parse_into(s, &mut m)?;
    Ok(m)
}

//! Shared helpers: argument access, Go's reflect-level notions (kind,
//! emptiness, `reflect.DeepEqual`), spf13/cast conversions and Go's
//! `strconv` number parsing.

use std::rc::Rc;
use std::sync::LazyLock;

use chartkit_gotemplate::{ElemType, FuncError, GoType, List, Map, Signature, Value};
use regex::Regex;

/// Short names for building signatures.
pub(crate) use GoType::{Any, Bool, Float64, Int, List as GoList, Map as GoMap, String as Str};

/// `Signature::fixed`.
pub(crate) fn fixed(p: &[GoType]) -> Signature {
    Signature::fixed(p)
}

/// `Signature::variadic`.
pub(crate) fn variadic(p: &[GoType], rest: GoType) -> Signature {
    Signature::variadic(p, rest)
}

/// The argument at `i` (nil when absent).
pub(crate) fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Nil)
}

/// A string argument (the engine already converted it; `""` for nil).
pub(crate) fn arg_str(args: &[Value], i: usize) -> &str {
    match arg(args, i) {
        Value::String(s) => s,
        _ => "",
    }
}

/// An integer argument (the engine already converted it).
pub(crate) fn arg_int(args: &[Value], i: usize) -> i64 {
    match arg(args, i) {
        Value::Int(n) | Value::Int64(n) => *n,
        Value::Uint8(n) => i64::from(*n),
        Value::Float(f) => float_to_i64(*f),
        _ => 0,
    }
}

/// A bool argument.
pub(crate) fn arg_bool(args: &[Value], i: usize) -> bool {
    matches!(arg(args, i), Value::Bool(true))
}

/// A `map[string]interface{}` argument; `None` for a nil map.
pub(crate) fn arg_map(args: &[Value], i: usize) -> Option<Map> {
    match arg(args, i) {
        Value::Map(m) => Some(m.clone()),
        _ => None,
    }
}

/// A string result.
pub(crate) fn string(s: impl Into<Rc<str>>) -> Value {
    Value::String(s.into())
}

/// A `[]string` result.
pub(crate) fn string_list<I, S>(items: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: Into<Rc<str>>,
{
    Value::List(List::strings(items))
}

/// The error Go prints for a function that panicked or returned an error.
pub(crate) fn call_err(msg: impl Into<String>) -> FuncError {
    FuncError::Call(msg.into())
}

/// Go's panic for a nil pointer dereference (e.g. `reflect.TypeOf(nil).Kind()`).
pub(crate) const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

/// Go's `reflect.Kind` name, as `%s` prints it.
pub(crate) fn kind(v: &Value) -> &str {
    v.kind_name()
}

/// The elements of a Go slice or array, or `None` for any other kind.
pub(crate) fn slice_items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l) => Some(l.items.to_vec()),
        Value::Bytes(b) => Some(b.iter().map(|x| Value::Uint8(*x)).collect()),
        _ => None,
    }
}

/// Sprig's `empty`: the zero value of its kind (structs are never empty).
pub(crate) fn empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i) | Value::Int64(i) => *i == 0,
        Value::Uint8(u) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        // Host objects are structs or non-nil pointers.
        Value::Object(_) => false,
    }
}

/// Go's `reflect.DeepEqual` over template values.
pub(crate) fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Uint8(x), Value::Uint8(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.elem == y.elem
                && x.len() == y.len()
                && (Rc::ptr_eq(&x.items, &y.items) || x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q)))
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.ptr_eq(y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (Value::Object(x), Value::Object(y)) => {
            if Rc::ptr_eq(x, y) {
                return true;
            }
            // Same Go type and the same printed form: the fields are equal.
            x.type_name() == y.type_name() && {
                let (mut p, mut q) = (String::new(), String::new());
                x.fmt_go(&mut p).is_ok() && y.fmt_go(&mut q).is_ok() && p == q
            }
        }
        _ => false,
    }
}

/// Go's conversion of a float64 to int64 on amd64: out-of-range and NaN
/// values become the "integer indefinite" value.
pub(crate) fn float_to_i64(f: f64) -> i64 {
    if f.is_nan() || f >= 9_223_372_036_854_775_808.0 || f < -9_223_372_036_854_775_808.0 {
        i64::MIN
    } else {
        f as i64
    }
}

/// spf13/cast's `trimZeroDecimal`: `"1.00"` → `"1"`.
fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=b.len()).rev() {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `cast.ToInt64E` (Sprig's `int64`, `int`, and every integer operation).
pub(crate) fn cast_to_i64(v: &Value) -> Result<i64, ()> {
    match v {
        Value::Nil => Ok(0),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Int(i) | Value::Int64(i) => Ok(*i),
        Value::Uint8(u) => Ok(i64::from(*u)),
        Value::Float(f) => Ok(float_to_i64(*f)),
        Value::String(s) => parse_int(trim_zero_decimal(s), 0).map_err(|_| ()),
        _ => Err(()),
    }
}

/// `cast.ToInt64` (errors become 0).
pub(crate) fn to_i64(v: &Value) -> i64 {
    cast_to_i64(v).unwrap_or(0)
}

/// `cast.ToFloat64` (errors become 0).
pub(crate) fn to_f64(v: &Value) -> f64 {
    match v {
        Value::Nil => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Uint8(u) => f64::from(*u),
        Value::Float(f) => *f,
        Value::String(s) => parse_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Why Go's `strconv` rejected a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumError {
    Syntax,
    Range,
}

/// Go's `strconv.ParseInt(s, base, 64)` for base 0 or 10.
pub(crate) fn parse_int(s: &str, base: u32) -> Result<i64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mag = parse_uint(body, base, s)?;
    if neg {
        if mag > 1u64 << 63 {
            return Err(NumError::Range);
        }
        Ok((mag as i64).wrapping_neg())
    } else {
        if mag >= 1u64 << 63 {
            return Err(NumError::Range);
        }
        Ok(mag as i64)
    }
}

fn parse_uint(s: &str, base: u32, whole: &str) -> Result<u64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let b = s.as_bytes();
    let (mut base, mut digits, base0) = (base, s, base == 0);
    if base == 0 {
        base = 10;
        if b[0] == b'0' {
            if b.len() >= 3 && matches!(b[1] | 0x20, b'b' | b'o' | b'x') {
                base = match b[1] | 0x20 {
                    b'b' => 2,
                    b'o' => 8,
                    _ => 16,
                };
                digits = &s[2..];
            } else {
                base = 8;
                digits = &s[1..];
            }
        }
    }
    let mut n: u64 = 0;
    let mut underscores = false;
    for c in digits.bytes() {
        if c == b'_' && base0 {
            underscores = true;
            continue;
        }
        let d = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'a'..=b'z' => u32::from(c - b'a') + 10,
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return Err(NumError::Syntax),
        };
        if d >= base {
            return Err(NumError::Syntax);
        }
        n = n
            .checked_mul(u64::from(base))
            .and_then(|n| n.checked_add(u64::from(d)))
            .ok_or(NumError::Range)?;
    }
    if underscores && !chartkit_gotemplate::strconv::underscore_ok(whole.as_bytes()) {
        return Err(NumError::Syntax);
    }
    Ok(n)
}

/// Go's `strconv.ParseFloat(s, 64)`: decimal and hexadecimal (`0x1p-2`)
/// forms with `_` separators, and `inf`/`infinity`/`nan` in any case;
/// `None` on syntax errors and on overflow.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let special = match body.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        // Go's NaN has no sign.
        "nan" if body.len() == s.len() => return Some(f64::NAN),
        _ => None,
    };
    match special {
        Some(inf) => Some(if neg { -inf } else { inf }),
        None => chartkit_gotemplate::strconv::parse_float(s),
    }
}

/// Unicode category tests Go's `unicode` package offers and Rust's std does not.
pub(crate) mod uni {
    use super::*;

    fn class(re: &'static LazyLock<Regex>, c: char) -> bool {
        let mut buf = [0u8; 4];
        re.is_match(c.encode_utf8(&mut buf))
    }

    static UPPER: LazyLock<Regex> = LazyLock::new(|| re(r"^\p{Lu}$"));
    static LOWER: LazyLock<Regex> = LazyLock::new(|| re(r"^\p{Ll}$"));
    static TITLE: LazyLock<Regex> = LazyLock::new(|| re(r"^\p{Lt}$"));
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"^\p{N}$"));
    static PUNCT: LazyLock<Regex> = LazyLock::new(|| re(r"^\p{P}$"));

    fn re(p: &str) -> Regex {
        // Invariant: the patterns above are constant and valid.
        Regex::new(p).expect("constant Unicode class pattern")
    }

    /// `unicode.IsUpper`.
    pub(crate) fn is_upper(c: char) -> bool {
        if c.is_ascii() { c.is_ascii_uppercase() } else { class(&UPPER, c) }
    }
    /// `unicode.IsLower`.
    pub(crate) fn is_lower(c: char) -> bool {
        if c.is_ascii() { c.is_ascii_lowercase() } else { class(&LOWER, c) }
    }
    /// `unicode.IsTitle`.
    pub(crate) fn is_title(c: char) -> bool {
        !c.is_ascii() && class(&TITLE, c)
    }
    /// `unicode.IsNumber`.
    pub(crate) fn is_number(c: char) -> bool {
        if c.is_ascii() { c.is_ascii_digit() } else { class(&NUMBER, c) }
    }
    /// `unicode.IsPunct`.
    pub(crate) fn is_punct(c: char) -> bool {
        class(&PUNCT, c)
    }
    /// `unicode.IsSpace`.
    pub(crate) fn is_space(c: char) -> bool {
        c.is_whitespace()
    }
    /// `unicode.ToUpper` (simple case mapping).
    pub(crate) fn to_upper(c: char) -> char {
        let mut it = c.to_uppercase();
        match (it.next(), it.next()) {
            (Some(u), None) => u,
            _ => c,
        }
    }
    /// `unicode.ToLower` (simple case mapping).
    pub(crate) fn to_lower(c: char) -> char {
        if c == '\u{130}' {
            return 'i';
        }
        let mut it = c.to_lowercase();
        match (it.next(), it.next()) {
            (Some(u), None) => u,
            _ => c,
        }
    }
    /// `unicode.ToTitle` (simple case mapping).
    pub(crate) fn to_title(c: char) -> char {
        match c {
            // The four digraphs whose title case differs from upper case.
            'Ǆ' | 'ǅ' | 'ǆ' => 'ǅ',
            'Ǉ' | 'ǈ' | 'ǉ' => 'ǈ',
            'Ǌ' | 'ǋ' | 'ǌ' => 'ǋ',
            'Ǳ' | 'ǲ' | 'ǳ' => 'ǲ',
            _ => to_upper(c),
        }
    }
}

/// A new `[]interface{}` value.
pub(crate) fn ilist(items: Vec<Value>) -> Value {
    Value::List(List { elem: ElemType::Interface, items: items.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cast_int_rules() {
        assert_eq!(to_i64(&string("0x1F")), 31);
        assert_eq!(to_i64(&string("012")), 10);
        assert_eq!(to_i64(&string("3.00")), 3);
        assert_eq!(to_i64(&string("3.5")), 0);
        assert_eq!(to_i64(&string("1_000")), 1000);
        assert_eq!(to_i64(&string("1__0")), 0);
        assert_eq!(to_i64(&string("1e3")), 0);
        assert_eq!(to_i64(&Value::Float(7.9)), 7);
        assert_eq!(to_i64(&Value::Float(f64::NAN)), i64::MIN);
        assert_eq!(to_i64(&Value::Bool(true)), 1);
    }

    #[test]
    fn parse_float_rules() {
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("1_000"), Some(1000.0));
        assert_eq!(parse_float("0x1p-2"), Some(0.25));
        assert_eq!(parse_float("1e400"), None);
        assert_eq!(parse_float("0x10"), None);
        assert_eq!(parse_float("1__0"), None);
        assert_eq!(parse_float("_1"), None);
        assert_eq!(parse_float(" 1"), None);
        assert_eq!(parse_float("-Inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float("+infinity"), Some(f64::INFINITY));
        assert!(parse_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_float("-nan"), None);
    }
}

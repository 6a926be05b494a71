//! go-yaml's implicit scalar resolution (YAML 1.1 for v2, mostly 1.2 for v3).
//!
//! Both the decoder (what a plain scalar means) and the encoders (whether a
//! string must be quoted to read back as a string) use it.

use crate::gonum::{parse_decimal_float, parse_int_base0, parse_uint_base0};

pub(crate) const STR_TAG: &str = "tag:yaml.org,2002:str";
pub(crate) const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
pub(crate) const INT_TAG: &str = "tag:yaml.org,2002:int";
pub(crate) const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
pub(crate) const NULL_TAG: &str = "tag:yaml.org,2002:null";
pub(crate) const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";
pub(crate) const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
pub(crate) const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

/// Which go-yaml's rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// gopkg.in/yaml.v2 (YAML 1.1 booleans, no `0o` octals).
    V2,
    /// gopkg.in/yaml.v3 (`true`/`false` only, `0o17` octals).
    V3,
}

/// A resolved scalar, with the Go type go-yaml picks for `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    /// Go `int`.
    Int(i64),
    /// Go `uint64` (positive integers above `int64`'s range).
    Uint(u64),
    Float(f64),
    /// A string; for timestamps the original text (go-yaml v2 hands
    /// timestamps to `interface{}` targets as strings).
    Str(String),
    /// `<<`.
    Merge,
}

/// The short tag form go-yaml prints in messages (`!!int`).
pub(crate) fn short_tag(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_owned(),
    }
}

fn resolvable(tag: &str) -> bool {
    matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG
    )
}

fn lookup(s: &str, dialect: Dialect) -> Option<(&'static str, Scalar)> {
    let v2_bools = dialect == Dialect::V2;
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" if v2_bools => {
            (BOOL_TAG, Scalar::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" if v2_bools => {
            (BOOL_TAG, Scalar::Bool(false))
        }
        "true" | "True" | "TRUE" => (BOOL_TAG, Scalar::Bool(true)),
        "false" | "False" | "FALSE" => (BOOL_TAG, Scalar::Bool(false)),
        "" | "~" | "null" | "Null" | "NULL" => (NULL_TAG, Scalar::Null),
        ".nan" | ".NaN" | ".NAN" => (FLOAT_TAG, Scalar::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            (FLOAT_TAG, Scalar::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => (FLOAT_TAG, Scalar::Float(f64::NEG_INFINITY)),
        "<<" => (MERGE_TAG, Scalar::Merge),
        _ => return None,
    })
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

fn int_scalar(i: i64) -> (&'static str, Scalar) {
    (INT_TAG, Scalar::Int(i))
}

/// go-yaml's `resolve(tag, in)`: the tag a scalar resolves to and its value.
/// An error is go-yaml's message (without the `yaml: ` prefix).
pub(crate) fn resolve(
    tag: &str,
    input: &str,
    dialect: Dialect,
) -> Result<(String, Scalar), String> {
    if !resolvable(tag) {
        return Ok((tag.to_owned(), Scalar::Str(input.to_owned())));
    }
    let (rtag, out) = resolve_untyped(tag, input, dialect);
    if tag.is_empty() || tag == rtag || tag == STR_TAG {
        return Ok((rtag.to_owned(), out));
    }
    if tag == FLOAT_TAG
        && rtag == INT_TAG
        && let Scalar::Int(i) = out
    {
        return Ok((FLOAT_TAG.to_owned(), Scalar::Float(i as f64)));
    }
    Err(format!(
        "cannot decode {} `{}` as a {}",
        short_tag(rtag),
        input,
        short_tag(tag)
    ))
}

fn resolve_untyped(tag: &str, input: &str, dialect: Dialect) -> (&'static str, Scalar) {
    let hint = match input.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 || tag == STR_TAG {
        return (STR_TAG, Scalar::Str(input.to_owned()));
    }
    if let Some(found) = lookup(input, dialect) {
        return found;
    }
    match hint {
        b'.' => {
            if let Some(f) = parse_decimal_float(input) {
                return (FLOAT_TAG, Scalar::Float(f));
            }
        }
        b'D' | b'S' => {
            if (tag.is_empty() || tag == TIMESTAMP_TAG) && is_timestamp(input) {
                return (TIMESTAMP_TAG, Scalar::Str(input.to_owned()));
            }
            let plain = input.replace('_', "");
            if let Some(i) = parse_int_base0(&plain) {
                return int_scalar(i);
            }
            if let Some(u) = parse_uint_base0(&plain) {
                return (INT_TAG, Scalar::Uint(u));
            }
            if yaml_style_float(&plain)
                && let Some(f) = parse_decimal_float(&plain)
            {
                return (FLOAT_TAG, Scalar::Float(f));
            }
            // go-yaml's explicit binary/octal fallbacks: base 0 parsing above
            // already accepts `0b`/`0o` prefixes with the same results, except
            // that v2 does not special-case `0o` and Go's ParseInt does, so
            // `0o17` is an int in both dialects (measured with go-yaml v2).
        }
        _ => {}
    }
    (STR_TAG, Scalar::Str(input.to_owned()))
}

/// Whether go-yaml would read `s` as a timestamp: Go's `time.Parse` with the
/// layouts `2006-1-2T15:4:5.999999999Z07:00` (also lower-case `t`),
/// `2006-1-2 15:4:5.999999999` and `2006-1-2`.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: i64 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    let Some(month) = getnum(b, &mut i) else {
        return false;
    };
    if i >= b.len() || b[i] != b'-' {
        return false;
    }
    i += 1;
    let Some(day) = getnum(b, &mut i) else {
        return false;
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let zoned = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    let Some(hour) = getnum(b, &mut i) else {
        return false;
    };
    if i >= b.len() || b[i] != b':' {
        return false;
    }
    i += 1;
    let Some(min) = getnum(b, &mut i) else {
        return false;
    };
    if i >= b.len() || b[i] != b':' {
        return false;
    }
    i += 1;
    let Some(sec) = getnum(b, &mut i) else {
        return false;
    };
    if hour >= 24 || min >= 60 || sec >= 60 {
        return false;
    }
    // Fractional seconds: a '.' or ',' followed by at least one digit.
    if i + 1 < b.len() && (b[i] == b'.' || b[i] == b',') && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if !zoned {
        return i == b.len();
    }
    if i >= b.len() {
        return false;
    }
    if b[i] == b'Z' {
        return i + 1 == b.len();
    }
    // ±hh:mm
    if b.len() - i != 6 || !(b[i] == b'+' || b[i] == b'-') || b[i + 3] != b':' {
        return false;
    }
    let two = |j: usize| {
        if b[j].is_ascii_digit() && b[j + 1].is_ascii_digit() {
            Some(i64::from(b[j] - b'0') * 10 + i64::from(b[j + 1] - b'0'))
        } else {
            None
        }
    };
    matches!((two(i + 1), two(i + 4)), (Some(h), Some(m)) if h <= 24 && m <= 60)
}

/// Go's `getnum(s, false)`: one or two digits.
fn getnum(b: &[u8], i: &mut usize) -> Option<i64> {
    if *i >= b.len() || !b[*i].is_ascii_digit() {
        return None;
    }
    let mut n = i64::from(b[*i] - b'0');
    *i += 1;
    if *i < b.len() && b[*i].is_ascii_digit() {
        n = n * 10 + i64::from(b[*i] - b'0');
        *i += 1;
    }
    Some(n)
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// go-yaml's `isBase60Float`: strings quoted on output for YAML 1.1 readers.
pub(crate) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else { return false };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let mut i = 0;
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]
        if i + 1 < b.len() && (b'0'..=b'5').contains(&b[i]) && b[i + 1].is_ascii_digit() {
            i += 2;
        } else if i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        } else {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml v3's `isOldBool`.
pub(crate) fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// Whether a Go string would need quoting to read back as a string: go-yaml's
/// `canUsePlain` computation in `stringv`.
pub(crate) fn plain_reads_as_string(s: &str, dialect: Dialect) -> bool {
    let (tag, _) = resolve_untyped("", s, dialect);
    tag == STR_TAG && !is_base60_float(s) && !(dialect == Dialect::V3 && is_old_bool(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Scalar {
        resolve("", s, Dialect::V2)
            .map(|(_, v)| v)
            .unwrap_or(Scalar::Null)
    }

    #[test]
    fn yaml11_scalars() {
        assert_eq!(r("yes"), Scalar::Bool(true));
        assert_eq!(r("Off"), Scalar::Bool(false));
        assert_eq!(r("y"), Scalar::Bool(true));
        assert_eq!(r("012"), Scalar::Int(10));
        assert_eq!(r("0x1F"), Scalar::Int(31));
        assert_eq!(r("0b101"), Scalar::Int(5));
        assert_eq!(r("1_000"), Scalar::Int(1000));
        assert_eq!(r("08"), Scalar::Float(8.0));
        assert_eq!(r("1e3"), Scalar::Float(1000.0));
        assert_eq!(r("1e400"), Scalar::Str("1e400".into()));
        assert_eq!(r("~"), Scalar::Null);
        assert_eq!(r(""), Scalar::Null);
        assert_eq!(r("18446744073709551615"), Scalar::Uint(u64::MAX));
        assert_eq!(r("2001-12-14"), Scalar::Str("2001-12-14".into()));
        assert!(matches!(r(".inf"), Scalar::Float(f) if f.is_infinite()));
        // `<<` is recognised by the decoder (isMerge), not by resolve.
        assert_eq!(r("<<"), Scalar::Str("<<".into()));
        assert_eq!(r("1.2.3"), Scalar::Str("1.2.3".into()));
    }

    #[test]
    fn tagged_scalars() {
        assert_eq!(
            resolve(FLOAT_TAG, "1", Dialect::V2),
            Ok((FLOAT_TAG.into(), Scalar::Float(1.0)))
        );
        assert_eq!(
            resolve(INT_TAG, "foo", Dialect::V2),
            Err("cannot decode !!str `foo` as a !!int".into())
        );
        assert_eq!(
            resolve(STR_TAG, "12", Dialect::V2),
            Ok((STR_TAG.into(), Scalar::Str("12".into())))
        );
        assert_eq!(
            resolve("!custom", "12", Dialect::V2),
            Ok(("!custom".into(), Scalar::Str("12".into())))
        );
    }

    #[test]
    fn timestamps() {
        for ok in [
            "2001-12-14",
            "2001-1-2",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10",
            "2002-12-14T21:59:43Z",
            "2024-02-29",
        ] {
            assert!(is_timestamp(ok), "{ok}");
        }
        for bad in [
            "2001-12-14 21:59:43.10 -5",
            "2023-02-29",
            "2001-13-01",
            "20011-12-14",
            "2001-12-14T21:59:43",
            "2001-12-140",
        ] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }

    #[test]
    fn quoting_decisions() {
        assert!(!plain_reads_as_string("yes", Dialect::V2));
        assert!(!plain_reads_as_string("yes", Dialect::V3));
        assert!(!plain_reads_as_string("1:20", Dialect::V2));
        assert!(plain_reads_as_string("1:70", Dialect::V2));
        assert!(plain_reads_as_string("hello", Dialect::V2));
        assert!(!plain_reads_as_string("1.0", Dialect::V2));
    }
}

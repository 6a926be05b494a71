//! Go's `strconv` number formatting and parsing, as far as the codecs need it.
//!
//! Rust's `{:e}` formatting yields the shortest digits that round-trip, which
//! is exactly what Go's `FormatFloat(f, fmt, -1, bits)` starts from; only the
//! layout around those digits differs.

/// Shortest round-trip decimal digits of a finite float: `(negative, digits,
/// dp)` meaning `0.digits × 10^dp` (Go's `decimalSlice` convention).
fn shortest(f: f64, bits32: bool) -> (bool, String, i32) {
    let s = if bits32 {
        format!("{:e}", f as f32)
    } else {
        format!("{f:e}")
    };
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    if digits.bytes().all(|b| b == b'0') {
        return (neg, "0".into(), 1);
    }
    (neg, digits, exp + 1)
}

fn special(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f == f64::INFINITY {
        Some("+Inf")
    } else if f == f64::NEG_INFINITY {
        Some("-Inf")
    } else {
        None
    }
}

fn fmt_e(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = if digits == "0" { 0 } else { dp - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
    out
}

fn fmt_f(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if dp <= 0 {
        out.push('0');
        if digits != "0" {
            out.push('.');
            for _ in 0..(-dp) {
                out.push('0');
            }
            out.push_str(digits);
        }
    } else {
        let dp = dp as usize;
        if digits.len() <= dp {
            out.push_str(digits);
            for _ in digits.len()..dp {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..dp]);
            out.push('.');
            out.push_str(&digits[dp..]);
        }
    }
    out
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` (`%v` of a float64).
pub fn format_g(f: f64) -> String {
    format_g_bits(f, false)
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`.
pub fn format_g32(f: f64) -> String {
    format_g_bits(f, true)
}

fn format_g_bits(f: f64, bits32: bool) -> String {
    if let Some(s) = special(if bits32 { f64::from(f as f32) } else { f }) {
        return s.into();
    }
    let (neg, digits, dp) = shortest(f, bits32);
    let exp = dp - 1;
    if digits != "0" && !(-4..6).contains(&exp) {
        // Go's %e with the shortest precision ("1e+06", "1.5e-07").
        return fmt_e(neg, &digits, dp);
    }
    fmt_f(neg, &digits, dp)
}

/// `strconv.FormatFloat(f, 'e', -1, 64)`.
pub fn format_e(f: f64) -> String {
    if let Some(s) = special(f) {
        return s.into();
    }
    let (neg, digits, dp) = shortest(f, false);
    fmt_e(neg, &digits, dp)
}

/// `strconv.FormatFloat(f, 'f', -1, 64)`.
pub fn format_f(f: f64) -> String {
    if let Some(s) = special(f) {
        return s.into();
    }
    let (neg, digits, dp) = shortest(f, false);
    fmt_f(neg, &digits, dp)
}

/// A finite float64 as `encoding/json` writes it: `'f'` format, except `'e'`
/// below 1e-6 and from 1e21, with a one-digit negative exponent (`1e-7`).
/// Returns `None` for NaN and infinities, which JSON cannot hold.
pub fn format_json_float(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = format_e(f);
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        return Some(s);
    }
    Some(format_f(f))
}

/// Go's `strconv.ParseUint(s, 0, 64)` on a string without underscores.
pub fn parse_uint_base0(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let (base, digits) = if b[0] == b'0' {
        if s.len() >= 3 && (b[1] | 0x20) == b'b' {
            (2, &s[2..])
        } else if s.len() >= 3 && (b[1] | 0x20) == b'o' {
            (8, &s[2..])
        } else if s.len() >= 3 && (b[1] | 0x20) == b'x' {
            (16, &s[2..])
        } else {
            (8, &s[1..])
        }
    } else {
        (10, s)
    };
    let mut n: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(base)?;
        n = n.checked_mul(u64::from(base))?.checked_add(u64::from(d))?;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, 0, 64)` on a string without underscores.
pub fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint_base0(rest)?;
    if neg {
        if u > 1u64 << 63 {
            None
        } else {
            Some((u as i64).wrapping_neg())
        }
    } else if u > i64::MAX as u64 {
        None
    } else {
        Some(u as i64)
    }
}

/// Go's `strconv.ParseFloat(s, 64)` restricted to decimal syntax: `None` on
/// syntax errors and on overflow (Go reports `ErrRange` there).
pub fn parse_decimal_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if !body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() { None } else { Some(f) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_matches_go() {
        // Expected values are what Go's strconv.FormatFloat(f, 'g', -1, 64) prints.
        let cases = [
            (1234567.0, "1.234567e+06"),
            (123456.5, "123456.5"),
            (1e6, "1e+06"),
            (100000.0, "100000"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5, "1.5"),
            (-0.0, "-0"),
            (0.0, "0"),
            (1e21, "1e+21"),
            (1.2345678901234567e19, "1.2345678901234567e+19"),
            (f64::INFINITY, "+Inf"),
            (f64::NAN, "NaN"),
        ];
        for (f, want) in cases {
            assert_eq!(format_g(f), want, "{f}");
        }
        assert_eq!(format_g32(0.1234567891), "0.12345679");
        assert_eq!(format_g32(1.1), "1.1");
        assert_eq!(format_g32(1e10), "1e+10");
    }

    #[test]
    fn json_format_matches_go() {
        let cases = [
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1.5e-10, "1.5e-10"),
            (12345678901.0, "12345678901"),
            (-0.0, "-0"),
        ];
        for (f, want) in cases {
            assert_eq!(format_json_float(f).as_deref(), Some(want), "{f}");
        }
        assert_eq!(format_json_float(f64::NAN), None);
    }

    #[test]
    fn parse_int_like_go() {
        assert_eq!(parse_int_base0("012"), Some(10));
        assert_eq!(parse_int_base0("0x1F"), Some(31));
        assert_eq!(parse_int_base0("0b101"), Some(5));
        assert_eq!(parse_int_base0("0o17"), Some(15));
        assert_eq!(parse_int_base0("-0x10"), Some(-16));
        assert_eq!(parse_int_base0("+7"), Some(7));
        assert_eq!(parse_int_base0("08"), None);
        assert_eq!(parse_int_base0("0x"), None);
        assert_eq!(parse_int_base0("0"), Some(0));
        assert_eq!(parse_int_base0("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int_base0("9223372036854775808"), None);
        assert_eq!(parse_uint_base0("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_uint_base0("+1"), None);
    }

    #[test]
    fn parse_float_reports_overflow() {
        assert_eq!(parse_decimal_float("1e400"), None);
        assert_eq!(parse_decimal_float("1e-400"), Some(0.0));
        assert_eq!(parse_decimal_float(".5"), Some(0.5));
        assert_eq!(parse_decimal_float("inf"), None);
    }
}

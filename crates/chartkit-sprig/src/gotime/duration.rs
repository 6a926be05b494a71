//! Go's `time.Duration` (an `int64` count of nanoseconds): `String`,
//! `ParseDuration`, `Round` and `Truncate`.

use super::quote;

pub(crate) const NANOSECOND: i64 = 1;
pub(crate) const MICROSECOND: i64 = 1_000;
pub(crate) const MILLISECOND: i64 = 1_000_000;
pub(crate) const SECOND: i64 = 1_000_000_000;
pub(crate) const MINUTE: i64 = 60 * SECOND;
pub(crate) const HOUR: i64 = 60 * MINUTE;

/// Go's `Duration.String()`: `72h3m0.5s`, `1.5µs`, `0s`.
pub(crate) fn format(d: i64) -> String {
    let mut u = d.unsigned_abs();
    let mut out: Vec<u8> = Vec::new(); // built backwards
    if u < SECOND as u64 {
        out.push(b's');
        let prec = match u {
            0 => return "0s".into(),
            u if u < MICROSECOND as u64 => {
                out.push(b'n');
                0
            }
            u if u < MILLISECOND as u64 => {
                out.extend("µ".bytes().rev());
                3
            }
            _ => {
                out.push(b'm');
                6
            }
        };
        u = push_frac(&mut out, u, prec);
        push_int(&mut out, u);
    } else {
        out.push(b's');
        u = push_frac(&mut out, u, 9);
        push_int(&mut out, u % 60);
        u /= 60;
        if u > 0 {
            out.push(b'm');
            push_int(&mut out, u % 60);
            u /= 60;
            if u > 0 {
                out.push(b'h');
                push_int(&mut out, u);
            }
        }
    }
    if d < 0 {
        out.push(b'-');
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// Pushes (backwards) the fraction `v / 10^prec` without trailing zeros
/// or a bare point; returns `v / 10^prec`.
fn push_frac(out: &mut Vec<u8>, mut v: u64, prec: u32) -> u64 {
    let mut print = false;
    for _ in 0..prec {
        let digit = (v % 10) as u8;
        print = print || digit != 0;
        if print {
            out.push(b'0' + digit);
        }
        v /= 10;
    }
    if print {
        out.push(b'.');
    }
    v
}

fn push_int(out: &mut Vec<u8>, mut v: u64) {
    if v == 0 {
        out.push(b'0');
    }
    while v > 0 {
        out.push(b'0' + (v % 10) as u8);
        v /= 10;
    }
}

/// A `time.ParseDuration` failure; displays as Go's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("time: {message} {}", quote(value.as_bytes()))]
pub(crate) struct ParseDurationError {
    message: String,
    value: String,
}

/// Go's `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, units
/// `ns`, `us`/`µs`/`μs`, `ms`, `s`, `m`, `h`.
pub(crate) fn parse(orig: &str) -> Result<i64, ParseDurationError> {
    let invalid = |message: &str| ParseDurationError {
        message: message.into(),
        value: orig.into(),
    };
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c @ (b'-' | b'+')) = s.first() {
        neg = c == b'-';
        s = &s[1..];
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid("invalid duration"));
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid("invalid duration"));
        }
        let before = s.len();
        let (v, rest) = leading_int(s).ok_or_else(|| invalid("invalid duration"))?;
        s = rest;
        let pre = before != s.len();
        let mut post = false;
        let (mut f, mut scale) = (0u64, 1f64);
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let before = s.len();
            let (ff, sc, rest) = leading_fraction(s);
            (f, scale, s) = (ff, sc, rest);
            post = before != s.len();
        }
        if !pre && !post {
            return Err(invalid("invalid duration"));
        }
        let i = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if i == 0 {
            return Err(invalid("missing unit in duration"));
        }
        let unit_text = &s[..i];
        s = &s[i..];
        let unit: u64 = match unit_text {
            b"ns" => NANOSECOND as u64,
            b"us" => MICROSECOND as u64,
            u if u == "µs".as_bytes() || u == "μs".as_bytes() => MICROSECOND as u64,
            b"ms" => MILLISECOND as u64,
            b"s" => SECOND as u64,
            b"m" => MINUTE as u64,
            b"h" => HOUR as u64,
            _ => {
                let msg = format!("unknown unit {} in duration", quote(unit_text));
                return Err(invalid(&msg));
            }
        };
        if v > (1u64 << 63) / unit {
            return Err(invalid("invalid duration"));
        }
        let mut v = v * unit;
        if f > 0 {
            // Go does this in float64 to be exact for fractions of hours.
            v = v.wrapping_add((f as f64 * (unit as f64 / scale)) as u64);
            if v > 1 << 63 {
                return Err(invalid("invalid duration"));
            }
        }
        d = d.wrapping_add(v);
        if d > 1 << 63 {
            return Err(invalid("invalid duration"));
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > i64::MAX as u64 {
        return Err(invalid("invalid duration"));
    }
    Ok(d as i64)
}

/// Go's `leadingInt`: the leading digits as a number, `None` on overflow.
pub(crate) fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if x > (1u64 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(s[i] - b'0');
        if x > 1 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

/// Go's `leadingFraction`: digits after a point, with precision dropped
/// (not an error) once they no longer fit.
fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let mut x: u64 = 0;
    let mut scale = 1f64;
    let mut overflow = false;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if !overflow {
            if x > (i64::MAX as u64) / 10 {
                overflow = true;
            } else {
                let y = x * 10 + u64::from(s[i] - b'0');
                if y > 1 << 63 {
                    overflow = true;
                } else {
                    x = y;
                    scale *= 10.0;
                }
            }
        }
        i += 1;
    }
    (x, scale, &s[i..])
}

/// Go's `Duration.Round(m)`: half away from zero, saturating.
pub(crate) fn round(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let less_than_half = |x: i64, y: i64| (x as u64).wrapping_add(x as u64) < y as u64;
    let mut r = d % m;
    if d < 0 {
        r = -r;
        if less_than_half(r, m) {
            return d + r;
        }
        let d1 = d.wrapping_sub(m).wrapping_add(r);
        if d1 < d {
            return d1;
        }
        return i64::MIN;
    }
    if less_than_half(r, m) {
        return d - r;
    }
    let d1 = d.wrapping_add(m).wrapping_sub(r);
    if d1 > d {
        return d1;
    }
    i64::MAX
}

/// Go's `Duration.Truncate(m)`.
pub(crate) fn truncate(d: i64, m: i64) -> i64 {
    if m <= 0 { d } else { d - d % m }
}

/// Go's `Duration.Abs()`.
pub(crate) fn abs(d: i64) -> i64 {
    if d == i64::MIN { i64::MAX } else { d.abs() }
}

/// Go's `Duration.Seconds()` and friends: whole units plus the fraction.
pub(crate) fn in_units(d: i64, unit: i64) -> f64 {
    (d / unit) as f64 + (d % unit) as f64 / unit as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_like_go() {
        let cases: &[(i64, &str)] = &[
            (0, "0s"),
            (1, "1ns"),
            (1100, "1.1µs"),
            (2_200_000, "2.2ms"),
            (3_300_000_000, "3.3s"),
            (4 * MINUTE + 5 * SECOND, "4m5s"),
            (4 * MINUTE + 5_001 * MILLISECOND, "4m5.001s"),
            (5 * HOUR + 6 * MINUTE + 7_001 * MILLISECOND, "5h6m7.001s"),
            (8 * MINUTE + 1, "8m0.000000001s"),
            (i64::MAX, "2562047h47m16.854775807s"),
            (i64::MIN, "-2562047h47m16.854775808s"),
            (-1_500, "-1.5µs"),
        ];
        for (d, want) in cases {
            assert_eq!(format(*d), *want, "{d}");
        }
    }

    #[test]
    fn parses_like_go() {
        let ok: &[(&str, i64)] = &[
            ("0", 0),
            ("-0", 0),
            ("5s", 5 * SECOND),
            ("+5s", 5 * SECOND),
            ("1.5h", 90 * MINUTE),
            (".5s", SECOND / 2),
            ("5.s", 5 * SECOND),
            (
                "1h2m3s4ms5us6ns",
                HOUR + 2 * MINUTE + 3 * SECOND + 4 * MILLISECOND + 5 * MICROSECOND + 6,
            ),
            ("3µs", 3000),
            ("3μs", 3000),
            ("-2h", -2 * HOUR),
            ("9223372036854775807ns", i64::MAX),
            ("-9223372036854775808ns", i64::MIN),
            ("0.3333333333333333333h", 20 * MINUTE),
            ("9007199254740993ns", (1 << 53) + 1),
        ];
        for (s, want) in ok {
            assert_eq!(parse(s), Ok(*want), "{s}");
        }
        let bad: &[(&str, &str)] = &[
            ("", r#"time: invalid duration """#),
            ("3", r#"time: missing unit in duration "3""#),
            ("-", r#"time: invalid duration "-""#),
            ("s", r#"time: invalid duration "s""#),
            (".s", r#"time: invalid duration ".s""#),
            ("1d", r#"time: unknown unit "d" in duration "1d""#),
            (
                "1µ",
                "time: unknown unit \"\\xc2\\xb5\" in duration \"1\\xc2\\xb5\"",
            ),
            (
                "9223372036854775808ns",
                r#"time: invalid duration "9223372036854775808ns""#,
            ),
        ];
        for (s, want) in bad {
            assert_eq!(
                parse(s).map_err(|e| e.to_string()),
                Err(want.to_string()),
                "{s}"
            );
        }
    }

    #[test]
    fn rounding() {
        assert_eq!(round(1_500 * MILLISECOND, SECOND), 2 * SECOND);
        assert_eq!(round(-1_500 * MILLISECOND, SECOND), -2 * SECOND);
        assert_eq!(round(1_499 * MILLISECOND, SECOND), SECOND);
        assert_eq!(round(i64::MAX, HOUR), i64::MAX);
        assert_eq!(round(5, 0), 5);
        assert_eq!(truncate(1_999, 1_000), 1_000);
    }
}

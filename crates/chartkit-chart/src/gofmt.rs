//! The bits of Go's `fmt` and `strconv` that reach Helm's messages:
//! `%q`, `%v` and `%T` of decoded values, `FormatFloat(f, 'g', -1, n)`.

use chartkit_yaml::Value;

/// Go's `strconv.Quote` (`%q` of a string).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            '\u{FFFD}' => out.push('\u{FFFD}'),
            c if is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `unicode.IsPrint`: graphic characters and the
/// ASCII space; controls, format characters and non-ASCII spaces are not.
pub fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xE000..=0xF8FF | 0xD800..=0xDFFF | 0xFFFE | 0xFFFF)
}

/// Go's `unicode.IsSpace`.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\x0b' | '\x0c' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    ) || (c as u32 > 0xff && c.is_whitespace())
}

/// Shortest decimal digits and decimal-point position of `f` (|f| > 0).
fn shortest(f: f64, bits32: bool) -> (String, i32) {
    let e = if bits32 {
        format!("{:e}", (f as f32).abs())
    } else {
        format!("{:e}", f.abs())
    };
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    (digits.to_string(), exp.parse::<i32>().unwrap_or(0) + 1)
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`, which is also `%v` of a float64.
pub fn format_g(f: f64) -> String {
    format_g_bits(f, false)
}

/// `strconv.FormatFloat(f, 'g', -1, 32)` (sigs.k8s.io/yaml's float-to-string).
pub fn format_g32(f: f64) -> String {
    format_g_bits(f, true)
}

fn format_g_bits(f: f64, bits32: bool) -> String {
    let f = if bits32 { f64::from(f as f32) } else { f };
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let neg = f.is_sign_negative();
    let sign = if neg { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0");
    }
    let (digits, dp) = shortest(f, bits32);
    let exp = dp - 1;
    if exp < -4 || exp >= 6 {
        let (first, rest) = digits.split_at(1);
        let mant = if rest.is_empty() {
            first.to_string()
        } else {
            format!("{first}.{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{mant}e{esign}{:02}", exp.abs());
    }
    if dp <= 0 {
        format!("{sign}0.{}{}", "0".repeat((-dp) as usize), digits)
    } else if dp as usize >= digits.len() {
        format!("{sign}{}{}", digits, "0".repeat(dp as usize - digits.len()))
    } else {
        let (a, b) = digits.split_at(dp as usize);
        format!("{sign}{a}.{b}")
    }
}

/// `%v` of a decoded value, as Go's fmt prints an `interface{}` holding it.
pub fn fmt_v(v: &Value) -> String {
    let mut s = String::new();
    write_v(v, &mut s);
    s
}

fn write_v(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&format_g(*f)),
        Value::String(s) => out.push_str(s),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_v(item, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push_str("map[");
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_v(item, out);
            }
            out.push(']');
        }
    }
}

/// `%T` of a decoded value.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::Seq(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    }
}

/// Go's panic text for a failed type assertion
/// (`interface conversion: interface {} is string, not map[string]interface {}`).
pub fn interface_conversion(v: &Value, want: &str) -> String {
    let got = match v {
        Value::Null => "nil",
        other => type_name(other),
    };
    format!("interface conversion: interface {{}} is {got}, not {want}")
}

/// `%t` of a value: `true`/`false` for bools, Go's bad-verb text otherwise.
pub fn fmt_t(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Null => "%!t(<nil>)".to_string(),
        other => format!("%!t({}={})", type_name(other), fmt_v(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats() {
        assert_eq!(format_g(1234567.0), "1.234567e+06");
        assert_eq!(format_g(123456.5), "123456.5");
        assert_eq!(format_g(1e21), "1e+21");
        assert_eq!(format_g(100000.0), "100000");
        assert_eq!(format_g(0.0001), "0.0001");
        assert_eq!(format_g(0.00001), "1e-05");
        assert_eq!(format_g(-2.5), "-2.5");
        assert_eq!(format_g(70000.0), "70000");
        assert_eq!(format_g32(1.1), "1.1");
        assert_eq!(format_g32(1000000.0), "1e+06");
        assert_eq!(format_g32(2024.01), "2024.01");
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a\"b\\\n\x01é"), "\"a\\\"b\\\\\\n\\x01é\"");
    }
}

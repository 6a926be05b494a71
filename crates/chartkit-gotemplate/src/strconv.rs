//! The parts of Go's `strconv` and `unicode` packages that text/template and
//! fmt observably depend on: quoting, unquoting, number literal parsing and
//! float formatting. Written from Go's documented behaviour; checked against
//! Go through the conformance table.

use crate::unicode_tables;

fn in_table(table: &[(u32, u32)], c: u32) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Go's `unicode.IsPrint` (= `strconv.IsPrint`), with Go's Unicode version.
pub fn is_print(c: char) -> bool {
    let c = c as u32;
    if c < 0x80 {
        return (0x20..0x7f).contains(&c);
    }
    in_table(unicode_tables::PRINT, c)
}

/// Go's `unicode.IsLetter`.
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_table(unicode_tables::LETTER, c as u32)
}

/// Go's `unicode.IsDigit`.
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_table(unicode_tables::DIGIT, c as u32)
}

const LOWERHEX: &[u8; 16] = b"0123456789abcdef";

fn push_escaped_rune(out: &mut String, r: char, quote: char, ascii_only: bool) {
    if r == quote || r == '\\' {
        out.push('\\');
        out.push(r);
        return;
    }
    if ascii_only {
        if r.is_ascii() && is_print(r) {
            out.push(r);
            return;
        }
    } else if is_print(r) {
        out.push(r);
        return;
    }
    match r {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        _ => {
            let c = r as u32;
            if c < 0x20 || c == 0x7f {
                out.push_str("\\x");
                out.push(LOWERHEX[(c >> 4) as usize] as char);
                out.push(LOWERHEX[(c & 0xf) as usize] as char);
            } else if c < 0x10000 {
                out.push_str("\\u");
                for s in (0..=12).rev().step_by(4) {
                    out.push(LOWERHEX[((c >> s) & 0xf) as usize] as char);
                }
            } else {
                out.push_str("\\U");
                for s in (0..=28).rev().step_by(4) {
                    out.push(LOWERHEX[((c >> s) & 0xf) as usize] as char);
                }
            }
        }
    }
}

fn quote_with(s: &str, quote: char, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    let mut rest = s;
    while !rest.is_empty() {
        // Copy runs of printable ASCII that need no escaping in one go.
        let safe = rest
            .bytes()
            .take_while(|&b| (0x20..0x7f).contains(&b) && b != quote as u8 && b != b'\\')
            .count();
        out.push_str(&rest[..safe]);
        rest = &rest[safe..];
        let Some(r) = rest.chars().next() else { break };
        push_escaped_rune(&mut out, r, quote, ascii_only);
        rest = &rest[r.len_utf8()..];
    }
    out.push(quote);
    out
}

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    quote_with(s, '"', false)
}

/// Go's `strconv.Quote` on bytes that may not be UTF-8 (invalid bytes
/// become `\xNN`).
pub fn quote_bytes(b: &[u8], ascii_only: bool) -> String {
    let mut out = String::with_capacity(b.len() + 2);
    out.push('"');
    for chunk in b.utf8_chunks() {
        for r in chunk.valid().chars() {
            push_escaped_rune(&mut out, r, '"', ascii_only);
        }
        for &byte in chunk.invalid() {
            out.push_str("\\x");
            out.push(LOWERHEX[(byte >> 4) as usize] as char);
            out.push(LOWERHEX[(byte & 0xf) as usize] as char);
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteToASCII`.
pub fn quote_to_ascii(s: &str) -> String {
    quote_with(s, '"', true)
}

/// Go's `strconv.QuoteRune` / `QuoteRuneToASCII` (invalid runes print as U+FFFD).
pub fn quote_rune(r: u32, ascii_only: bool) -> String {
    let c = char::from_u32(r).unwrap_or('\u{FFFD}');
    let mut out = String::with_capacity(8);
    out.push('\'');
    push_escaped_rune(&mut out, c, '\'', ascii_only);
    out.push('\'');
    out
}

/// Go's `strconv.CanBackquote`.
pub fn can_backquote(s: &str) -> bool {
    s.chars().all(|r| {
        if r.len_utf8() > 1 {
            return r != '\u{FEFF}';
        }
        !((r < ' ' && r != '\t') || r == '`' || r == '\x7f')
    })
}

/// Go's `strconv.ErrSyntax` text.
pub const ERR_SYNTAX: &str = "invalid syntax";

fn unhex(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// Go's `strconv.UnquoteChar`: decodes one (possibly escaped) character
/// at the start of `s`. Returns the value, whether it must be written as
/// UTF-8 (`multibyte`), and the number of bytes consumed.
#[allow(clippy::result_unit_err)] // Go's only error here is ErrSyntax.
pub fn unquote_char(s: &[u8], quote: u8) -> Result<(u32, bool, usize), ()> {
    let Some(&c) = s.first() else { return Err(()) };
    if c == quote && (quote == b'\'' || quote == b'"') {
        return Err(());
    }
    if c >= 0x80 {
        // Decode one UTF-8 sequence (or one invalid byte as U+FFFD).
        let text = match std::str::from_utf8(&s[..s.len().min(4)]) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.valid_up_to();
                if valid == 0 {
                    return Ok((0xFFFD, true, 1));
                }
                // valid_up_to > 0 here, so the prefix is valid UTF-8.
                std::str::from_utf8(&s[..valid]).map_err(|_| ())?
            }
        };
        let r = text.chars().next().ok_or(())?;
        return Ok((r as u32, true, r.len_utf8()));
    }
    if c != b'\\' {
        return Ok((c as u32, false, 1));
    }
    if s.len() <= 1 {
        return Err(());
    }
    let c = s[1];
    let rest = &s[2..];
    let simple = |v: u32| Ok((v, false, 2));
    match c {
        b'a' => simple(7),
        b'b' => simple(8),
        b'f' => simple(0x0c),
        b'n' => simple(b'\n' as u32),
        b'r' => simple(b'\r' as u32),
        b't' => simple(b'\t' as u32),
        b'v' => simple(0x0b),
        b'x' | b'u' | b'U' => {
            let n = match c {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            if rest.len() < n {
                return Err(());
            }
            let mut v: u32 = 0;
            for &d in &rest[..n] {
                v = (v << 4) | unhex(d).ok_or(())?;
            }
            if c == b'x' {
                return Ok((v, false, 2 + n));
            }
            if char::from_u32(v).is_none() {
                return Err(());
            }
            Ok((v, true, 2 + n))
        }
        b'0'..=b'7' => {
            let mut v = (c - b'0') as u32;
            if rest.len() < 2 {
                return Err(());
            }
            for &d in &rest[..2] {
                if !(b'0'..=b'7').contains(&d) {
                    return Err(());
                }
                v = (v << 3) | (d - b'0') as u32;
            }
            if v > 255 {
                return Err(());
            }
            Ok((v, false, 4))
        }
        b'\\' => simple(b'\\' as u32),
        b'\'' | b'"' => {
            if c != quote {
                return Err(());
            }
            simple(c as u32)
        }
        _ => Err(()),
    }
}

/// Go's `strconv.Unquote` for `"..."` and `` `...` `` literals. The result
/// is bytes: `\xff` escapes may produce text that is not UTF-8.
#[allow(clippy::result_unit_err)] // Go's only error here is ErrSyntax.
pub fn unquote(s: &str) -> Result<Vec<u8>, ()> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err(());
    }
    let quote = b[0];
    match quote {
        b'`' => {
            if b[b.len() - 1] != b'`' || b[1..b.len() - 1].contains(&b'`') {
                return Err(());
            }
            Ok(b[1..b.len() - 1]
                .iter()
                .copied()
                .filter(|&c| c != b'\r')
                .collect())
        }
        b'"' | b'\'' => {
            // Most template strings have no escapes: take them as they are.
            if quote == b'"' {
                let body = &b[1..b.len() - 1];
                if b[b.len() - 1] == b'"'
                    && !body.iter().any(|&c| matches!(c, b'"' | b'\\' | b'\n'))
                {
                    return Ok(body.to_vec());
                }
            }
            let mut out = Vec::with_capacity(b.len());
            let mut i = 1;
            let mut count = 0;
            while i < b.len() && b[i] != quote {
                if b[i] == b'\n' {
                    return Err(());
                }
                let (r, multibyte, n) = unquote_char(&b[i..], quote)?;
                i += n;
                if r < 0x80 || !multibyte {
                    out.push(r as u8);
                } else {
                    let c = char::from_u32(r).unwrap_or('\u{FFFD}');
                    let mut tmp = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                }
                count += 1;
                if quote == b'\'' {
                    break;
                }
            }
            if i >= b.len() || b[i] != quote || i + 1 != b.len() {
                return Err(());
            }
            if quote == b'\'' && count != 1 {
                return Err(());
            }
            Ok(out)
        }
        _ => Err(()),
    }
}

fn lower(c: u8) -> u8 {
    c | 0x20
}

/// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
pub fn underscore_ok(s: &[u8]) -> bool {
    let mut saw = b'^';
    let mut s = s;
    if !s.is_empty() && (s[0] == b'-' || s[0] == b'+') {
        s = &s[1..];
    }
    let mut hex = false;
    let mut i = 0;
    if s.len() >= 2 && s[0] == b'0' && matches!(lower(s[1]), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = lower(s[1]) == b'x';
    }
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_digit() || (hex && (b'a'..=b'f').contains(&lower(c))) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
pub fn parse_uint(s: &str) -> Option<u64> {
    let s0 = s.as_bytes();
    if s0.is_empty() {
        return None;
    }
    let mut b = s0;
    let mut base = 10u64;
    if b[0] == b'0' {
        if b.len() >= 3 && lower(b[1]) == b'b' {
            base = 2;
            b = &b[2..];
        } else if b.len() >= 3 && lower(b[1]) == b'o' {
            base = 8;
            b = &b[2..];
        } else if b.len() >= 3 && lower(b[1]) == b'x' {
            base = 16;
            b = &b[2..];
        } else {
            base = 8;
            b = &b[1..];
        }
    }
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in b {
        let d = match c {
            b'_' => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => (c - b'0') as u64,
            b'a'..=b'z' => (c - b'a') as u64 + 10,
            b'A'..=b'Z' => (c - b'A') as u64 + 10,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(d)?;
    }
    if underscores && !underscore_ok(s0) {
        return None;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub fn parse_int(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let un = parse_uint(rest)?;
    if neg {
        if un > 1u64 << 63 {
            return None;
        }
        Some((un as i64).wrapping_neg())
    } else {
        if un >= 1u64 << 63 {
            return None;
        }
        Some(un as i64)
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for the literals the template lexer
/// produces: `None` on syntax errors and on overflow to ±Inf (ErrRange).
pub fn parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    match b.first() {
        Some(b'+') => i = 1,
        Some(b'-') => {
            i = 1;
            neg = true
        }
        _ => {}
    }
    let body = &b[i..];
    if body.len() > 2 && body[0] == b'0' && lower(body[1]) == b'x' {
        let v = parse_hex_float(&body[2..])?;
        if s.contains('_') && !underscore_ok(b) {
            return None;
        }
        return Some(if neg { -v } else { v });
    }
    // Decimal: digits, optional '.', digits, optional exponent.
    let mut j = 0;
    let mut saw_digits = false;
    let mut saw_dot = false;
    while j < body.len() {
        match body[j] {
            b'0'..=b'9' => saw_digits = true,
            b'_' => {}
            b'.' if !saw_dot => saw_dot = true,
            _ => break,
        }
        j += 1;
    }
    if !saw_digits {
        return None;
    }
    if j < body.len() && lower(body[j]) == b'e' {
        j += 1;
        if j < body.len() && (body[j] == b'+' || body[j] == b'-') {
            j += 1;
        }
        if j >= body.len() || !body[j].is_ascii_digit() {
            return None;
        }
        while j < body.len() && (body[j].is_ascii_digit() || body[j] == b'_') {
            j += 1;
        }
    }
    if j != body.len() {
        return None;
    }
    if s.contains('_') && !underscore_ok(b) {
        return None;
    }
    let cleaned: String = s.chars().filter(|&c| c != '_').collect();
    let v: f64 = cleaned.parse().ok()?;
    if v.is_infinite() {
        return None;
    }
    Some(v)
}

/// Parses the part of a hex float after `0x`: hex digits with an optional
/// point, then a mandatory `p` exponent. Rounds to nearest even.
fn parse_hex_float(b: &[u8]) -> Option<f64> {
    let mut mant: u64 = 0;
    let mut nd_mant = 0; // hex digits taken into mant
    let mut trunc = false;
    let mut dp: i64 = 0;
    let mut nd: i64 = 0;
    let mut saw_dot = false;
    let mut saw_digits = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'_' => {}
            b'.' => {
                if saw_dot {
                    break;
                }
                saw_dot = true;
                dp = nd;
            }
            _ => {
                let Some(d) = unhex(c) else { break };
                saw_digits = true;
                if d == 0 && nd == 0 {
                    dp -= 1;
                } else {
                    nd += 1;
                    if nd_mant < 16 {
                        mant = mant * 16 + d as u64;
                        nd_mant += 1;
                    } else if d != 0 {
                        trunc = true;
                    }
                }
            }
        }
        i += 1;
    }
    if !saw_digits {
        return None;
    }
    if !saw_dot {
        dp = nd;
    }
    dp *= 4;
    let nd_mant_bits = (nd_mant * 4) as i64;
    if i >= b.len() || lower(b[i]) != b'p' {
        return None;
    }
    i += 1;
    let mut esign = 1i64;
    match b.get(i) {
        Some(b'+') => i += 1,
        Some(b'-') => {
            i += 1;
            esign = -1
        }
        _ => {}
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return None;
    }
    let mut e: i64 = 0;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        if b[i] != b'_' && e < 10000 {
            e = e * 10 + (b[i] - b'0') as i64;
        }
        i += 1;
    }
    if i != b.len() {
        return None;
    }
    dp += e * esign;
    if mant == 0 {
        return Some(0.0);
    }
    let exp = dp - nd_mant_bits; // value = mant * 2^exp
    // Normalise so bit 63 is set: value = m * 2^(e2), m in [2^63, 2^64).
    let lz = mant.leading_zeros() as i64;
    let m = mant << lz;
    let e2 = exp - lz;
    let top = e2 + 63; // value in [2^top, 2^(top+1))
    if top > 1023 {
        return None;
    }
    // Bits of precision available at this magnitude.
    let keep: i64 = if top >= -1022 { 53 } else { 53 - (-1022 - top) };
    if keep <= 0 {
        // Below half the smallest subnormal (or exactly half: round to even 0).
        if keep == 0 && (m > 1u64 << 63 || trunc) {
            return Some(f64::from_bits(1));
        }
        return Some(0.0);
    }
    let drop = 64 - keep as u32;
    let mut kept = m >> drop;
    let rem = m & ((1u64 << drop) - 1);
    let half = 1u64 << (drop - 1);
    if rem > half || (rem == half && (trunc || kept & 1 == 1)) {
        kept += 1;
    }
    // value = kept * 2^(e2 + drop)
    let scale = e2 + drop as i64;
    let v = ldexp(kept as f64, scale);
    if v.is_infinite() {
        return None;
    }
    Some(v)
}

/// `x * 2^e`, exact whenever the result is representable.
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    x * 2f64.powi(e as i32)
}

/// A decimal digit string `0.d1d2d3... * 10^dp`, trailing zeros trimmed
/// (zero has no digits and `dp == 0`), as Go's ftoa works with.
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

fn digits_from_exp_format(s: &str) -> Digits {
    // s looks like "1.2345e-7" or "5e3" (Rust's `{:e}` output, no sign).
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: Vec<u8> = mant.bytes().filter(|c| c.is_ascii_digit()).collect();
    while d.last() == Some(&b'0') {
        d.pop();
    }
    if d.is_empty() {
        return Digits { d, dp: 0 };
    }
    Digits { d, dp: exp + 1 }
}

fn fmt_e(out: &mut String, neg: bool, d: &Digits, prec: i32, fmt: u8) {
    if neg {
        out.push('-');
    }
    out.push(d.d.first().map(|&c| c as char).unwrap_or('0'));
    if prec > 0 {
        out.push('.');
        let mut i = 1usize;
        let m = d.d.len().min(prec as usize + 1);
        if i < m {
            out.push_str(std::str::from_utf8(&d.d[i..m]).unwrap_or(""));
            i = m;
        }
        while i <= prec as usize {
            out.push('0');
            i += 1;
        }
    }
    out.push(fmt as char);
    let mut exp = d.dp - 1;
    if d.d.is_empty() {
        exp = 0;
    }
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

fn fmt_f(out: &mut String, neg: bool, d: &Digits, prec: i32) {
    if neg {
        out.push('-');
    }
    let nd = d.d.len() as i32;
    if d.dp > 0 {
        let m = nd.min(d.dp);
        out.push_str(std::str::from_utf8(&d.d[..m as usize]).unwrap_or(""));
        for _ in m..d.dp {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec {
            let j = d.dp + i;
            let ch = if 0 <= j && j < nd {
                d.d[j as usize]
            } else {
                b'0'
            };
            out.push(ch as char);
        }
    }
}

/// More fractional digits than any float64 has (its exact expansion ends by 1074).
const MAX_FRACTION_DIGITS: usize = 1100;
/// More significant digits than any float64's exact expansion (at most 767).
const MAX_SIGNIFICANT_DIGITS: usize = 800;

/// Go's `strconv.FormatFloat(v, fmt, prec, 64)` for the formats fmt uses:
/// `b e E f g G x X`.
pub fn format_float(v: f64, fmt: u8, prec: i32) -> String {
    let mut out = String::with_capacity(24);
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v < 0.0 {
            "-Inf".into()
        } else {
            "+Inf".into()
        };
    }
    let bits = v.to_bits();
    let neg = bits >> 63 != 0;
    let mut exp = ((bits >> 52) & 0x7ff) as i32;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp += 1;
    } else {
        mant |= 1u64 << 52;
    }
    exp -= 1023;
    match fmt {
        b'b' => {
            if neg {
                out.push('-');
            }
            out.push_str(&mant.to_string());
            out.push('p');
            let e = exp - 52;
            if e >= 0 {
                out.push('+');
            }
            out.push_str(&e.to_string());
            return out;
        }
        b'x' | b'X' => return fmt_x(prec, fmt, neg, mant, exp),
        _ => {}
    }
    let a = v.abs();
    let shortest = prec < 0;
    let mut prec = prec;
    let digs;
    if shortest {
        digs = digits_from_exp_format(&format!("{a:e}"));
        let nd = digs.d.len() as i32;
        prec = match fmt {
            b'e' | b'E' => (nd - 1).max(0),
            b'f' => (nd - digs.dp).max(0),
            _ => nd,
        };
    } else {
        match fmt {
            b'f' => {
                // Exact, correctly rounded fixed notation. A float64 has at
                // most 1074 fractional digits, so past that only zeros follow
                // (and Rust caps precisions at 65535).
                if neg {
                    out.push('-');
                }
                let p = prec as usize;
                out.push_str(&format!("{a:.*}", p.min(MAX_FRACTION_DIGITS)));
                for _ in MAX_FRACTION_DIGITS..p {
                    out.push('0');
                }
                return out;
            }
            b'e' | b'E' => {
                let p = (prec as usize).min(MAX_SIGNIFICANT_DIGITS);
                digs = digits_from_exp_format(&format!("{a:.*e}", p));
            }
            _ => {
                if prec == 0 {
                    prec = 1;
                }
                let p = ((prec - 1) as usize).min(MAX_SIGNIFICANT_DIGITS);
                digs = digits_from_exp_format(&format!("{a:.*e}", p));
            }
        }
    }
    let nd = digs.d.len() as i32;
    match fmt {
        b'e' | b'E' => fmt_e(&mut out, neg, &digs, prec, fmt),
        b'f' => fmt_f(&mut out, neg, &digs, prec),
        _ => {
            let mut eprec = prec;
            if eprec > nd && nd >= digs.dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            if exp < -4 || exp >= eprec {
                if prec > nd {
                    prec = nd;
                }
                let efmt = if fmt == b'G' { b'E' } else { b'e' };
                fmt_e(&mut out, neg, &digs, prec - 1, efmt);
            } else {
                if prec > digs.dp {
                    prec = nd;
                }
                fmt_f(&mut out, neg, &digs, (prec - digs.dp).max(0));
            }
        }
    }
    out
}

fn fmt_x(prec: i32, fmt: u8, neg: bool, mant: u64, exp: i32) -> String {
    let mut mant = mant;
    let mut exp = exp;
    if mant == 0 {
        exp = 0;
    }
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 16] = if fmt == b'X' {
        b"0123456789ABCDEF"
    } else {
        LOWERHEX
    };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push('0');
    out.push(fmt as char);
    out.push((b'0' + ((mant >> 60) & 1) as u8) as char);
    mant <<= 4;
    if prec < 0 && mant != 0 {
        out.push('.');
        while mant != 0 {
            out.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    } else if prec > 0 {
        out.push('.');
        for _ in 0..prec {
            out.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    }
    out.push(if fmt == b'X' { 'P' } else { 'p' });
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go() {
        assert_eq!(format_float(1234567.0, b'g', -1), "1.234567e+06");
        assert_eq!(format_float(123456.5, b'g', -1), "123456.5");
        assert_eq!(format_float(0.00001, b'g', -1), "1e-05");
        assert_eq!(format_float(0.0, b'g', -1), "0");
        assert_eq!(format_float(-0.0, b'g', -1), "-0");
        assert_eq!(format_float(1.0, b'e', 6), "1.000000e+00");
        assert_eq!(format_float(3.25159, b'f', 2), "3.25");
        assert_eq!(format_float(1.0, b'b', -1), "4503599627370496p-52");
        assert_eq!(format_float(1.0, b'x', -1), "0x1p+00");
        assert_eq!(format_float(100.0, b'g', 3), "100");
        assert_eq!(format_float(1e21, b'g', -1), "1e+21");
        assert_eq!(format_float(1e100, b'e', -1), "1e+100");
        // Precisions past Rust's formatter limit (Go allows up to 1e6).
        assert_eq!(format_float(0.5, b'f', 70_000).len(), 70_002);
        assert_eq!(format_float(0.1, b'e', 70_000).len(), 70_006);
        assert!(format_float(0.1, b'e', 70_000).starts_with("1.000000000000000055511151231257827"));
        assert_eq!(
            format_float(5e-324, b'g', 1_000_000).len(),
            format_float(5e-324, b'g', 900).len()
        );
    }

    #[test]
    fn number_literals_parse_like_go() {
        assert_eq!(parse_int("0x1F"), Some(31));
        assert_eq!(parse_int("017"), Some(15));
        assert_eq!(parse_int("0o17"), Some(15));
        assert_eq!(parse_int("0b101"), Some(5));
        assert_eq!(parse_int("1_000"), Some(1000));
        assert_eq!(parse_int("1__0"), None);
        assert_eq!(parse_int("08"), None);
        assert_eq!(parse_int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int("9223372036854775808"), None);
        assert_eq!(parse_uint("9223372036854775808"), Some(1 << 63));
        assert_eq!(parse_uint("+1"), None);
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float("0x1p-2"), Some(0.25));
        assert_eq!(parse_float("0x1.8p1"), Some(3.0));
        assert_eq!(parse_float("0x1.8"), None);
        assert_eq!(parse_float("1e400"), None);
        assert_eq!(parse_float("08"), Some(8.0));
        assert_eq!(parse_float("1_0.5"), Some(10.5));
    }

    #[test]
    fn quoting_matches_go() {
        assert_eq!(quote("a\"b\n\u{7f}é\u{a0}"), "\"a\\\"b\\n\\x7fé\\u00a0\"");
        assert_eq!(quote_to_ascii("é😀"), "\"\\u00e9\\U0001f600\"");
        assert_eq!(quote_rune(97, false), "'a'");
        assert_eq!(unquote("\"a\\x41\\u00e9\"").unwrap(), "aAé".as_bytes());
        assert_eq!(unquote("`a\rb`").unwrap(), b"ab");
        assert!(unquote("\"\\'\"").is_err());
        assert!(unquote("'ab'").is_err());
        assert_eq!(unquote("'\\''").unwrap(), b"'");
    }
}

//! Go's `fmt` printing for template [`Value`]s: `Sprint`, `Sprintln`,
//! `Sprintf` and `%v`, with Go's verbs, flags, widths, precisions, argument
//! indexes and error annotations (`%!d(string=x)`, `%!v(MISSING)`,
//! `%!(EXTRA ...)`).
//!
//! In an argument list, [`Value::Nil`] is Go's untyped `nil` (`<nil>`);
//! inside a list or map it is a nil `interface{}` element.

use crate::strconv;
use crate::value::{ElemType, Value};

/// Go's `fmt.Sprint(args...)`: operands are separated by a space when
/// neither side is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut p = Printer::new();
    p.do_print(args);
    p.buf
}

/// Go's `fmt.Sprintln(args...)`: operands always separated by spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.print_arg(a, 'v');
    }
    p.buf.push('\n');
    p.buf
}

/// Go's `fmt.Sprintf(format, args...)`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::new();
    p.do_printf(format, args);
    p.buf
}

/// Go's `%v` of one value (`fmt.Sprint(v)`).
pub fn format_value(v: &Value) -> String {
    let mut s = String::new();
    write_value(&mut s, v);
    s
}

/// Appends Go's `%v` of `v` to `out`.
pub fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Int(i) | Value::Int64(i) => {
            use std::fmt::Write;
            let _ = write!(out, "{i}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // Go's shortest %v prints integral floats below 1e6 as integers.
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e6 && !(*f == 0.0 && f.is_sign_negative()) => {
            use std::fmt::Write;
            let _ = write!(out, "{}", *f as i64);
        }
        _ => {
            let mut p = Printer::new();
            p.print_arg(v, 'v');
            out.push_str(&p.buf);
        }
    }
}

/// Go's `fmt.Sprint` of a single value with Go's `%T`.
pub fn type_string(v: &Value) -> String {
    v.type_name()
}

#[derive(Clone, Copy, Default)]
struct Flags {
    wid_present: bool,
    prec_present: bool,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
    wid: usize,
    prec: usize,
}

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

/// What `badVerb` prints after `TYPE=`.
enum BadArg<'a> {
    /// A top-level argument (`printArg`).
    Arg(&'a Value),
    /// A nested value (`printValue`).
    Nested(&'a Value),
    /// The top-level untyped nil.
    Nil,
}

struct Printer {
    buf: String,
    f: Flags,
    reordered: bool,
    good_arg_num: bool,
}

fn rune_count(s: &str) -> usize {
    s.chars().count()
}

impl Printer {
    fn new() -> Self {
        Printer {
            buf: String::new(),
            f: Flags::default(),
            reordered: false,
            good_arg_num: true,
        }
    }

    // ---- fmt/format.go -------------------------------------------------

    fn write_padding(&mut self, n: isize) {
        if n <= 0 {
            return;
        }
        let c = if self.f.zero && !self.f.minus {
            '0'
        } else {
            ' '
        };
        for _ in 0..n {
            self.buf.push(c);
        }
    }

    fn pad(&mut self, s: &str) {
        if !self.f.wid_present || self.f.wid == 0 {
            self.buf.push_str(s);
            return;
        }
        let width = self.f.wid as isize - rune_count(s) as isize;
        if !self.f.minus {
            self.write_padding(width);
            self.buf.push_str(s);
        } else {
            self.buf.push_str(s);
            self.write_padding(width);
        }
    }

    fn pad_bytes(&mut self, b: &[u8]) {
        // Bytes that are not UTF-8 are shown with U+FFFD: a Rust String
        // cannot hold them (Go would write the raw bytes).
        let s = String::from_utf8_lossy(b);
        if !self.f.wid_present || self.f.wid == 0 {
            self.buf.push_str(&s);
            return;
        }
        let width = self.f.wid as isize - bytes_rune_count(b) as isize;
        if !self.f.minus {
            self.write_padding(width);
            self.buf.push_str(&s);
        } else {
            self.buf.push_str(&s);
            self.write_padding(width);
        }
    }

    fn fmt_boolean(&mut self, v: bool) {
        self.pad(if v { "true" } else { "false" });
    }

    fn fmt_unicode(&mut self, u: u64) {
        let mut prec = 4usize;
        if self.f.prec_present && self.f.prec > 4 {
            prec = self.f.prec;
        }
        let mut digits = Vec::new();
        let mut x = u;
        loop {
            digits.push(UDIGITS[(x & 0xf) as usize]);
            x >>= 4;
            if x == 0 {
                break;
            }
        }
        while digits.len() < prec {
            digits.push(b'0');
        }
        digits.reverse();
        let mut s = String::from("U+");
        s.push_str(std::str::from_utf8(&digits).unwrap_or(""));
        if self.f.sharp
            && u <= 0x10FFFF
            && let Some(c) = char::from_u32(u as u32)
            && strconv::is_print(c)
        {
            s.push_str(" '");
            s.push(c);
            s.push('\'');
        }
        let old_zero = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old_zero;
    }

    fn fmt_integer(&mut self, u: u64, base: u32, signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative {
            (u as i64).wrapping_neg() as u64
        } else {
            u
        };
        let mut prec: usize = 0;
        if self.f.prec_present {
            prec = self.f.prec;
            if prec == 0 && u == 0 {
                let old_zero = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.f.wid as isize);
                self.f.zero = old_zero;
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid_present {
            prec = self.f.wid;
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1);
            }
        }
        // Digits, most significant last.
        let mut buf: Vec<u8> = Vec::with_capacity(24 + prec);
        let b = base as u64;
        while u >= b {
            buf.push(digits[(u % b) as usize]);
            u /= b;
        }
        buf.push(digits[u as usize]);
        while buf.len() < prec {
            buf.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => buf.extend_from_slice(b"b0"),
                8 if buf.last() != Some(&b'0') => {
                    buf.push(b'0');
                }
                16 => {
                    buf.push(digits[16]);
                    buf.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            buf.extend_from_slice(b"o0");
        }
        if negative {
            buf.push(b'-');
        } else if self.f.plus {
            buf.push(b'+');
        } else if self.f.space {
            buf.push(b' ');
        }
        buf.reverse();
        let old_zero = self.f.zero;
        self.f.zero = false;
        // Only ASCII was written.
        let s = String::from_utf8(buf).unwrap_or_default();
        self.pad(&s);
        self.f.zero = old_zero;
    }

    fn truncate_string<'s>(&self, s: &'s str) -> &'s str {
        if self.f.prec_present
            && let Some((i, _)) = s.char_indices().nth(self.f.prec)
        {
            return &s[..i];
        }
        s
    }

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate_string(s);
        let s = s.to_owned();
        self.pad(&s);
    }

    fn fmt_bs(&mut self, b: &[u8]) {
        let mut b = b;
        if self.f.prec_present {
            let mut n = self.f.prec;
            let mut i = 0;
            while i < b.len() {
                if n == 0 {
                    b = &b[..i];
                    break;
                }
                n -= 1;
                i += utf8_width_at(b, i);
            }
        }
        self.pad_bytes(b);
    }

    fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 17]) {
        let mut length = b.len();
        if self.f.prec_present && self.f.prec < length {
            length = self.f.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                self.write_padding(self.f.wid as isize);
            }
            return;
        }
        if self.f.wid_present && self.f.wid > width && !self.f.minus {
            self.write_padding((self.f.wid - width) as isize);
        }
        if self.f.sharp {
            self.buf.push('0');
            self.buf.push(digits[16] as char);
        }
        for (i, &c) in b[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.push('0');
                    self.buf.push(digits[16] as char);
                }
            }
            self.buf.push(digits[(c >> 4) as usize] as char);
            self.buf.push(digits[(c & 0xf) as usize] as char);
        }
        if self.f.wid_present && self.f.wid > width && self.f.minus {
            self.write_padding((self.f.wid - width) as isize);
        }
    }

    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate_string(s).to_owned();
        if self.f.sharp && strconv::can_backquote(&s) {
            self.pad(&format!("`{s}`"));
            return;
        }
        let q = if self.f.plus {
            strconv::quote_to_ascii(&s)
        } else {
            strconv::quote(&s)
        };
        self.pad(&q);
    }

    fn fmt_q_bytes(&mut self, b: &[u8]) {
        match std::str::from_utf8(b) {
            Ok(s) => self.fmt_q(s),
            Err(_) => {
                let q = strconv::quote_bytes(b, self.f.plus);
                self.pad(&q);
            }
        }
    }

    fn fmt_c(&mut self, c: u64) {
        let r = if c > 0x10FFFF {
            '\u{FFFD}'
        } else {
            char::from_u32(c as u32).unwrap_or('\u{FFFD}')
        };
        let mut tmp = [0u8; 4];
        let s = r.encode_utf8(&mut tmp).to_owned();
        self.pad(&s);
    }

    fn fmt_qc(&mut self, c: u64) {
        let r = if c > 0x10FFFF { 0xFFFD } else { c as u32 };
        let q = strconv::quote_rune(r, self.f.plus);
        self.pad(&q);
    }

    fn fmt_float_raw(&mut self, v: f64, verb: u8, prec: i32) {
        let prec = if self.f.prec_present {
            self.f.prec as i32
        } else {
            prec
        };
        let s = strconv::format_float(v, verb, prec);
        let mut num: Vec<u8> = Vec::with_capacity(s.len() + 1);
        if s.starts_with('-') || s.starts_with('+') {
            num.extend_from_slice(s.as_bytes());
        } else {
            num.push(b'+');
            num.extend_from_slice(s.as_bytes());
        }
        if self.f.space && num[0] == b'+' && !self.f.plus {
            num[0] = b' ';
        }
        if num[1] == b'I' || num[1] == b'N' {
            let old_zero = self.f.zero;
            self.f.zero = false;
            if num[1] == b'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            let s = String::from_utf8(num).unwrap_or_default();
            self.pad(&s);
            self.f.zero = old_zero;
            return;
        }
        if self.f.sharp && verb != b'b' {
            let mut digits: i32 = 0;
            if matches!(verb, b'v' | b'g' | b'G' | b'x') {
                digits = prec;
                if digits == -1 {
                    digits = 6;
                }
            }
            let mut tail: Vec<u8> = Vec::new();
            let mut has_decimal_point = false;
            let mut saw_nonzero_digit = false;
            let mut i = 1;
            while i < num.len() {
                match num[i] {
                    b'.' => has_decimal_point = true,
                    b'p' | b'P' => {
                        tail.extend_from_slice(&num[i..]);
                        num.truncate(i);
                        break;
                    }
                    b'e' | b'E' if verb != b'x' && verb != b'X' => {
                        tail.extend_from_slice(&num[i..]);
                        num.truncate(i);
                        break;
                    }
                    c => {
                        if c != b'0' {
                            saw_nonzero_digit = true;
                        }
                        if saw_nonzero_digit {
                            digits -= 1;
                        }
                    }
                }
                i += 1;
            }
            if !has_decimal_point {
                if num.len() == 2 && num[1] == b'0' {
                    digits -= 1;
                }
                num.push(b'.');
            }
            while digits > 0 {
                num.push(b'0');
                digits -= 1;
            }
            num.extend_from_slice(&tail);
        }
        if self.f.plus || num[0] != b'+' {
            if self.f.zero && !self.f.minus && self.f.wid_present && self.f.wid > num.len() {
                self.buf.push(num[0] as char);
                self.write_padding((self.f.wid - num.len()) as isize);
                self.buf
                    .push_str(std::str::from_utf8(&num[1..]).unwrap_or(""));
                return;
            }
            let s = String::from_utf8(num).unwrap_or_default();
            self.pad(&s);
            return;
        }
        let s = String::from_utf8(num[1..].to_vec()).unwrap_or_default();
        self.pad(&s);
    }

    // ---- fmt/print.go --------------------------------------------------

    fn bad_verb(&mut self, verb: char, arg: BadArg<'_>) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        match arg {
            BadArg::Arg(v) => {
                self.buf.push_str(&v.type_name());
                self.buf.push('=');
                self.print_arg(v, 'v');
            }
            BadArg::Nested(v) => {
                self.buf.push_str(&v.type_name());
                self.buf.push('=');
                self.print_value(v, 'v', 0);
            }
            BadArg::Nil => self.buf.push_str("<nil>"),
        }
        self.buf.push(')');
    }

    fn fmt_bool(&mut self, v: bool, verb: char, me: BadArg<'_>) {
        match verb {
            't' | 'v' => self.fmt_boolean(v),
            _ => self.bad_verb(verb, me),
        }
    }

    fn fmt_0x64(&mut self, v: u64, leading0x: bool) {
        let sharp = self.f.sharp;
        self.f.sharp = leading0x;
        self.fmt_integer(v, 16, false, 'v', LDIGITS);
        self.f.sharp = sharp;
    }

    fn fmt_int(&mut self, v: u64, signed: bool, verb: char, me: BadArg<'_>) {
        match verb {
            'v' => {
                if self.f.sharp_v && !signed {
                    self.fmt_0x64(v, true)
                } else {
                    self.fmt_integer(v, 10, signed, verb, LDIGITS)
                }
            }
            'd' => self.fmt_integer(v, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(v, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(v, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(v, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(v, 16, signed, verb, UDIGITS),
            'c' => self.fmt_c(v),
            'q' => self.fmt_qc(v),
            'U' => self.fmt_unicode(v),
            _ => self.bad_verb(verb, me),
        }
    }

    fn fmt_float(&mut self, v: f64, verb: char, me: BadArg<'_>) {
        match verb {
            'v' => self.fmt_float_raw(v, b'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float_raw(v, verb as u8, -1),
            'f' | 'e' | 'E' => self.fmt_float_raw(v, verb as u8, 6),
            'F' => self.fmt_float_raw(v, b'f', 6),
            _ => self.bad_verb(verb, me),
        }
    }

    fn fmt_string(&mut self, v: &str, verb: char, me: BadArg<'_>) {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.fmt_q(v)
                } else {
                    self.fmt_s(v)
                }
            }
            's' => self.fmt_s(v),
            'x' => self.fmt_sbx(v.as_bytes(), LDIGITS),
            'X' => self.fmt_sbx(v.as_bytes(), UDIGITS),
            'q' => self.fmt_q(v),
            _ => self.bad_verb(verb, me),
        }
    }

    /// `fmtBytes` for a `[]byte` (top level, `type_string` = `[]byte`) or
    /// a nested `[]uint8`.
    fn fmt_bytes(&mut self, v: &[u8], verb: char, type_string: &str, whole: &Value) {
        match verb {
            'v' | 'd' => {
                if self.f.sharp_v {
                    self.buf.push_str(type_string);
                    self.buf.push('{');
                    for (i, &c) in v.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.fmt_0x64(c as u64, true);
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (i, &c) in v.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        self.fmt_integer(c as u64, 10, false, verb, LDIGITS);
                    }
                    self.buf.push(']');
                }
            }
            's' => self.fmt_bs(v),
            'x' => self.fmt_sbx(v, LDIGITS),
            'X' => self.fmt_sbx(v, UDIGITS),
            'q' => self.fmt_q_bytes(v),
            _ => self.print_value_slice_generic(whole, verb, 0),
        }
    }

    fn fmt_pointer(&mut self, verb: char, me: BadArg<'_>) {
        // Go prints the address of the map, slice or object. Addresses are
        // not observable here; chartkit prints 0x0 to stay deterministic.
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.buf.push('(');
                    if let BadArg::Arg(v) | BadArg::Nested(v) = me {
                        self.buf.push_str(&v.type_name());
                    }
                    self.buf.push_str(")(");
                    self.fmt_0x64(0, true);
                    self.buf.push(')');
                } else {
                    self.fmt_0x64(0, !self.f.sharp);
                }
            }
            'p' => self.fmt_0x64(0, !self.f.sharp),
            'b' | 'o' | 'd' | 'x' | 'X' => self.fmt_int(0, false, verb, me),
            _ => self.bad_verb(verb, me),
        }
    }

    fn print_arg(&mut self, arg: &Value, verb: char) {
        if arg.is_nil() {
            match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(verb, BadArg::Nil),
            }
            return;
        }
        match verb {
            'T' => {
                let t = arg.type_name();
                self.fmt_s(&t);
                return;
            }
            'p' => {
                match arg {
                    Value::Map(_) | Value::List(_) | Value::Bytes(_) | Value::Object(_) => {
                        self.fmt_pointer('p', BadArg::Arg(arg))
                    }
                    _ => self.bad_verb('p', BadArg::Arg(arg)),
                }
                return;
            }
            _ => {}
        }
        match arg {
            Value::Nil => {}
            Value::Bool(b) => self.fmt_bool(*b, verb, BadArg::Arg(arg)),
            Value::Int(i) | Value::Int64(i) => {
                self.fmt_int(*i as u64, true, verb, BadArg::Arg(arg))
            }
            Value::Uint8(u) => self.fmt_int(*u as u64, false, verb, BadArg::Arg(arg)),
            Value::Float(f) => self.fmt_float(*f, verb, BadArg::Arg(arg)),
            Value::String(s) => self.fmt_string(s, verb, BadArg::Arg(arg)),
            Value::Bytes(b) => self.fmt_bytes(b, verb, "[]byte", arg),
            Value::List(_) | Value::Map(_) => self.print_value(arg, verb, 0),
            Value::Object(_) => self.print_object(arg, verb, BadArg::Arg(arg)),
        }
    }

    fn print_object(&mut self, v: &Value, verb: char, me: BadArg<'_>) {
        let Value::Object(o) = v else { return };
        match verb {
            'v' | 's' => {
                let mut s = String::new();
                let _ = o.fmt_go(&mut s);
                self.pad(&s);
            }
            _ => self.bad_verb(verb, me),
        }
    }

    /// Go's `printValue` for a value reached inside a collection (or the
    /// top-level list/map). `depth > 0` values are `interface{}` elements:
    /// nil prints `<nil>` whatever the verb.
    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        match v {
            Value::Nil => {
                if depth == 0 {
                    self.buf.push_str("<invalid reflect.Value>");
                } else if self.f.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.buf.push_str("<nil>");
                }
            }
            Value::Bool(b) => self.fmt_bool(*b, verb, BadArg::Nested(v)),
            Value::Int(i) | Value::Int64(i) => {
                self.fmt_int(*i as u64, true, verb, BadArg::Nested(v))
            }
            Value::Uint8(u) => self.fmt_int(*u as u64, false, verb, BadArg::Nested(v)),
            Value::Float(f) => self.fmt_float(*f, verb, BadArg::Nested(v)),
            Value::String(s) => self.fmt_string(s, verb, BadArg::Nested(v)),
            Value::Map(m) => {
                if self.f.sharp_v {
                    self.buf.push_str("map[string]interface {}{");
                } else {
                    self.buf.push_str("map[");
                }
                let entries = m.entries();
                for (i, (k, val)) in entries.iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.buf.push_str(", ");
                        } else {
                            self.buf.push(' ');
                        }
                    }
                    let key = Value::String(k.as_str().into());
                    self.print_value(&key, verb, depth + 1);
                    self.buf.push(':');
                    self.print_value(val, verb, depth + 1);
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
            Value::List(l) => {
                if self.f.sharp_v {
                    self.buf.push_str(match l.elem {
                        ElemType::Interface => "[]interface {}",
                        ElemType::String => "[]string",
                    });
                    self.buf.push('{');
                    for (i, e) in l.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.print_value(e, verb, depth + 1);
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (i, e) in l.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        self.print_value(e, verb, depth + 1);
                    }
                    self.buf.push(']');
                }
            }
            Value::Bytes(b) => match verb {
                's' | 'q' | 'x' | 'X' => self.fmt_bytes(b, verb, "[]uint8", v),
                _ => self.print_value_slice_generic(v, verb, depth),
            },
            Value::Object(_) => self.print_object(v, verb, BadArg::Nested(v)),
        }
    }

    /// `printValue`'s slice branch for a `[]uint8` printed element-wise.
    fn print_value_slice_generic(&mut self, v: &Value, verb: char, depth: usize) {
        let Value::Bytes(b) = v else { return };
        if self.f.sharp_v {
            self.buf.push_str("[]uint8{");
            for (i, &c) in b.iter().enumerate() {
                if i > 0 {
                    self.buf.push_str(", ");
                }
                self.fmt_int(c as u64, false, verb, BadArg::Nested(&Value::Uint8(c)));
            }
            self.buf.push('}');
        } else {
            self.buf.push('[');
            for (i, &c) in b.iter().enumerate() {
                if i > 0 {
                    self.buf.push(' ');
                }
                let e = Value::Uint8(c);
                self.print_value(&e, verb, depth + 1);
            }
            self.buf.push(']');
        }
    }

    fn do_print(&mut self, args: &[Value]) {
        let mut prev_string = false;
        for (i, a) in args.iter().enumerate() {
            let is_string = matches!(a, Value::String(_));
            if i > 0 && !is_string && !prev_string {
                self.buf.push(' ');
            }
            self.print_arg(a, 'v');
            prev_string = is_string;
        }
    }

    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &[u8],
        i: usize,
        num_args: usize,
    ) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && index >= 0 && (index as usize) < num_args {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    fn do_printf(&mut self, format: &str, a: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut after_index;
        self.reordered = false;
        let mut i = 0usize;
        'format_loop: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.push_str(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1;
            self.f = Flags::default();
            // simpleFormat
            while i < end {
                let c = fb[i];
                match c {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    _ => {
                        if c.is_ascii_lowercase() && arg_num < a.len() {
                            if c == b'v' {
                                self.f.sharp_v = self.f.sharp;
                                self.f.sharp = false;
                                self.f.plus_v = self.f.plus;
                                self.f.plus = false;
                            }
                            self.print_verb(&a[arg_num], c as char);
                            arg_num += 1;
                            i += 1;
                            continue 'format_loop;
                        }
                        break;
                    }
                }
                i += 1;
            }
            let r = self.arg_number(arg_num, fb, i, a.len());
            arg_num = r.0;
            i = r.1;
            after_index = r.2;
            if i < end && fb[i] == b'*' {
                i += 1;
                let (num, is_int, new_arg) = int_from_arg(a, arg_num);
                self.f.wid_present = is_int;
                arg_num = new_arg;
                if !self.f.wid_present {
                    self.buf.push_str("%!(BADWIDTH)");
                }
                if num < 0 {
                    self.f.wid = num.unsigned_abs() as usize;
                    self.f.minus = true;
                    self.f.zero = false;
                } else {
                    self.f.wid = num as usize;
                }
                after_index = false;
            } else {
                let (num, isnum, newi) = parsenum(fb, i, end);
                self.f.wid = num;
                self.f.wid_present = isnum;
                i = newi;
                if after_index && self.f.wid_present {
                    self.good_arg_num = false;
                }
            }
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false;
                }
                let r = self.arg_number(arg_num, fb, i, a.len());
                arg_num = r.0;
                i = r.1;
                after_index = r.2;
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (num, is_int, new_arg) = int_from_arg(a, arg_num);
                    arg_num = new_arg;
                    self.f.prec_present = is_int;
                    if num < 0 {
                        self.f.prec = 0;
                        self.f.prec_present = false;
                    } else {
                        self.f.prec = num as usize;
                    }
                    if !self.f.prec_present {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (num, isnum, newi) = parsenum(fb, i, end);
                    self.f.prec = num;
                    self.f.prec_present = isnum;
                    i = newi;
                    if !self.f.prec_present {
                        self.f.prec = 0;
                        self.f.prec_present = true;
                    }
                }
            }
            if !after_index {
                let r = self.arg_number(arg_num, fb, i, a.len());
                arg_num = r.0;
                i = r.1;
            }
            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format[i..].chars().next().unwrap_or('\u{FFFD}');
            i += verb.len_utf8();
            if verb == '%' {
                self.buf.push('%');
            } else if !self.good_arg_num {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(BADINDEX)");
            } else if arg_num >= a.len() {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(MISSING)");
            } else {
                if verb == 'v' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.print_verb(&a[arg_num], verb);
                arg_num += 1;
            }
        }
        if !self.reordered && arg_num < a.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (i, arg) in a[arg_num..].iter().enumerate() {
                if i > 0 {
                    self.buf.push_str(", ");
                }
                if arg.is_nil() {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&arg.type_name());
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    /// `printArg` for a verb from a format string (`w` is `%!w` here: Sprintf
    /// has no error wrapping).
    fn print_verb(&mut self, arg: &Value, verb: char) {
        if verb == 'w' {
            // Go: handleMethods → badVerb when not wrapping errors.
            if arg.is_nil() {
                self.bad_verb('w', BadArg::Nil);
            } else {
                self.bad_verb('w', BadArg::Arg(arg));
            }
            return;
        }
        self.print_arg(arg, verb);
    }
}

fn utf8_width_at(b: &[u8], i: usize) -> usize {
    let c = b[i];
    if c < 0x80 {
        return 1;
    }
    let end = (i + 4).min(b.len());
    match std::str::from_utf8(&b[i..end]) {
        Ok(s) => s.chars().next().map_or(1, char::len_utf8),
        Err(e) if e.valid_up_to() > 0 => std::str::from_utf8(&b[i..i + e.valid_up_to()])
            .ok()
            .and_then(|s| s.chars().next())
            .map_or(1, char::len_utf8),
        Err(_) => 1,
    }
}

fn bytes_rune_count(b: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        i += utf8_width_at(b, i);
        n += 1;
    }
    n
}

fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

fn parsenum(s: &[u8], start: usize, end: usize) -> (usize, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num: i64 = 0;
    let mut isnum = false;
    let mut newi = start;
    while newi < end && s[newi].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + (s[newi] - b'0') as i64;
        isnum = true;
        newi += 1;
    }
    (num as usize, isnum, newi)
}

fn parse_arg_number(format: &[u8]) -> (i64, usize, bool) {
    if format.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (width, ok, newi) = parsenum(format, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width as i64 - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

fn int_from_arg(a: &[Value], arg_num: usize) -> (i64, bool, usize) {
    let mut new_arg = arg_num;
    let mut num = 0i64;
    let mut is_int = false;
    if arg_num < a.len() {
        match &a[arg_num] {
            Value::Int(i) | Value::Int64(i) => {
                num = *i;
                is_int = true;
            }
            Value::Uint8(u) => {
                num = *u as i64;
                is_int = true;
            }
            _ => {}
        }
        new_arg = arg_num + 1;
        if too_large(num) {
            num = 0;
            is_int = false;
        }
    }
    (num, is_int, new_arg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{List, Map};

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    #[test]
    fn sprint_spacing() {
        assert_eq!(sprint(&[Value::Int(1), Value::Int(2)]), "1 2");
        assert_eq!(sprint(&[s("a"), Value::Int(1), s("b")]), "a1b");
        assert_eq!(sprint(&[Value::Nil, Value::Int(1)]), "<nil> 1");
        assert_eq!(sprintln(&[s("a"), s("b")]), "a b\n");
    }

    #[test]
    fn sprintf_verbs() {
        assert_eq!(
            sprintf(
                "%d|%5.2f|%-4s|%q",
                &[Value::Int(7), Value::Float(3.25159), s("ab"), s("x\"")]
            ),
            "7| 3.25|ab  |\"x\\\"\""
        );
        assert_eq!(sprintf("%d", &[Value::Float(1.0)]), "%!d(float64=1)");
        assert_eq!(sprintf("%s", &[]), "%!s(MISSING)");
        assert_eq!(
            sprintf("x", &[Value::Int(1), Value::Nil]),
            "x%!(EXTRA int=1, <nil>)"
        );
        assert_eq!(
            sprintf("%[2]d %[1]d", &[Value::Int(1), Value::Int(2)]),
            "2 1"
        );
        assert_eq!(
            sprintf(
                "%x %X %o %b %c %U",
                &[
                    Value::Int(255),
                    Value::Int(255),
                    Value::Int(8),
                    Value::Int(5),
                    Value::Int(65),
                    Value::Int(65)
                ]
            ),
            "ff FF 10 101 A U+0041"
        );
        assert_eq!(
            sprintf(
                "%#v",
                &[Value::list(vec![Value::Int(1), s("a"), Value::Nil])]
            ),
            "[]interface {}{1, \"a\", interface {}(nil)}"
        );
        assert_eq!(sprintf("%v", &[Value::Float(1e6)]), "1e+06");
        assert_eq!(
            sprintf(
                "%06.2f|%+d|% d",
                &[Value::Float(-1.5), Value::Int(3), Value::Int(3)]
            ),
            "-01.50|+3| 3"
        );
    }

    #[test]
    fn collections_print_like_go() {
        let m = Map::new();
        m.insert("b", Value::list(vec![s("x"), s("y")]));
        m.insert("a", Value::Int(1));
        m.insert("c", Value::Nil);
        assert_eq!(format_value(&Value::Map(m)), "map[a:1 b:[x y] c:<nil>]");
        let l = Value::List(List::strings(["a", "b"]));
        assert_eq!(sprintf("%q", &[l]), "[\"a\" \"b\"]");
        assert_eq!(
            sprintf("%d", &[Value::list(vec![s("a")])]),
            "[%!d(string=a)]"
        );
    }
}

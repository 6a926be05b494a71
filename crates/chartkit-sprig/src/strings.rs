//! String functions (Sprig's strings.go and the string entries of its
//! function map).

use chartkit_gotemplate::{Func, FuncError, Map, Value};

use chartkit_gotemplate::fmt::format_value as sprint_v;
use chartkit_gotemplate::strconv;

use crate::gofmt::strval;
use crate::util::*;
use crate::xstrings;

/// Go strings may hold any bytes; ours must be UTF-8. Byte-sliced results
/// that cut a character are repaired with U+FFFD.
fn lossy(b: &[u8]) -> Value {
    string(String::from_utf8_lossy(b).into_owned())
}

/// Go's runtime panic text for a bad slice expression `s[lo:hi]`.
pub(crate) fn slice_panic(lo: Option<i64>, hi: Option<i64>, len: usize, cap_word: &str) -> String {
    match (lo, hi) {
        (None, Some(h)) if h >= 0 => format!("runtime error: slice bounds out of range [:{h}] with {cap_word} {len}"),
        (None, Some(h)) => format!("runtime error: slice bounds out of range [:{h}]"),
        (Some(l), None) if l < 0 => format!("runtime error: slice bounds out of range [{l}:]"),
        (Some(l), None) => format!("runtime error: slice bounds out of range [{l}:{len}]"),
        (Some(_), Some(h)) if h < 0 || h as usize > len => {
            slice_panic(None, Some(h), len, cap_word)
        }
        (Some(l), Some(h)) => format!("runtime error: slice bounds out of range [{l}:{h}]"),
        (None, None) => "runtime error: slice bounds out of range".into(),
    }
}

pub(crate) fn hello() -> Func {
    Func::pure(fixed(&[]), |_| Ok(string("Hello!")))
}

pub(crate) fn abbrev() -> Func {
    Func::pure(fixed(&[Int, Str]), |a| {
        let (w, s) = (arg_int(a, 0), arg_str(a, 1));
        if w < 4 {
            return Ok(string(s));
        }
        Ok(lossy(&xstrings::abbreviate_full(s.as_bytes(), 0, w).unwrap_or_default()))
    })
}

pub(crate) fn abbrevboth() -> Func {
    Func::pure(fixed(&[Int, Int, Str]), |a| {
        let (l, r, s) = (arg_int(a, 0), arg_int(a, 1), arg_str(a, 2));
        if r < 4 || (l > 0 && r < 7) {
            return Ok(string(s));
        }
        Ok(lossy(&xstrings::abbreviate_full(s.as_bytes(), l, r).unwrap_or_default()))
    })
}

pub(crate) fn trunc() -> Func {
    Func::pure(fixed(&[Int, Str]), |a| {
        let (c, s) = (arg_int(a, 0), arg_str(a, 1));
        let b = s.as_bytes();
        let len = b.len() as i64;
        if c < 0 && len + c > 0 {
            return Ok(lossy(&b[(len + c) as usize..]));
        }
        if c >= 0 && len > c {
            return Ok(lossy(&b[..c as usize]));
        }
        Ok(string(s))
    })
}

fn str_map(f: fn(&str) -> String) -> Func {
    Func::pure(fixed(&[Str]), move |a| Ok(string(f(arg_str(a, 0)))))
}

pub(crate) fn trim() -> Func {
    str_map(|s| s.trim_matches(crate::util::uni::is_space).to_string())
}

pub(crate) fn upper() -> Func {
    str_map(|s| s.chars().map(uni::to_upper).collect())
}

pub(crate) fn lower() -> Func {
    str_map(|s| s.chars().map(uni::to_lower).collect())
}

/// Go's deprecated `strings.Title`.
fn go_title(s: &str) -> String {
    fn is_separator(r: char) -> bool {
        if r.is_ascii() {
            return !(r.is_ascii_alphanumeric() || r == '_');
        }
        if strconv::is_letter(r) || strconv::is_digit(r) {
            return false;
        }
        uni::is_space(r)
    }
    let mut prev = ' ';
    s.chars()
        .map(|r| {
            let out = if is_separator(prev) { uni::to_title(r) } else { r };
            prev = r;
            out
        })
        .collect()
}

pub(crate) fn title() -> Func {
    str_map(go_title)
}

pub(crate) fn untitle() -> Func {
    str_map(xstrings::uncapitalize)
}

pub(crate) fn substr() -> Func {
    Func::pure(fixed(&[Int, Int, Str]), |a| {
        let (start, end, s) = (arg_int(a, 0), arg_int(a, 1), arg_str(a, 2));
        let b = s.as_bytes();
        let len = b.len();
        if start < 0 {
            if end < 0 || end as usize > len {
                return Err(call_err(slice_panic(None, Some(end), len, "length")));
            }
            return Ok(lossy(&b[..end as usize]));
        }
        if end < 0 || end as usize > len {
            if start as usize > len {
                return Err(call_err(slice_panic(Some(start), None, len, "length")));
            }
            return Ok(lossy(&b[start as usize..]));
        }
        if start > end {
            return Err(call_err(slice_panic(Some(start), Some(end), len, "length")));
        }
        Ok(lossy(&b[start as usize..end as usize]))
    })
}

/// Output size above which `repeat` refuses (Go would try and run out of memory).
const MAX_REPEAT_BYTES: u128 = 1 << 30;

pub(crate) fn repeat() -> Func {
    Func::pure(fixed(&[Int, Str]), |a| {
        let (n, s) = (arg_int(a, 0), arg_str(a, 1));
        if n < 0 {
            return Err(call_err("strings: negative Repeat count"));
        }
        if (s.len() as u128) * (n as u128) > MAX_REPEAT_BYTES {
            return Err(call_err("strings: Repeat output length overflow"));
        }
        Ok(string(s.repeat(n as usize)))
    })
}

pub(crate) fn trim_all() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let cut: Vec<char> = arg_str(a, 0).chars().collect();
        Ok(string(arg_str(a, 1).trim_matches(|c| cut.contains(&c))))
    })
}

pub(crate) fn trim_suffix() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let (suf, s) = (arg_str(a, 0), arg_str(a, 1));
        Ok(string(s.strip_suffix(suf).unwrap_or(s)))
    })
}

pub(crate) fn trim_prefix() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let (pre, s) = (arg_str(a, 0), arg_str(a, 1));
        Ok(string(s.strip_prefix(pre).unwrap_or(s)))
    })
}

pub(crate) fn nospace() -> Func {
    str_map(xstrings::delete_white_space)
}

pub(crate) fn initials() -> Func {
    str_map(xstrings::initials)
}

pub(crate) fn swapcase() -> Func {
    str_map(xstrings::swap_case)
}

pub(crate) fn snakecase() -> Func {
    str_map(|s| xstrings::camel_to_lower(s, '_'))
}

pub(crate) fn kebabcase() -> Func {
    str_map(|s| xstrings::camel_to_lower(s, '-'))
}

pub(crate) fn camelcase() -> Func {
    str_map(xstrings::to_pascal)
}

pub(crate) fn wrap() -> Func {
    Func::pure(fixed(&[Int, Str]), |a| {
        Ok(lossy(&xstrings::wrap_custom(arg_str(a, 1), arg_int(a, 0), "", false)))
    })
}

pub(crate) fn wrap_with() -> Func {
    Func::pure(fixed(&[Int, Str, Str]), |a| {
        Ok(lossy(&xstrings::wrap_custom(arg_str(a, 2), arg_int(a, 0), arg_str(a, 1), true)))
    })
}

pub(crate) fn contains() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| Ok(Value::Bool(arg_str(a, 1).contains(arg_str(a, 0)))))
}

pub(crate) fn has_prefix() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| Ok(Value::Bool(arg_str(a, 1).starts_with(arg_str(a, 0)))))
}

pub(crate) fn has_suffix() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| Ok(Value::Bool(arg_str(a, 1).ends_with(arg_str(a, 0)))))
}

pub(crate) fn quote() -> Func {
    Func::pure(variadic(&[], Any), |a| {
        let out: Vec<String> = a.iter().filter(|v| !v.is_nil()).map(|v| strconv::quote(&strval(v))).collect();
        Ok(string(out.join(" ")))
    })
}

pub(crate) fn squote() -> Func {
    Func::pure(variadic(&[], Any), |a| {
        let out: Vec<String> = a.iter().filter(|v| !v.is_nil()).map(|v| format!("'{}'", sprint_v(v))).collect();
        Ok(string(out.join(" ")))
    })
}

pub(crate) fn cat() -> Func {
    Func::pure(variadic(&[], Any), |a| {
        let out: Vec<String> = a.iter().filter(|v| !v.is_nil()).map(sprint_v).collect();
        Ok(string(out.join(" ")))
    })
}

fn indent_str(n: i64, s: &str) -> Result<String, FuncError> {
    if n < 0 {
        return Err(call_err("strings: negative Repeat count"));
    }
    if (n as u128) * (s.lines().count() as u128 + 1) > MAX_REPEAT_BYTES {
        return Err(call_err("strings: Repeat output length overflow"));
    }
    let pad = " ".repeat(n as usize);
    let mut out = pad.clone();
    out.push_str(&s.replace('\n', &format!("\n{pad}")));
    Ok(out)
}

pub(crate) fn indent() -> Func {
    Func::pure(fixed(&[Int, Str]), |a| Ok(string(indent_str(arg_int(a, 0), arg_str(a, 1))?)))
}

pub(crate) fn nindent() -> Func {
    Func::pure(fixed(&[Int, Str]), |a| Ok(string(format!("\n{}", indent_str(arg_int(a, 0), arg_str(a, 1))?))))
}

pub(crate) fn replace() -> Func {
    Func::pure(fixed(&[Str, Str, Str]), |a| Ok(string(arg_str(a, 2).replace(arg_str(a, 0), arg_str(a, 1)))))
}

pub(crate) fn plural() -> Func {
    Func::pure(fixed(&[Str, Str, Int]), |a| {
        Ok(string(if arg_int(a, 2) == 1 { arg_str(a, 0) } else { arg_str(a, 1) }))
    })
}

pub(crate) fn to_string() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(string(strval(arg(a, 0)))))
}

/// Sprig's `strslice`: a `[]string` from any slice (nils dropped) or value.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l) => l.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        Value::Bytes(b) => b.iter().map(|x| x.to_string()).collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

/// Go's `strings.SplitN` (n < 0: all parts; n == 0: none).
pub(crate) fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<char> = s.chars().collect();
        let count = if n < 0 || n as usize > chars.len() { chars.len() } else { n as usize };
        let mut out: Vec<String> = chars.iter().take(count.saturating_sub(1)).map(|c| c.to_string()).collect();
        if count > 0 {
            out.push(chars[count - 1..].iter().collect());
        }
        return out;
    }
    if n < 0 {
        s.split(sep).map(str::to_string).collect()
    } else {
        s.splitn(n as usize, sep).map(str::to_string).collect()
    }
}

fn parts_map(parts: Vec<String>) -> Value {
    let m = Map::new();
    for (i, p) in parts.into_iter().enumerate() {
        m.insert(format!("_{i}"), string(p));
    }
    Value::Map(m)
}

pub(crate) fn split() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| Ok(parts_map(go_split(arg_str(a, 1), arg_str(a, 0), -1))))
}

pub(crate) fn splitn() -> Func {
    Func::pure(fixed(&[Str, Int, Str]), |a| Ok(parts_map(go_split(arg_str(a, 2), arg_str(a, 0), arg_int(a, 1)))))
}

pub(crate) fn split_list() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| Ok(string_list(go_split(arg_str(a, 1), arg_str(a, 0), -1))))
}

pub(crate) fn to_strings() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(string_list(strslice(arg(a, 0)))))
}

pub(crate) fn join() -> Func {
    Func::pure(fixed(&[Str, Any]), |a| Ok(string(strslice(arg(a, 1)).join(arg_str(a, 0)))))
}

pub(crate) fn sort_alpha() -> Func {
    Func::pure(fixed(&[Any]), |a| {
        let v = arg(a, 0);
        match v {
            Value::List(_) | Value::Bytes(_) => {
                let mut s = strslice(v);
                s.sort();
                Ok(string_list(s))
            }
            other => Ok(string_list([strval(other)])),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_like_go() {
        assert_eq!(go_title("hello wORLD foo-bar_baz é"), "Hello WORLD Foo-Bar_baz É");
    }

    #[test]
    fn split_like_go() {
        assert_eq!(go_split("abc", "", -1), ["a", "b", "c"]);
        assert_eq!(go_split("abc", "", 2), ["a", "bc"]);
        assert_eq!(go_split("", ",", -1), [""]);
        assert_eq!(go_split("a,b,c", ",", 2), ["a", "b,c"]);
        assert!(go_split("a", ",", 0).is_empty());
    }
}

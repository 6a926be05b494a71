//! Regular expressions with Go's `regexp` (RE2) syntax and semantics, on
//! top of the `regex` crate: the pattern is checked for the syntax errors Go
//! reports (with Go's messages) and translated where the two dialects
//! differ (`\d`, `\s`, `\w`, `\b` are ASCII-only in Go; `\Q...\E`; `&&` and
//! `~~` are literal inside Go classes). Find-all, split and replace walk the
//! input the way Go's `allMatches` and `replaceAll` do, and `$1`/`${name}`
//! templates expand as in Go's `Regexp.Expand`.

use chartkit_gotemplate::{Func, FuncError, Value};
use regex::Regex;

use chartkit_gotemplate::strconv;

use crate::util::*;

/// A Go regexp syntax error: `error parsing regexp: CODE: `EXPR``.
fn syntax_err(code: &str, expr: &str) -> String {
    format!("error parsing regexp: {code}: `{expr}`")
}

/// Checks `pat` for the errors Go's parser reports and translates it to the
/// `regex` crate's dialect.
fn translate(pat: &str) -> Result<String, String> {
    let chars: Vec<char> = pat.chars().collect();
    let mut out = String::with_capacity(pat.len() + 8);
    let mut i = 0;
    let mut depth: Vec<usize> = Vec::new();
    // Whether the previous item can take a repetition operator, and whether
    // it already is a repetition.
    let mut can_repeat = false;
    let mut last_repeat_start: Option<usize> = None;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let (piece, next) = escape(&chars, i, false)?;
                out.push_str(&piece);
                i = next;
                can_repeat = true;
                last_repeat_start = None;
            }
            '[' => {
                let (piece, next) = class(&chars, i)?;
                out.push_str(&piece);
                i = next;
                can_repeat = true;
                last_repeat_start = None;
            }
            '(' => {
                depth.push(i);
                out.push(c);
                i += 1;
                if chars.get(i) == Some(&'?') {
                    check_group_head(&chars, i - 1)?;
                    // Flags or a named group: copy through the ':' or ')' or '>'.
                    let start = i;
                    while i < chars.len() && !matches!(chars[i], ':' | ')' | '>') {
                        i += 1;
                    }
                    if i < chars.len() {
                        i += 1;
                    }
                    let head: String = chars[start..i].iter().collect();
                    if head.ends_with(')') {
                        depth.pop();
                    }
                    out.push_str(&head);
                    can_repeat = false;
                } else {
                    can_repeat = false;
                }
                last_repeat_start = None;
            }
            ')' => {
                if depth.pop().is_none() {
                    return Err(syntax_err("unexpected )", pat));
                }
                out.push(c);
                i += 1;
                can_repeat = true;
                last_repeat_start = None;
            }
            '|' => {
                out.push(c);
                i += 1;
                can_repeat = false;
                last_repeat_start = None;
            }
            '*' | '+' | '?' | '{' => {
                let start = i;
                let mut j = i + 1;
                if c == '{' {
                    // A repeat count, or a literal brace when malformed.
                    let Some(close) = chars[i..].iter().position(|&x| x == '}') else {
                        out.push_str("\\{");
                        i += 1;
                        can_repeat = true;
                        continue;
                    };
                    let body: String = chars[i + 1..i + close].iter().collect();
                    let valid = {
                        let (a, b) = body.split_once(',').unwrap_or((&body, &body));
                        !a.is_empty() && a.bytes().all(|x| x.is_ascii_digit()) && b.bytes().all(|x| x.is_ascii_digit())
                    };
                    if !valid {
                        out.push_str("\\{");
                        i += 1;
                        can_repeat = true;
                        continue;
                    }
                    let (a, b) = body.split_once(',').map_or((body.as_str(), Some(body.as_str())), |(a, b)| (a, Some(b)));
                    let lo: u64 = a.parse().unwrap_or(u64::MAX);
                    let hi: Option<u64> = b.filter(|b| !b.is_empty()).map(|b| b.parse().unwrap_or(u64::MAX));
                    let text: String = chars[i..=i + close].iter().collect();
                    if lo > 1000 || hi.is_some_and(|h| h > 1000 || h < lo) {
                        return Err(syntax_err("invalid repeat count", &text));
                    }
                    j = i + close + 1;
                }
                if chars.get(j) == Some(&'?') {
                    j += 1;
                }
                let op: String = chars[start..j].iter().collect();
                if let Some(prev) = last_repeat_start {
                    let both: String = chars[prev..j].iter().collect();
                    return Err(syntax_err("invalid nested repetition operator", &both));
                }
                if !can_repeat {
                    return Err(syntax_err("missing argument to repetition operator", &op));
                }
                out.push_str(&op);
                last_repeat_start = Some(start);
                i = j;
            }
            _ => {
                out.push(c);
                i += 1;
                can_repeat = true;
                last_repeat_start = None;
            }
        }
    }
    if !depth.is_empty() {
        return Err(syntax_err("missing closing )", pat));
    }
    Ok(out)
}

/// Validates `(?flags)`, `(?flags:`, `(?P<name>` and `(?<name>` at
/// `chars[open]` the way Go's parser does.
fn check_group_head(chars: &[char], open: usize) -> Result<(), String> {
    let text = |end: usize| -> String { chars[open..end.min(chars.len())].iter().collect() };
    let mut j = open + 2;
    let named = match (chars.get(j), chars.get(j + 1)) {
        (Some('P'), Some('<')) => Some(j + 2),
        (Some('<'), _) => Some(j + 1),
        _ => None,
    };
    if let Some(start) = named {
        let Some(close) = chars[start..].iter().position(|&c| c == '>') else {
            return Err(syntax_err("invalid named capture", &text(chars.len())));
        };
        let name = &chars[start..start + close];
        if name.is_empty() || !name.iter().all(|c| c.is_alphanumeric() || *c == '_') {
            return Err(syntax_err("invalid named capture", &text(start + close + 1)));
        }
        return Ok(());
    }
    let mut neg = false;
    let mut sawflag = false;
    while let Some(&c) = chars.get(j) {
        match c {
            'i' | 'm' | 's' | 'U' => sawflag = true,
            '-' if !neg => {
                neg = true;
                sawflag = false;
            }
            ':' | ')' if !neg || sawflag => return Ok(()),
            _ => return Err(syntax_err("invalid or unsupported Perl syntax", &text(j + 1))),
        }
        j += 1;
    }
    Err(syntax_err("missing closing )", &chars.iter().collect::<String>()))
}

/// Translates the escape at `chars[i]` (a backslash); `in_class` selects
/// the form usable inside a bracket expression.
fn escape(chars: &[char], i: usize, in_class: bool) -> Result<(String, usize), String> {
    let Some(&n) = chars.get(i + 1) else {
        return Err(syntax_err("trailing backslash at end of expression", ""));
    };
    let two = || -> String { chars[i..i + 2].iter().collect() };
    let s = match n {
        'd' => if in_class { "0-9" } else { "[0-9]" }.to_string(),
        'D' => "[^0-9]".to_string(),
        's' => if in_class { "\\t\\n\\f\\r " } else { "[\\t\\n\\f\\r ]" }.to_string(),
        'S' => "[^\\t\\n\\f\\r ]".to_string(),
        'w' => if in_class { "0-9A-Za-z_" } else { "[0-9A-Za-z_]" }.to_string(),
        'W' => "[^0-9A-Za-z_]".to_string(),
        'b' if !in_class => "(?-u:\\b)".to_string(),
        'B' if !in_class => "(?-u:\\B)".to_string(),
        'A' | 'z' if !in_class => two(),
        'a' | 'f' | 'n' | 'r' | 't' | 'v' => two(),
        'x' => {
            // \xHH or \x{H...}
            let mut j = i + 2;
            if chars.get(j) == Some(&'{') {
                let close = chars[j..].iter().position(|&x| x == '}').ok_or_else(|| {
                    syntax_err("invalid escape sequence", &chars[i..].iter().collect::<String>())
                })?;
                j += close + 1;
            } else {
                j += 2;
            }
            let text: String = chars[i..j.min(chars.len())].iter().collect();
            return Ok((text, j.min(chars.len())));
        }
        'p' | 'P' => {
            let mut j = i + 2;
            if chars.get(j) == Some(&'{') {
                let close = chars[j..].iter().position(|&x| x == '}').ok_or_else(|| {
                    syntax_err("invalid character class range", &chars[i..].iter().collect::<String>())
                })?;
                j += close + 1;
            } else {
                j += 1;
            }
            let text: String = chars[i..j.min(chars.len())].iter().collect();
            return Ok((text, j.min(chars.len())));
        }
        'Q' if !in_class => {
            let rest: String = chars[i + 2..].iter().collect();
            let (lit, consumed) = match rest.find("\\E") {
                Some(p) => (&rest[..p], p + 2),
                None => (rest.as_str(), rest.len()),
            };
            let consumed_chars = rest[..consumed].chars().count();
            return Ok((regex::escape(lit), i + 2 + consumed_chars));
        }
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => format!("\\{c}"),
        c if ('1'..='7').contains(&c) => {
            return Err(syntax_err("invalid escape sequence", &two()));
        }
        _ => return Err(syntax_err("invalid escape sequence", &two())),
    };
    Ok((s, i + 2))
}

/// Translates the bracket expression starting at `chars[i]`.
fn class(chars: &[char], i: usize) -> Result<(String, usize), String> {
    let mut out = String::from("[");
    let mut j = i + 1;
    if chars.get(j) == Some(&'^') {
        out.push('^');
        j += 1;
    }
    // A leading ']' is literal.
    if chars.get(j) == Some(&']') {
        out.push_str("\\]");
        j += 1;
    }
    let mut prev: Option<char> = None;
    while j < chars.len() {
        let c = chars[j];
        match c {
            ']' => {
                out.push(']');
                return Ok((out, j + 1));
            }
            '[' if chars.get(j + 1) == Some(&':') => {
                let close = chars[j..].iter().collect::<String>().find(":]");
                match close {
                    Some(p) => {
                        let text: String = chars[j..].iter().collect::<String>()[..p + 2].to_string();
                        j += text.chars().count();
                        out.push_str(&text);
                    }
                    None => {
                        out.push_str("\\[");
                        j += 1;
                    }
                }
            }
            '\\' => {
                let (piece, next) = escape(chars, j, true)?;
                out.push_str(&piece);
                j = next;
            }
            '[' | '&' | '~' => {
                out.push('\\');
                out.push(c);
                j += 1;
            }
            '-' if prev == Some('-') => {
                out.push_str("\\-");
                j += 1;
            }
            _ => {
                if chars.get(j + 1) == Some(&'-')
                    && let Some(&hi) = chars.get(j + 2)
                    && hi != ']'
                    && hi != '\\'
                    && hi < c
                {
                    let range: String = chars[j..j + 3].iter().collect();
                    return Err(syntax_err("invalid character class range", &range));
                }
                out.push(c);
                j += 1;
            }
        }
        prev = Some(c);
    }
    Err(syntax_err("missing closing ]", &chars[i..].iter().collect::<String>()))
}

/// Compiles a Go regexp; the error is Go's `err.Error()`.
///
/// Charts call `regexMatch` and friends with the same few constant patterns
/// in every loop iteration, and compiling a pattern costs far more than
/// matching it, so results are memoized per thread (a `Regex` clone shares
/// its compiled program). The cache is bounded; once full it is cleared.
pub(crate) fn compile(pat: &str) -> Result<Regex, String> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    const CAPACITY: usize = 512;
    thread_local! {
        static CACHE: RefCell<HashMap<String, Result<Regex, String>>> =
            RefCell::new(HashMap::new());
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(pat).cloned()) {
        return hit;
    }
    let compiled = compile_uncached(pat);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CAPACITY {
            c.clear();
        }
        c.insert(pat.to_owned(), compiled.clone());
    });
    compiled
}

fn compile_uncached(pat: &str) -> Result<Regex, String> {
    let translated = translate(pat)?;
    Regex::new(&translated).map_err(|e| {
        let msg = e.to_string();
        if msg.contains("exceeds size limit") {
            syntax_err("expression too large", pat)
        } else if msg.contains("invalid character class range") || msg.contains("invalid range") {
            syntax_err("invalid character class range", pat)
        } else if msg.contains("unrecognized flag") || msg.contains("flag") {
            syntax_err("invalid or unsupported Perl syntax", pat)
        } else if msg.contains("capture group name") || msg.contains("named") {
            syntax_err("invalid named capture", pat)
        } else {
            syntax_err("invalid or unsupported Perl syntax", pat)
        }
    })
}

/// `regexp.MustCompile`'s panic.
fn must_compile(pat: &str) -> Result<Regex, FuncError> {
    compile(pat).map_err(|e| call_err(format!("regexp: Compile({}): {e}", regexp_quote(pat))))
}

/// `regexp.quote`: backquoted when `strconv.CanBackquote`, else `strconv.Quote`.
fn regexp_quote(s: &str) -> String {
    if strconv::can_backquote(s) { format!("`{s}`") } else { strconv::quote(s) }
}

/// Go's `allMatches`: successive non-overlapping matches; an empty match
/// right after the previous match is skipped. `n < 0` means all.
pub(crate) fn all_matches(re: &Regex, s: &str, n: i64) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut pos, mut prev_end): (usize, Option<usize>) = (0, None);
    while (n < 0 || (out.len() as i64) < n) && pos <= s.len() {
        let Some(m) = re.find_at(s, pos) else { break };
        let mut accept = true;
        if m.end() == pos {
            if Some(m.start()) == prev_end {
                accept = false;
            }
            pos += s[pos..].chars().next().map_or(1, char::len_utf8);
        } else {
            pos = m.end();
        }
        prev_end = Some(m.end());
        if accept {
            out.push((m.start(), m.end()));
        }
    }
    out
}

/// Go's `Regexp.Split`.
pub(crate) fn split(re: &Regex, pat: &str, s: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if !pat.is_empty() && s.is_empty() {
        return vec![String::new()];
    }
    let matches = all_matches(re, s, n);
    let mut out = Vec::new();
    let (mut beg, mut end) = (0, 0);
    for (a, b) in matches {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = a;
        if b != 0 {
            out.push(s[beg..end].to_string());
        }
        beg = b;
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    out
}

/// Go's `Regexp.expand` of a `$` template for one match.
fn expand(re: &Regex, template: &str, caps: &regex::Captures<'_>, dst: &mut String) {
    let mut t = template;
    while let Some(p) = t.find('$') {
        dst.push_str(&t[..p]);
        t = &t[p + 1..];
        if t.starts_with('$') {
            dst.push('$');
            t = &t[1..];
            continue;
        }
        let (brace, body) = match t.strip_prefix('{') {
            Some(b) => (true, b),
            None => (false, t),
        };
        let name_len: usize = body
            .char_indices()
            .find(|&(_, c)| !(c == '_' || strconv::is_letter(c) || strconv::is_digit(c)))
            .map_or(body.len(), |(i, _)| i);
        let name = &body[..name_len];
        let mut rest = &body[name_len..];
        let ok = !name.is_empty() && (!brace || rest.starts_with('}'));
        if !ok {
            dst.push('$');
            continue;
        }
        if brace {
            rest = &rest[1..];
        }
        t = rest;
        let mut num: i64 = 0;
        for b in name.bytes() {
            if !b.is_ascii_digit() || num >= 100_000_000 {
                num = -1;
                break;
            }
            num = num * 10 + i64::from(b - b'0');
        }
        if name.len() > 1 && name.starts_with('0') {
            num = -1;
        }
        let group = if num >= 0 {
            caps.get(num as usize)
        } else {
            re.capture_names().position(|n| n == Some(name)).and_then(|i| caps.get(i))
        };
        if let Some(g) = group {
            dst.push_str(g.as_str());
        }
    }
    dst.push_str(t);
}

/// Go's `ReplaceAllString` (`literal == false`) / `ReplaceAllLiteralString`.
pub(crate) fn replace_all(re: &Regex, src: &str, repl: &str, literal: bool) -> String {
    let mut dst = String::with_capacity(src.len());
    let mut last_end = 0;
    let mut search = 0;
    while search <= src.len() {
        let Some(caps) = re.captures_at(src, search) else { break };
        let Some(m) = caps.get(0) else { break };
        let (a0, a1) = (m.start(), m.end());
        dst.push_str(&src[last_end..a0]);
        if a1 > last_end || a0 == 0 {
            if literal {
                dst.push_str(repl);
            } else {
                expand(re, repl, &caps, &mut dst);
            }
        }
        last_end = a1;
        let width = src[search..].chars().next().map_or(1, char::len_utf8);
        if search + width > a1 {
            search += width;
        } else if search + 1 > a1 {
            search += 1;
        } else {
            search = a1;
        }
    }
    dst.push_str(&src[last_end.min(src.len())..]);
    dst
}

pub(crate) fn regex_match() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        Ok(Value::Bool(compile(arg_str(a, 0)).is_ok_and(|re| re.is_match(arg_str(a, 1)))))
    })
}

pub(crate) fn must_regex_match() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let re = compile(arg_str(a, 0)).map_err(call_err)?;
        Ok(Value::Bool(re.is_match(arg_str(a, 1))))
    })
}

fn find_all(re: &Regex, s: &str, n: i64) -> Value {
    string_list(all_matches(re, s, n).into_iter().map(|(x, y)| s[x..y].to_string()))
}

pub(crate) fn regex_find_all() -> Func {
    Func::pure(fixed(&[Str, Str, Int]), |a| Ok(find_all(&must_compile(arg_str(a, 0))?, arg_str(a, 1), arg_int(a, 2))))
}

pub(crate) fn must_regex_find_all() -> Func {
    Func::pure(fixed(&[Str, Str, Int]), |a| {
        Ok(find_all(&compile(arg_str(a, 0)).map_err(call_err)?, arg_str(a, 1), arg_int(a, 2)))
    })
}

pub(crate) fn regex_find() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let re = must_compile(arg_str(a, 0))?;
        Ok(string(re.find(arg_str(a, 1)).map_or("", |m| m.as_str())))
    })
}

pub(crate) fn must_regex_find() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let re = compile(arg_str(a, 0)).map_err(call_err)?;
        Ok(string(re.find(arg_str(a, 1)).map_or("", |m| m.as_str())))
    })
}

fn replace_fn(must: bool, literal: bool) -> Func {
    Func::pure(fixed(&[Str, Str, Str]), move |a| {
        let re = if must { compile(arg_str(a, 0)).map_err(call_err)? } else { must_compile(arg_str(a, 0))? };
        Ok(string(replace_all(&re, arg_str(a, 1), arg_str(a, 2), literal)))
    })
}

pub(crate) fn regex_replace_all() -> Func {
    replace_fn(false, false)
}

pub(crate) fn must_regex_replace_all() -> Func {
    replace_fn(true, false)
}

pub(crate) fn regex_replace_all_literal() -> Func {
    replace_fn(false, true)
}

pub(crate) fn must_regex_replace_all_literal() -> Func {
    replace_fn(true, true)
}

pub(crate) fn regex_split() -> Func {
    Func::pure(fixed(&[Str, Str, Int]), |a| {
        let re = must_compile(arg_str(a, 0))?;
        Ok(string_list(split(&re, arg_str(a, 0), arg_str(a, 1), arg_int(a, 2))))
    })
}

pub(crate) fn must_regex_split() -> Func {
    Func::pure(fixed(&[Str, Str, Int]), |a| {
        let re = compile(arg_str(a, 0)).map_err(call_err)?;
        Ok(string_list(split(&re, arg_str(a, 0), arg_str(a, 1), arg_int(a, 2))))
    })
}

/// Go's `regexp.QuoteMeta`.
pub(crate) fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(crate) fn regex_quote_meta() -> Func {
    Func::pure(fixed(&[Str]), |a| Ok(string(quote_meta(arg_str(a, 0)))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_errors() {
        assert_eq!(compile("(abc").err().as_deref(), Some("error parsing regexp: missing closing ): `(abc`"));
        assert_eq!(compile("abc)").err().as_deref(), Some("error parsing regexp: unexpected ): `abc)`"));
        assert_eq!(compile("*a").err().as_deref(), Some("error parsing regexp: missing argument to repetition operator: `*`"));
        assert_eq!(compile("a**").err().as_deref(), Some("error parsing regexp: invalid nested repetition operator: `**`"));
        assert_eq!(compile("[a").err().as_deref(), Some("error parsing regexp: missing closing ]: `[a`"));
    }

    #[test]
    fn ascii_classes() {
        let re = compile(r"\d+").ok();
        assert!(re.is_some_and(|r| !r.is_match("٣")));
    }
}

//! huandu/xstrings v1.5.0 case conversions (Sprig's `snakecase`,
//! `kebabcase`, `camelcase`) and Masterminds/goutils v1.1.1 word helpers
//! (`initials`, `nospace`, `swapcase`, `untitle`, `wrap`, `abbrev`).

use crate::util::uni;

const RUNE_ERROR: char = '\u{FFFD}';

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Invalid,
    Number,
    UpperCase,
    Alphabet,
    Connector,
    Punct,
    Other,
}

fn is_connector(r: char) -> bool {
    r == '-' || r == '_' || uni::is_space(r)
}

/// A letter that is not a CJK ideograph.
fn is_alphabet(r: char) -> bool {
    if !chartkit_gotemplate::strconv::is_letter(r) {
        return false;
    }
    let u = r as u32;
    if u < 0x3400 {
        return true;
    }
    !((0x4E00..=0x9FCC).contains(&u) || (0x3400..=0x4D85).contains(&u) || (0x20000..=0x2B81D).contains(&u))
}

/// The next rune that is not U+FFFD and the bytes consumed to reach past it.
fn next_valid_rune(s: &str, prev: char) -> (char, usize) {
    let mut size = 0;
    for c in s.chars() {
        size += c.len_utf8();
        if c != RUNE_ERROR {
            return (c, size);
        }
    }
    (prev, size)
}

/// Splits the next word off `s`: (type, word, remaining).
fn next_word(s: &str) -> (Word, &str, &str) {
    if s.is_empty() {
        return (Word::Invalid, "", "");
    }
    let mut offset = 0;
    let mut remaining = s;
    let (mut r, mut size) = next_valid_rune(remaining, RUNE_ERROR);
    offset += size;
    if r == RUNE_ERROR {
        return (Word::Invalid, &s[..offset], &s[offset..]);
    }
    let wt;
    // Advances while `keep` holds for the next rune.
    macro_rules! run_while {
        ($keep:expr) => {
            while !remaining.is_empty() {
                let (nr, ns) = next_valid_rune(remaining, r);
                r = nr;
                size = ns;
                let keep: &dyn Fn(char) -> bool = &$keep;
                if !keep(r) {
                    break;
                }
                offset += size;
                remaining = &remaining[size..];
            }
        };
    }
    if is_connector(r) {
        wt = Word::Connector;
        remaining = &remaining[size..];
        run_while!(is_connector);
    } else if uni::is_punct(r) {
        wt = Word::Punct;
        remaining = &remaining[size..];
        run_while!(uni::is_punct);
    } else if uni::is_upper(r) {
        wt = Word::UpperCase;
        remaining = &remaining[size..];
        if !remaining.is_empty() {
            let (nr, ns) = next_valid_rune(remaining, r);
            r = nr;
            size = ns;
            if uni::is_upper(r) {
                let mut prev_size = size;
                offset += size;
                remaining = &remaining[size..];
                while !remaining.is_empty() {
                    let (nr, ns) = next_valid_rune(remaining, r);
                    r = nr;
                    size = ns;
                    if !uni::is_upper(r) {
                        break;
                    }
                    prev_size = size;
                    offset += size;
                    remaining = &remaining[size..];
                }
                // "HTTPStatus" splits into "HTTP" and "Status".
                if !remaining.is_empty() && is_alphabet(r) {
                    offset -= prev_size;
                    remaining = &s[offset..];
                }
            } else if is_alphabet(r) {
                offset += size;
                remaining = &remaining[size..];
                run_while!(|c| is_alphabet(c) && !uni::is_upper(c));
            }
        }
    } else if is_alphabet(r) {
        wt = Word::Alphabet;
        remaining = &remaining[size..];
        run_while!(|c| is_alphabet(c) && !uni::is_upper(c));
    } else if uni::is_number(r) {
        wt = Word::Number;
        remaining = &remaining[size..];
        run_while!(uni::is_number);
    } else {
        wt = Word::Other;
        remaining = &remaining[size..];
        while !remaining.is_empty() {
            let (nr, ns) = next_valid_rune(remaining, r);
            r = nr;
            size = ns;
            if size == 0 || is_connector(r) || is_alphabet(r) || uni::is_number(r) || uni::is_punct(r) {
                break;
            }
            offset += size;
            remaining = &remaining[size..];
        }
    }
    (wt, &s[..offset], remaining)
}

fn to_lower(buf: &mut String, wt: Word, s: &str, connector: char) {
    if wt != Word::UpperCase && wt != Word::Connector {
        buf.push_str(s);
        return;
    }
    for r in s.chars() {
        if is_connector(r) {
            buf.push(connector);
        } else if uni::is_upper(r) {
            buf.push(uni::to_lower(r));
        } else {
            buf.push(r);
        }
    }
}

/// xstrings' `camelCaseToLowerCase` (snake and kebab case).
pub(crate) fn camel_to_lower(s: &str, connector: char) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut buf = String::with_capacity(s.len() + 4);
    let (mut wt, mut word, mut remaining) = next_word(s);
    while !remaining.is_empty() {
        if wt != Word::Connector {
            to_lower(&mut buf, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, remaining) = next_word(remaining);
        match prev {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    to_lower(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Word::Invalid && wt != Word::Punct && wt != Word::Connector {
                    buf.push(connector);
                }
            }
            Word::Connector => to_lower(&mut buf, prev, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                if remaining.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, remaining) = next_word(remaining);
                // A number followed by no letters belongs to the previous word.
                if wt != Word::Alphabet {
                    to_lower(&mut buf, Word::Number, last, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                buf.push(connector);
                to_lower(&mut buf, Word::Number, last, connector);
                while wt == Word::Alphabet || wt == Word::Number {
                    to_lower(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Word::Invalid && wt != Word::Connector && wt != Word::Punct {
                    buf.push(connector);
                }
            }
        }
    }
    to_lower(&mut buf, wt, word, connector);
    buf
}

/// xstrings' `ToPascalCase` (Sprig's `camelcase`).
pub(crate) fn to_pascal(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut buf = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut r0 = '\0';
    let mut first_upper = false;
    // Leading connectors appear in the output.
    for c in chars.by_ref() {
        r0 = c;
        if !is_connector(c) {
            first_upper = uni::is_upper(c);
            r0 = uni::to_upper(c);
            break;
        }
        buf.push(c);
    }
    if chars.peek().is_none() {
        // xstrings writes the last rune it decoded once more.
        buf.push(r0);
        return buf;
    }
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            buf.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = uni::is_upper(r0);
            r0 = uni::to_upper(r0);
        } else {
            if first_upper {
                if uni::is_upper(r0) {
                    r0 = uni::to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            buf.push(r1);
        }
    }
    buf.push(r0);
    buf
}

/// Bytes as Go would write them through `WriteRune(rune(b))`.
fn byte_rune(b: u8) -> char {
    char::from(b)
}

/// goutils `Initials` (iterates over bytes, as goutils does).
pub(crate) fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut last_was_gap = true;
    for &b in s.as_bytes() {
        let ch = byte_rune(b);
        if uni::is_space(ch) {
            last_was_gap = true;
        } else if last_was_gap {
            out.push(ch);
            last_was_gap = false;
        }
    }
    out
}

/// goutils `DeleteWhiteSpace` (bytewise, as goutils does).
pub(crate) fn delete_white_space(s: &str) -> String {
    if !s.bytes().any(|b| uni::is_space(byte_rune(b))) {
        return s.to_string();
    }
    s.bytes().map(byte_rune).filter(|c| !uni::is_space(*c)).collect()
}

/// goutils `SwapCase`.
pub(crate) fn swap_case(s: &str) -> String {
    let mut whitespace = true;
    s.chars()
        .map(|ch| {
            if uni::is_upper(ch) || uni::is_title(ch) {
                whitespace = false;
                uni::to_lower(ch)
            } else if uni::is_lower(ch) {
                if whitespace {
                    whitespace = false;
                    uni::to_title(ch)
                } else {
                    uni::to_upper(ch)
                }
            } else {
                whitespace = uni::is_space(ch);
                ch
            }
        })
        .collect()
}

/// goutils `Uncapitalize` (whitespace-delimited words).
pub(crate) fn uncapitalize(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|ch| {
            if uni::is_space(ch) {
                next = true;
                ch
            } else if next {
                next = false;
                uni::to_lower(ch)
            } else {
                ch
            }
        })
        .collect()
}

/// goutils `WrapCustom` over bytes.
pub(crate) fn wrap_custom(s: &str, wrap_length: i64, newline: &str, wrap_long: bool) -> Vec<u8> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Vec::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline };
    let wl = wrap_length.max(1) as usize;
    let len = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(len + 8);
    while len - offset > wl {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = wl + offset + 1;
        let space = b[offset..end].iter().rposition(|&c| c == b' ');
        if let Some(rel) = space {
            let at = offset + rel;
            out.extend_from_slice(&b[offset..at]);
            out.extend_from_slice(newline.as_bytes());
            offset = at + 1;
        } else if wrap_long {
            let end = wl + offset;
            out.extend_from_slice(&b[offset..end]);
            out.extend_from_slice(newline.as_bytes());
            offset += wl;
        } else {
            let end = wl + offset;
            match b[end..].iter().position(|&c| c == b' ') {
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = len;
                }
                Some(rel) => {
                    let at = rel + end;
                    out.extend_from_slice(&b[offset..at]);
                    out.extend_from_slice(newline.as_bytes());
                    offset = at + 1;
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    out
}

/// goutils `AbbreviateFull` over bytes; `None` stands for its error result.
pub(crate) fn abbreviate_full(s: &[u8], offset: i64, max_width: i64) -> Option<Vec<u8>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    if max_width < 4 {
        return None;
    }
    let len = s.len() as i64;
    if len <= max_width {
        return Some(s.to_vec());
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    let marker = b"...";
    if offset <= 4 {
        let mut v = s[..(max_width - 3) as usize].to_vec();
        v.extend_from_slice(marker);
        return Some(v);
    }
    if max_width < 7 {
        return None;
    }
    if offset + max_width - 3 < len {
        let inner = abbreviate_full(&s[offset as usize..], 0, max_width - 3).unwrap_or_default();
        let mut v = marker.to_vec();
        v.extend_from_slice(&inner);
        return Some(v);
    }
    let mut v = marker.to_vec();
    v.extend_from_slice(&s[(len - (max_width - 3)) as usize..]);
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_samples_from_xstrings_docs() {
        for (i, o) in [
            ("FirstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("NoHTTPS", "no_https"),
            ("GO_PATH", "go_path"),
            ("GO PATH", "go_path"),
            ("GO-PATH", "go_path"),
            ("http2xx", "http_2xx"),
            ("HTTP20xOK", "http_20x_ok"),
            ("Duration2m3s", "duration_2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd"),
        ] {
            assert_eq!(camel_to_lower(i, '_'), o, "{i}");
        }
    }

    #[test]
    fn pascal_samples_from_xstrings_docs() {
        for (i, o) in [
            ("some_words", "SomeWords"),
            ("http_server", "HttpServer"),
            ("no_https", "NoHttps"),
            ("_complex__case_", "_Complex_Case_"),
            ("some words", "SomeWords"),
            ("GOLANG_IS_GREAT", "GolangIsGreat"),
        ] {
            assert_eq!(to_pascal(i), o, "{i}");
        }
    }
}

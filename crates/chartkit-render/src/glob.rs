//! The glob dialect of `.Files.Glob` (gobwas/glob with `/` as separator):
//! `*` any run without `/`, `**` any run, `?` one character other than `/`,
//! `[abc]`, `[a-z]`, `[!abc]`, `{alt,ernatives}` (nestable), `\` escapes.

/// Why a pattern did not compile.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid glob: {0}")]
pub struct GlobError(&'static str);

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Char(char),
    /// `*`
    Any,
    /// `**`
    Super,
    /// `?`
    Single,
    Class { negated: bool, items: Vec<(char, char)> },
    Alt(Vec<Vec<Token>>),
}

/// A compiled glob.
#[derive(Clone, Debug)]
pub struct Glob {
    tokens: Vec<Token>,
}

impl Glob {
    pub fn compile(pattern: &str) -> Result<Glob, GlobError> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        let tokens = parse_seq(&chars, &mut pos, false)?;
        if pos != chars.len() {
            return Err(GlobError("unexpected '}' or ','"));
        }
        Ok(Glob { tokens })
    }

    /// `**`: matches everything.
    pub fn match_all() -> Glob {
        Glob { tokens: vec![Token::Super] }
    }

    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        match_seq(&self.tokens, &chars, 0, &[])
    }
}

fn parse_seq(chars: &[char], pos: &mut usize, in_alt: bool) -> Result<Vec<Token>, GlobError> {
    let mut out = Vec::new();
    while *pos < chars.len() {
        let c = chars[*pos];
        match c {
            '*' => {
                if chars.get(*pos + 1) == Some(&'*') {
                    out.push(Token::Super);
                    *pos += 2;
                } else {
                    out.push(Token::Any);
                    *pos += 1;
                }
            }
            '?' => {
                out.push(Token::Single);
                *pos += 1;
            }
            '\\' => {
                let next = chars.get(*pos + 1).ok_or(GlobError("trailing escape"))?;
                out.push(Token::Char(*next));
                *pos += 2;
            }
            '[' => {
                *pos += 1;
                out.push(parse_class(chars, pos)?);
            }
            '{' => {
                *pos += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(parse_seq(chars, pos, true)?);
                    match chars.get(*pos) {
                        Some(',') => *pos += 1,
                        Some('}') => {
                            *pos += 1;
                            break;
                        }
                        _ => return Err(GlobError("unclosed '{'")),
                    }
                }
                out.push(Token::Alt(alts));
            }
            ',' | '}' if in_alt => return Ok(out),
            _ => {
                out.push(Token::Char(c));
                *pos += 1;
            }
        }
    }
    Ok(out)
}

fn parse_class(chars: &[char], pos: &mut usize) -> Result<Token, GlobError> {
    let mut negated = false;
    if chars.get(*pos) == Some(&'!') {
        negated = true;
        *pos += 1;
    }
    let mut items = Vec::new();
    loop {
        let c = *chars.get(*pos).ok_or(GlobError("unclosed '['"))?;
        *pos += 1;
        match c {
            ']' => break,
            '\\' => {
                let e = *chars.get(*pos).ok_or(GlobError("trailing escape"))?;
                *pos += 1;
                items.push((e, e));
            }
            _ => {
                if chars.get(*pos) == Some(&'-') && chars.get(*pos + 1).is_some_and(|&n| n != ']') {
                    let hi = chars[*pos + 1];
                    if hi < c {
                        return Err(GlobError("bad range"));
                    }
                    items.push((c, hi));
                    *pos += 2;
                } else {
                    items.push((c, c));
                }
            }
        }
    }
    if items.is_empty() {
        return Err(GlobError("empty class"));
    }
    Ok(Token::Class { negated, items })
}

/// Matches `tokens` followed by `rest` (the continuation after an
/// alternative) against `text[i..]`.
fn match_seq(tokens: &[Token], text: &[char], i: usize, rest: &[&[Token]]) -> bool {
    let Some((first, tail)) = tokens.split_first() else {
        return match rest.split_first() {
            Some((next, more)) => match_seq(next, text, i, more),
            None => i == text.len(),
        };
    };
    match first {
        Token::Char(c) => text.get(i) == Some(c) && match_seq(tail, text, i + 1, rest),
        Token::Single => text.get(i).is_some_and(|&c| c != '/') && match_seq(tail, text, i + 1, rest),
        Token::Class { negated, items } => text.get(i).is_some_and(|&c| {
            items.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
        }) && match_seq(tail, text, i + 1, rest),
        Token::Any => {
            let mut j = i;
            loop {
                if match_seq(tail, text, j, rest) {
                    return true;
                }
                if j >= text.len() || text[j] == '/' {
                    return false;
                }
                j += 1;
            }
        }
        Token::Super => (i..=text.len()).any(|j| match_seq(tail, text, j, rest)),
        Token::Alt(alts) => {
            let mut cont: Vec<&[Token]> = Vec::with_capacity(rest.len() + 1);
            cont.push(tail);
            cont.extend_from_slice(rest);
            alts.iter().any(|alt| match_seq(alt, text, i, &cont))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        Glob::compile(p).unwrap().matches(t)
    }

    #[test]
    fn stars() {
        assert!(m("*.conf", "a.conf"));
        assert!(!m("*.conf", "x/a.conf"));
        assert!(m("**.conf", "x/a.conf"));
        assert!(m("files/**", "files/a/b"));
        assert!(m("files/*", "files/a"));
        assert!(!m("files/*", "files/a/b"));
    }

    #[test]
    fn classes_and_alternatives() {
        assert!(m("[ab].txt", "a.txt"));
        assert!(!m("[!ab].txt", "a.txt"));
        assert!(m("[a-c]x", "bx"));
        assert!(m("{conf,etc}/*.{yaml,yml}", "etc/x.yml"));
        assert!(!m("{conf,etc}/*.{yaml,yml}", "etc/x.json"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "a/c"));
    }

    #[test]
    fn bad_patterns_fail_to_compile() {
        assert!(Glob::compile("[abc").is_err());
        assert!(Glob::compile("{a,b").is_err());
    }
}

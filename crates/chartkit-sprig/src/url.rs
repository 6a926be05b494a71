//! Sprig's `urlParse` and `urlJoin`, on a port of the parts of Go's
//! `net/url` (Go 1.25, as Helm v4.1.4 is built) they use: `url.Parse`,
//! `URL.String`, `Userinfo.String`, `URL.Hostname`, with Go's escaping
//! rules and error texts (including `net/netip`'s for bracketed hosts).

use chartkit_gotemplate::strconv::quote as go_quote;
use chartkit_gotemplate::{Func, Map, Value};

use crate::util::{GoMap, Str, arg_map, arg_str, call_err, fixed, string};

/// Which part of a URL is being escaped or unescaped (Go's `encoding`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    QueryComponent,
    Fragment,
}

/// Go's `shouldEscape`.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => return c == b'?',
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::QueryComponent => return true,
            Mode::Fragment => return false,
            Mode::Host | Mode::Zone => {}
        },
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c.wrapping_sub(b'A').wrapping_add(10),
    }
}

/// Go's `unescape`; errors are `EscapeError` and `InvalidHostError` texts.
fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, String> {
    let escape_error = |bad: &[u8]| {
        format!(
            "invalid URL escape {}",
            go_quote(&String::from_utf8_lossy(bad))
        )
    };
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                if i + 2 >= s.len()
                    || !s[i + 1].is_ascii_hexdigit()
                    || !s[i + 2].is_ascii_hexdigit()
                {
                    let rest = &s[i..];
                    return Err(escape_error(&rest[..rest.len().min(3)]));
                }
                // Hosts may %-encode only non-ASCII bytes (and %25 for zones).
                if mode == Mode::Host && unhex(s[i + 1]) < 8 && &s[i..i + 3] != b"%25" {
                    return Err(escape_error(&s[i..i + 3]));
                }
                if mode == Mode::Zone {
                    let v = (unhex(s[i + 1]) << 4) | unhex(s[i + 2]);
                    if &s[i..i + 3] != b"%25" && v != b' ' && should_escape(v, Mode::Host) {
                        return Err(escape_error(&s[i..i + 3]));
                    }
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    let bad = String::from_utf8_lossy(&s[i..i + 1]).into_owned();
                    return Err(format!("invalid character {} in host name", go_quote(&bad)));
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                out.push((unhex(s[i + 1]) << 4) | unhex(s[i + 2]));
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Go's `escape`.
fn escape(s: &[u8], mode: Mode) -> Vec<u8> {
    const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if c == b' ' && mode == Mode::QueryComponent {
            out.push(b'+');
        } else if should_escape(c, mode) {
            out.extend_from_slice(&[
                b'%',
                UPPER_HEX[usize::from(c >> 4)],
                UPPER_HEX[usize::from(c & 15)],
            ]);
        } else {
            out.push(c);
        }
    }
    out
}

/// Go's `url.Userinfo`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Userinfo {
    username: Vec<u8>,
    password: Option<Vec<u8>>,
}

impl Userinfo {
    /// Go's `Userinfo.String()`: `user[:password]`, escaped.
    fn encode(&self) -> Vec<u8> {
        let mut s = escape(&self.username, Mode::UserPassword);
        if let Some(p) = &self.password {
            s.push(b':');
            s.extend(escape(p, Mode::UserPassword));
        }
        s
    }
}

/// Go's `url.URL` (all fields byte strings, as Go strings are).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Url {
    scheme: Vec<u8>,
    opaque: Vec<u8>,
    user: Option<Userinfo>,
    host: Vec<u8>,
    path: Vec<u8>,
    raw_path: Vec<u8>,
    omit_host: bool,
    force_query: bool,
    raw_query: Vec<u8>,
    fragment: Vec<u8>,
    raw_fragment: Vec<u8>,
}

fn cut(s: &[u8], sep: u8) -> (&[u8], &[u8], bool) {
    match s.iter().position(|&c| c == sep) {
        Some(i) => (&s[..i], &s[i + 1..], true),
        None => (s, &[], false),
    }
}

/// Go's `url.Parse`; the error is the text of Go's `*url.Error`.
fn parse(raw: &str) -> Result<Url, String> {
    let (u, frag, _) = cut(raw.as_bytes(), b'#');
    let op_err = |target: &[u8], e: String| {
        format!("parse {}: {e}", go_quote(&String::from_utf8_lossy(target)))
    };
    let mut url = parse_no_fragment(u).map_err(|e| op_err(u, e))?;
    if frag.is_empty() {
        return Ok(url);
    }
    url.fragment = unescape(frag, Mode::Fragment).map_err(|e| op_err(raw.as_bytes(), e))?;
    url.raw_fragment = if escape(&url.fragment, Mode::Fragment) == frag {
        Vec::new()
    } else {
        frag.to_vec()
    };
    Ok(url)
}

/// Go's `getScheme`.
fn get_scheme(raw: &[u8]) -> Result<(&[u8], &[u8]), String> {
    for (i, &c) in raw.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i == 0 => return Ok((&[], raw)),
            b'0'..=b'9' | b'+' | b'-' | b'.' => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok((&[], raw)),
        }
    }
    Ok((&[], raw))
}

/// Go's `parse(rawURL, viaRequest=false)`.
fn parse_no_fragment(raw: &[u8]) -> Result<Url, String> {
    if raw.iter().any(|&b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == b"*" {
        url.path = b"*".to_vec();
        return Ok(url);
    }
    let (scheme, mut rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with(b"?") && rest.iter().filter(|&&c| c == b'?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else {
        let (r, q, _) = cut(rest, b'?');
        url.raw_query = q.to_vec();
        rest = r;
    }
    if !rest.starts_with(b"/") {
        if !url.scheme.is_empty() {
            // A rootless path with a scheme is opaque (RFC 3986).
            url.opaque = rest.to_vec();
            return Ok(url);
        }
        let (segment, _, _) = cut(rest, b'/');
        if segment.contains(&b':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with(b"///")) && rest.starts_with(b"//") {
        let mut authority = &rest[2..];
        rest = &[];
        if let Some(i) = authority.iter().position(|&c| c == b'/') {
            (authority, rest) = (&authority[..i], &authority[i..]);
        }
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
    } else if !url.scheme.is_empty() && rest.starts_with(b"/") {
        url.omit_host = true;
    }
    url.path = unescape(rest, Mode::Path)?;
    url.raw_path = if escape(&url.path, Mode::Path) == rest {
        Vec::new()
    } else {
        rest.to_vec()
    };
    Ok(url)
}

/// Go's `validUserinfo`.
fn valid_userinfo(s: &[u8]) -> bool {
    // Go ranges over runes; non-ASCII runes are invalid, as are their bytes.
    s.iter().all(|&c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b':'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'%'
                    | b'@'
            )
    })
}

/// Go's `parseAuthority`.
fn parse_authority(authority: &[u8]) -> Result<(Option<Userinfo>, Vec<u8>), String> {
    let at = authority.iter().rposition(|&c| c == b'@');
    let host = match at {
        Some(i) => parse_host(&authority[i + 1..])?,
        None => parse_host(authority)?,
    };
    let Some(i) = at else { return Ok((None, host)) };
    let userinfo = &authority[..i];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".into());
    }
    let user = if !userinfo.contains(&b':') {
        Userinfo {
            username: unescape(userinfo, Mode::UserPassword)?,
            password: None,
        }
    } else {
        let (name, pass, _) = cut(userinfo, b':');
        Userinfo {
            username: unescape(name, Mode::UserPassword)?,
            password: Some(unescape(pass, Mode::UserPassword)?),
        }
    };
    Ok((Some(user), host))
}

/// Go's `validOptionalPort`: empty, or `:` and digits.
fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

/// Go's `parseHost`: `host[:port]`, or a bracketed IPv6 literal (which
/// must start the host: Go 1.25.2 and later reject `x[::1]`).
fn parse_host(host: &[u8]) -> Result<Vec<u8>, String> {
    let open_bracket = host.iter().rposition(|&c| c == b'[');
    if open_bracket.is_some_and(|i| i > 0) {
        return Err("invalid IP-literal".into());
    }
    if let Some(open) = open_bracket {
        let close = host
            .iter()
            .rposition(|&c| c == b']')
            .ok_or("missing ']' in host")?;
        let colon_port = host.get(close + 1..).unwrap_or_default();
        if !valid_optional_port(colon_port) {
            return Err(format!(
                "invalid port {} after host",
                go_quote(&String::from_utf8_lossy(colon_port))
            ));
        }
        let port = unescape(colon_port, Mode::Host)?;
        let hostname = host.get(open + 1..close).unwrap_or_default();
        let unescaped = match find(hostname, b"%25") {
            Some(z) => {
                let mut h = unescape(&hostname[..z], Mode::Host)?;
                h.extend(unescape(&hostname[z..], Mode::Zone)?);
                h
            }
            None => unescape(hostname, Mode::Host)?,
        };
        let text = String::from_utf8_lossy(&unescaped).into_owned();
        match parse_addr(&text) {
            Err(e) => return Err(format!("invalid host: {e}")),
            Ok(Addr::V4) => return Err("invalid IP-literal".into()),
            Ok(Addr::V6) => {}
        }
        let mut out = b"[".to_vec();
        out.extend(unescaped);
        out.push(b']');
        out.extend(port);
        return Ok(out);
    }
    if let Some(i) = host.iter().rposition(|&c| c == b':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!(
                "invalid port {} after host",
                go_quote(&String::from_utf8_lossy(colon_port))
            ));
        }
    }
    unescape(host, Mode::Host)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The family of a parsed `netip.Addr`.
enum Addr {
    V4,
    V6,
}

/// Go's `netip.ParseAddr`, for its verdict and error text only.
fn parse_addr(s: &str) -> Result<Addr, String> {
    let err = |msg: &str, at: Option<&str>| match at.filter(|a| !a.is_empty()) {
        Some(at) => format!("ParseAddr({}): {msg} (at {})", go_quote(s), go_quote(at)),
        None => format!("ParseAddr({}): {msg}", go_quote(s)),
    };
    for c in s.bytes() {
        match c {
            b'.' => return parse_ipv4_fields(s, s, err).map(|_| Addr::V4),
            b':' => return parse_ipv6(s, err),
            b'%' => return Err(err("missing IPv6 address", None)),
            _ => {}
        }
    }
    Err(err("unable to parse IP", None))
}

/// Go's `parseIPv4Fields` over `part` (a suffix of the whole input `s`).
fn parse_ipv4_fields(
    _s: &str,
    part: &str,
    err: impl Fn(&str, Option<&str>) -> String,
) -> Result<(), String> {
    let b = part.as_bytes();
    let (mut val, mut pos, mut dig_len) = (0u32, 0, 0);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                if dig_len == 1 && val == 0 {
                    return Err(err("IPv4 field has octet with leading zero", None));
                }
                val = val * 10 + u32::from(c - b'0');
                dig_len += 1;
                if val > 255 {
                    return Err(err("IPv4 field has value >255", None));
                }
            }
            b'.' => {
                if i == 0 || i == b.len() - 1 || b[i - 1] == b'.' {
                    return Err(err(
                        "IPv4 field must have at least one digit",
                        Some(&part[i..]),
                    ));
                }
                if pos == 3 {
                    return Err(err("IPv4 address too long", None));
                }
                pos += 1;
                val = 0;
                dig_len = 0;
            }
            _ => return Err(err("unexpected character", Some(&part[i..]))),
        }
    }
    if pos < 3 {
        return Err(err("IPv4 address too short", None));
    }
    Ok(())
}

/// Go's `parseIPv6`.
fn parse_ipv6(
    input: &str,
    err: impl Fn(&str, Option<&str>) -> String + Copy,
) -> Result<Addr, String> {
    let mut s = input;
    if let Some(i) = input.find('%') {
        let zone = &input[i + 1..];
        s = &input[..i];
        if zone.is_empty() {
            return Err(err("zone must be a non-empty string", None));
        }
    }
    let mut ellipsis: Option<usize> = None;
    if s.starts_with("::") {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Ok(Addr::V6);
        }
    }
    let mut i = 0;
    while i < 16 {
        let b = s.as_bytes();
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < b.len() {
            let Some(d) = char::from(b[off]).to_digit(16) else {
                break;
            };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(err("each group must have 4 or less digits", Some(s)));
            }
            if acc > 0xFFFF {
                return Err(err("IPv6 field has value >=2^16", Some(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err(err(
                "each colon-separated field must have at least one digit",
                Some(s),
            ));
        }
        if b.get(off) == Some(&b'.') {
            if ellipsis.is_none() && i != 12 {
                return Err(err(
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                ));
            }
            if i + 4 > 16 {
                return Err(err(
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                ));
            }
            parse_ipv4_fields(input, s, err)?;
            s = "";
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(err("unexpected character, want colon", Some(s)));
        } else if s.len() == 1 {
            return Err(err("colon must be followed by more characters", Some(s)));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis.is_some() {
                return Err(err("multiple :: in address", Some(s)));
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(err("trailing garbage after address", Some(s)));
    }
    if i < 16 {
        if ellipsis.is_none() {
            return Err(err("address string too short", None));
        }
    } else if ellipsis.is_some() {
        return Err(err(
            "the :: must expand to at least one field of zeros",
            None,
        ));
    }
    Ok(Addr::V6)
}

impl Url {
    /// Go's `URL.EscapedPath()`.
    fn escaped_path(&self) -> Vec<u8> {
        if !self.raw_path.is_empty()
            && valid_encoded(&self.raw_path, Mode::Path)
            && unescape(&self.raw_path, Mode::Path).is_ok_and(|p| p == self.path)
        {
            return self.raw_path.clone();
        }
        if self.path == b"*" {
            return b"*".to_vec();
        }
        escape(&self.path, Mode::Path)
    }

    /// Go's `URL.EscapedFragment()`.
    fn escaped_fragment(&self) -> Vec<u8> {
        if !self.raw_fragment.is_empty()
            && valid_encoded(&self.raw_fragment, Mode::Fragment)
            && unescape(&self.raw_fragment, Mode::Fragment).is_ok_and(|f| f == self.fragment)
        {
            return self.raw_fragment.clone();
        }
        escape(&self.fragment, Mode::Fragment)
    }

    /// Go's `URL.Hostname()`.
    fn hostname(&self) -> &[u8] {
        let mut host: &[u8] = &self.host;
        if let Some(colon) = host.iter().rposition(|&c| c == b':')
            && valid_optional_port(&host[colon..])
        {
            host = &host[..colon];
        }
        if host.len() >= 2 && host.starts_with(b"[") && host.ends_with(b"]") {
            host = &host[1..host.len() - 1];
        }
        host
    }

    /// Go's `URL.String()` (Go 1.25).
    fn encode(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        if !self.scheme.is_empty() {
            buf.extend_from_slice(&self.scheme);
            buf.push(b':');
        }
        if !self.opaque.is_empty() {
            buf.extend_from_slice(&self.opaque);
        } else {
            let has_authority =
                !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some();
            let omit = self.omit_host && self.host.is_empty() && self.user.is_none();
            if has_authority && !omit {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.extend_from_slice(b"//");
                }
                if let Some(u) = &self.user {
                    buf.extend(u.encode());
                    buf.push(b'@');
                }
                if !self.host.is_empty() {
                    buf.extend(escape(&self.host, Mode::Host));
                }
            }
            let path = self.escaped_path();
            if !path.is_empty() && path[0] != b'/' && !self.host.is_empty() {
                buf.push(b'/');
            }
            if buf.is_empty() {
                // A first segment with a colon would read as a scheme.
                let (segment, _, _) = cut(&path, b'/');
                if segment.contains(&b':') {
                    buf.extend_from_slice(b"./");
                }
            }
            buf.extend(path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push(b'?');
            buf.extend_from_slice(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push(b'#');
            buf.extend(self.escaped_fragment());
        }
        buf
    }
}

/// Go's `validEncoded`.
fn valid_encoded(s: &[u8], mode: Mode) -> bool {
    s.iter().all(|&c| {
        matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, mode)
    })
}

fn text(b: &[u8]) -> Value {
    string(String::from_utf8_lossy(b).into_owned())
}

/// Sprig's `urlParse`: the URL's parts as a dict.
pub(crate) fn url_parse() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        let u = parse(arg_str(a, 0)).map_err(|e| call_err(format!("unable to parse url: {e}")))?;
        let m = Map::new();
        m.insert("scheme", text(&u.scheme));
        m.insert("host", text(&u.host));
        m.insert("hostname", text(u.hostname()));
        m.insert("path", text(&u.path));
        m.insert("query", text(&u.raw_query));
        m.insert("opaque", text(&u.opaque));
        m.insert("fragment", text(&u.fragment));
        m.insert(
            "userinfo",
            text(&u.user.map(|u| u.encode()).unwrap_or_default()),
        );
        Ok(Value::Map(m))
    })
}

/// Sprig's `dictGetOrEmpty`: a string entry, `""` when absent; any other
/// kind is a panic.
fn dict_get_or_empty(
    d: &Option<Map>,
    key: &str,
) -> Result<Vec<u8>, chartkit_gotemplate::FuncError> {
    let Some(v) = d.as_ref().and_then(|m| m.get(key)) else {
        return Ok(Vec::new());
    };
    match v {
        Value::String(s) => Ok(s.as_bytes().to_vec()),
        // reflect.TypeOf(nil).Kind() dereferences a nil pointer.
        Value::Nil => Err(call_err(crate::util::NIL_DEREF)),
        other => Err(call_err(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            other.kind_name()
        ))),
    }
}

/// Sprig's `urlJoin`: a URL string from a dict like `urlParse` returns.
pub(crate) fn url_join() -> Func {
    Func::pure(fixed(&[GoMap]), |a| {
        let d = arg_map(a, 0);
        let mut u = Url {
            scheme: dict_get_or_empty(&d, "scheme")?,
            host: dict_get_or_empty(&d, "host")?,
            path: dict_get_or_empty(&d, "path")?,
            raw_query: dict_get_or_empty(&d, "query")?,
            opaque: dict_get_or_empty(&d, "opaque")?,
            fragment: dict_get_or_empty(&d, "fragment")?,
            ..Url::default()
        };
        let userinfo = dict_get_or_empty(&d, "userinfo")?;
        if !userinfo.is_empty() {
            let raw = format!("proto://{}@host", String::from_utf8_lossy(&userinfo));
            let parsed = parse(&raw)
                .map_err(|e| call_err(format!("unable to parse userinfo in dict: {e}")))?;
            u.user = parsed.user;
        }
        Ok(text(&u.encode()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str) -> String {
        parse(s)
            .map(|u| String::from_utf8_lossy(&u.encode()).into_owned())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn parse_and_string_like_go() {
        let cases: &[(&str, &str)] = &[
            (
                "http://user:p%40ss@example.com:8080/a%2Fb/c?x=1&y=2#frag%20x",
                "http://user:p%40ss@example.com:8080/a%2Fb/c?x=1&y=2#frag%20x",
            ),
            ("mailto:someone@example.com", "mailto:someone@example.com"),
            ("HTTP://EXAMPLE.com/", "http://EXAMPLE.com/"),
            ("/just/a path", "/just/a%20path"),
            ("http://[fe80::1%25en0]:80/", "http://[fe80::1%25en0]:80/"),
            ("file:///etc/hosts", "file:///etc/hosts"),
            ("http://host?", "http://host?"),
            ("*", "*"),
            (
                "ldap://ldap.example.com:389/dc=example,dc=com",
                "ldap://ldap.example.com:389/dc=example,dc=com",
            ),
            (":foo", "ERR parse \":foo\": missing protocol scheme"),
            ("a:b/c:d", "a:b/c:d"),
            (
                "1a:b",
                "ERR parse \"1a:b\": first path segment in URL cannot contain colon",
            ),
            (
                "http://host:port/",
                "ERR parse \"http://host:port/\": invalid port \":port\" after host",
            ),
            (
                "http://[::1/",
                "ERR parse \"http://[::1/\": missing ']' in host",
            ),
            (
                "http://[1.2.3.4]/",
                "ERR parse \"http://[1.2.3.4]/\": invalid IP-literal",
            ),
            (
                "http://x[::1]/",
                "ERR parse \"http://x[::1]/\": invalid IP-literal",
            ),
            ("http://a:1:2/", "http://a:1:2/"),
            (
                "http://[zz]/",
                "ERR parse \"http://[zz]/\": invalid host: ParseAddr(\"zz\"): unable to parse IP",
            ),
            (
                "http://a b/",
                "ERR parse \"http://a b/\": invalid character \" \" in host name",
            ),
            (
                "http://%41/",
                "ERR parse \"http://%41/\": invalid URL escape \"%41\"",
            ),
            (
                "http://x/%zz",
                "ERR parse \"http://x/%zz\": invalid URL escape \"%zz\"",
            ),
            (
                "http://x/\n",
                "ERR parse \"http://x/\\n\": net/url: invalid control character in URL",
            ),
            (
                "http://a^b@x/",
                "ERR parse \"http://a^b@x/\": net/url: invalid userinfo",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(round_trip(input), *want, "{input}");
        }
    }

    #[test]
    fn hostnames() {
        let h = |s: &str| {
            parse(s)
                .map(|u| String::from_utf8_lossy(u.hostname()).into_owned())
                .unwrap_or_default()
        };
        assert_eq!(h("http://example.com:80/"), "example.com");
        assert_eq!(h("http://[::1]:80/"), "::1");
        assert_eq!(h("http://[::1]/"), "::1");
        assert_eq!(h("http://x:/"), "x");
    }

    #[test]
    fn ipv6_errors() {
        assert_eq!(parse_addr("1:2:3:4:5:6:7:8").ok().map(|_| ()), Some(()));
        assert_eq!(parse_addr("::ffff:1.2.3.4").ok().map(|_| ()), Some(()));
        assert_eq!(
            parse_addr("1::2::3").err().as_deref(),
            Some(r#"ParseAddr("1::2::3"): multiple :: in address (at ":3")"#)
        );
        assert_eq!(
            parse_addr("fe80::1%").err().as_deref(),
            Some(r#"ParseAddr("fe80::1%"): zone must be a non-empty string"#)
        );
        assert_eq!(
            parse_addr("1.2.3.04").err().as_deref(),
            Some(r#"ParseAddr("1.2.3.04"): IPv4 field has octet with leading zero"#)
        );
    }
}

//! Masterminds/semver v3.4.0 (the version Helm v4.1.4 builds with) as Sprig uses it: `semver` (a
//! `*semver.Version` object with its methods) and `semverCompare`
//! (constraint ranges, `x` wildcards, `~`, `^`, hyphen ranges, `||`, and the
//! library's prerelease rules).

use std::cmp::Ordering;
use std::fmt;
use std::rc::Rc;
use std::sync::LazyLock;

use chartkit_gotemplate::{Func, FuncError, Object, Value};
use regex::Regex;

use crate::util::*;

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

fn go_re(p: &str) -> Regex {
    // Invariant: the patterns are constants that Go's regexp accepts.
    crate::regex::compile(p).expect("constant semver pattern")
}

static VERSION_RE: LazyLock<Regex> = LazyLock::new(|| {
    go_re(r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$")
});
static CONSTRAINT_RE: LazyLock<Regex> = LazyLock::new(|| go_re(&format!(r"^\s*({OPS})\s*({CV})\s*$")));
static RANGE_RE: LazyLock<Regex> = LazyLock::new(|| go_re(&format!(r"\s*({CV})\s+-\s+({CV})\s*")));
static FIND_RE: LazyLock<Regex> = LazyLock::new(|| go_re(&format!(r"({OPS})\s*({CV})")));
static VALID_RE: LazyLock<Regex> =
    LazyLock::new(|| go_re(&format!(r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$")));

/// A parsed semantic version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

fn parse_segment(s: &str) -> Result<u64, String> {
    match parse_int(s, 10) {
        Ok(n) if n >= 0 => Ok(n as u64),
        _ => s.parse::<u64>().map_err(|_| {
            format!("error parsing version segment: strconv.ParseUint: parsing {}: value out of range", chartkit_gotemplate::strconv::quote(s))
        }),
    }
}

fn contains_only(s: &str, set: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(set)
}

fn allowed(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

impl Version {
    /// `semver.NewVersion`.
    pub fn parse(v: &str) -> Result<Version, String> {
        let m = VERSION_RE.captures(v).ok_or("invalid semantic version")?;
        let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
        let mut sv = Version {
            major: parse_segment(g(1))?,
            minor: 0,
            patch: 0,
            pre: g(5).to_string(),
            metadata: g(8).to_string(),
            original: v.to_string(),
        };
        if !g(2).is_empty() {
            sv.minor = parse_segment(&g(2)[1..])?;
        }
        if !g(3).is_empty() {
            sv.patch = parse_segment(&g(3)[1..])?;
        }
        if !sv.pre.is_empty() {
            for p in sv.pre.split('.') {
                if contains_only(p, |b| b.is_ascii_digit()) {
                    if p.len() > 1 && p.starts_with('0') {
                        return Err("version segment starts with 0".into());
                    }
                } else if !contains_only(p, allowed) {
                    return Err("invalid prerelease string".into());
                }
            }
        }
        if !sv.metadata.is_empty() && !sv.metadata.split('.').all(|p| contains_only(p, allowed)) {
            return Err("invalid metadata string".into());
        }
        Ok(sv)
    }

    /// `Version.Compare`.
    pub fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn compare_prerelease(v: &str, o: &str) -> Ordering {
    let (s, p): (Vec<&str>, Vec<&str>) = (v.split('.').collect(), o.split('.').collect());
    for i in 0..s.len().max(p.len()) {
        let d = compare_pre_part(s.get(i).copied().unwrap_or(""), p.get(i).copied().unwrap_or(""));
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (_, Err(_)) => Ordering::Less,
        (Err(_), _) => Ordering::Greater,
        (Ok(a), Ok(b)) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[derive(Clone, Debug)]
struct Constraint {
    con: Version,
    op: String,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn parse_constraint(c: &str) -> Result<Constraint, String> {
    if c.is_empty() {
        return Ok(Constraint {
            con: Version::parse("0.0.0")?,
            op: String::new(),
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let m = CONSTRAINT_RE.captures(c).ok_or_else(|| format!("improper constraint: {c}"))?;
    let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
    let mut ver = g(2).to_string();
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    if is_x(g(3)) || g(3).is_empty() {
        ver = format!("0.0.0{}", g(6));
        dirty = true;
    } else if is_x(g(4).trim_start_matches('.')) || g(4).is_empty() {
        minor_dirty = true;
        dirty = true;
        ver = format!("{}.0.0{}", g(3), g(6));
    } else if is_x(g(5).trim_start_matches('.')) || g(5).is_empty() {
        dirty = true;
        patch_dirty = true;
        ver = format!("{}{}.0{}", g(3), g(4), g(6));
    }
    let con = Version::parse(&ver).map_err(|_| "constraint parser error".to_string())?;
    Ok(Constraint { con, op: g(1).to_string(), minor_dirty, patch_dirty, dirty })
}

fn rewrite_range(i: &str) -> String {
    let mut o = i.to_string();
    for m in RANGE_RE.captures_iter(i) {
        let whole = m.get(0).map_or("", |x| x.as_str());
        let t = format!(">= {}, <= {} ", m.get(1).map_or("", |x| x.as_str()), m.get(11).map_or("", |x| x.as_str()));
        o = o.replacen(whole, &t, 1);
    }
    o
}

/// Parsed constraints: alternatives (`||`) of conjunctions.
#[derive(Clone, Debug)]
pub struct Constraints(Vec<Vec<Constraint>>);

impl Constraints {
    /// `semver.NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, String> {
        let c = rewrite_range(c);
        let mut or = Vec::new();
        for v in c.split("||") {
            if !VALID_RE.is_match(v) {
                return Err(format!("improper constraint: {v}"));
            }
            let mut cs: Vec<String> =
                crate::regex::all_matches(&FIND_RE, v, -1).into_iter().map(|(a, b)| v[a..b].to_string()).collect();
            if cs.is_empty() {
                cs.push(v.to_string());
            }
            or.push(cs.iter().map(|s| parse_constraint(s)).collect::<Result<Vec<_>, _>>()?);
        }
        Ok(Constraints(or))
    }

    /// `Constraints.Check`.
    pub fn check(&self, v: &Version) -> bool {
        // A prerelease version can match only a group that mentions a prerelease.
        self.0.iter().any(|and| {
            let include_pre = and.iter().any(|c| !c.con.pre.is_empty());
            and.iter().all(|c| check_one(v, c, include_pre))
        })
    }
}

fn check_one(v: &Version, c: &Constraint, include_pre: bool) -> bool {
    let pre_blocked = !v.pre.is_empty() && !include_pre;
    let cmp = v.compare(&c.con);
    match c.op.as_str() {
        "" | "=" => {
            if pre_blocked {
                return false;
            }
            if c.dirty { tilde(v, c) } else { cmp == Ordering::Equal }
        }
        "!=" => {
            if pre_blocked {
                return false;
            }
            if c.dirty {
                if c.con.major != v.major {
                    return true;
                }
                if c.con.minor != v.minor && !c.minor_dirty {
                    return true;
                } else if c.minor_dirty {
                    return false;
                } else if c.con.patch != v.patch && !c.patch_dirty {
                    return true;
                } else if c.patch_dirty {
                    if !v.pre.is_empty() || !c.con.pre.is_empty() {
                        return compare_prerelease(&v.pre, &c.con.pre) != Ordering::Equal;
                    }
                    return false;
                }
            }
            cmp != Ordering::Equal
        }
        ">" => {
            if pre_blocked {
                return false;
            }
            if !c.dirty {
                return cmp == Ordering::Greater;
            }
            if v.major > c.con.major {
                true
            } else if v.major < c.con.major || c.minor_dirty {
                false
            } else if c.patch_dirty {
                v.minor > c.con.minor
            } else {
                cmp == Ordering::Greater
            }
        }
        "<" => !pre_blocked && cmp == Ordering::Less,
        ">=" | "=>" => !pre_blocked && cmp != Ordering::Less,
        "<=" | "=<" => {
            if pre_blocked {
                return false;
            }
            if !c.dirty {
                return cmp != Ordering::Greater;
            }
            !(v.major > c.con.major || (v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty))
        }
        "~" | "~>" => !pre_blocked && tilde(v, c),
        "^" => {
            if pre_blocked || cmp == Ordering::Less {
                return false;
            }
            if c.con.major > 0 || c.minor_dirty {
                return v.major == c.con.major;
            }
            if v.major > 0 {
                return false;
            }
            if c.con.minor > 0 || c.patch_dirty {
                return v.minor == c.con.minor;
            }
            if v.minor > 0 {
                return false;
            }
            c.con.patch == v.patch
        }
        _ => false,
    }
}

/// `constraintTilde` after its prerelease gate.
fn tilde(v: &Version, c: &Constraint) -> bool {
    if v.compare(&c.con) == Ordering::Less {
        return false;
    }
    if c.con.major == 0 && c.con.minor == 0 && c.con.patch == 0 && !c.minor_dirty && !c.patch_dirty {
        return true;
    }
    if v.major != c.con.major {
        return false;
    }
    !(v.minor != c.con.minor && !c.minor_dirty)
}

/// A `*semver.Version` as templates see it.
#[derive(Debug)]
struct VersionObject(Version);

impl VersionObject {
    /// Recovers a version from another `*semver.Version` argument.
    fn other(v: &Value) -> Option<Version> {
        match v {
            Value::Object(o) if o.type_name() == "*semver.Version" => {
                let mut s = String::new();
                o.fmt_go(&mut s).ok()?;
                Version::parse(&s).ok()
            }
            _ => None,
        }
    }
}

impl Object for VersionObject {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let v = &self.0;
        let cmp_arg = || {
            args.first()
                .and_then(VersionObject::other)
                .map(|o| v.compare(&o))
                .ok_or_else(|| FuncError::arg("wrong type for value; expected *semver.Version"))
        };
        Some(match name {
            "Major" => Ok(Value::Int64(v.major as i64)),
            "Minor" => Ok(Value::Int64(v.minor as i64)),
            "Patch" => Ok(Value::Int64(v.patch as i64)),
            "Prerelease" => Ok(string(v.pre.clone())),
            "Metadata" => Ok(string(v.metadata.clone())),
            "Original" => Ok(string(v.original.clone())),
            "String" => Ok(string(v.to_string())),
            "LessThan" => cmp_arg().map(|o| Value::Bool(o == Ordering::Less)),
            "GreaterThan" => cmp_arg().map(|o| Value::Bool(o == Ordering::Greater)),
            "Equal" => cmp_arg().map(|o| Value::Bool(o == Ordering::Equal)),
            "Compare" => cmp_arg().map(|o| Value::Int(o as i64)),
            _ => return None,
        })
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        write!(f, "{}", self.0)
    }

    fn to_data(&self) -> Option<Value> {
        Some(string(self.0.to_string()))
    }
}

pub(crate) fn semver() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        let v = Version::parse(arg_str(a, 0)).map_err(call_err)?;
        Ok(Value::Object(Rc::new(VersionObject(v))))
    })
}

pub(crate) fn semver_compare() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let c = Constraints::parse(arg_str(a, 0)).map_err(call_err)?;
        let v = Version::parse(arg_str(a, 1)).map_err(call_err)?;
        Ok(Value::Bool(c.check(&v)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str) -> bool {
        match (Constraints::parse(c), Version::parse(v)) {
            (Ok(c), Ok(v)) => c.check(&v),
            _ => false,
        }
    }

    #[test]
    fn constraints() {
        assert!(check(">= 1.2.3", "1.2.3"));
        assert!(check("^1.2", "1.9.0"));
        assert!(!check("^1.2", "2.0.0"));
        assert!(check("~1.2.3", "1.2.9"));
        assert!(!check("~1.2.3", "1.3.0"));
        assert!(check("1.2 - 1.4", "1.3.5"));
        assert!(check(">1 || <0.5", "0.4.0"));
        assert!(!check(">=1.0.0", "1.1.0-beta"));
        assert!(check(">=1.0.0-0", "1.1.0-beta"));
        assert!(check("1.x", "1.9.9"));
    }
}

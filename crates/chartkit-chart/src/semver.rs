//! The parts of Masterminds/semver v3.4.0 Helm's chart code relies on:
//! `NewVersion` (loose parsing, used to validate `version`) and
//! `NewConstraint(...).Check(...)` (used to match `dependencies[].version`
//! against the subcharts present in `charts/`).

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;

/// A parsed semantic version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Major number.
    pub major: u64,
    /// Minor number.
    pub minor: u64,
    /// Patch number.
    pub patch: u64,
    /// Pre-release part (after `-`), empty if none.
    pub pre: String,
    /// Build metadata (after `+`), empty if none.
    pub metadata: String,
}

// Go's \d and \s are ASCII-only: spell them out.
const LOOSE: &str = r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
const S: &str = r"[\t\n\f\r ]";

static LOOSE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^{LOOSE}$")).expect("static regex"));
static CONSTRAINT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{S}*({OPS}){S}*({CV}){S}*$")).expect("static regex"));
static RANGE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"{S}*({CV}){S}+-{S}+({CV}){S}*")).expect("static regex"));
static FIND_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"({OPS}){S}*({CV})")).expect("static regex"));
static VALID_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^({S}*({OPS}){S}*({CV}){S}*)((?:{S}+|,{S}*)({OPS}){S}*({CV}){S}*)*$"
    ))
    .expect("static regex")
});

fn only(s: &str, allowed: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(allowed)
}

fn valid_prerelease(p: &str) -> bool {
    p.split('.').all(|part| {
        if part.is_empty() {
            false
        } else if only(part, |b| b.is_ascii_digit()) {
            !(part.len() > 1 && part.starts_with('0'))
        } else {
            only(part, |b| b.is_ascii_alphanumeric() || b == b'-')
        }
    })
}

fn valid_metadata(m: &str) -> bool {
    m.split('.')
        .all(|p| !p.is_empty() && only(p, |b| b.is_ascii_alphanumeric() || b == b'-'))
}

impl Version {
    /// Masterminds' `NewVersion` (with its default `CoerceNewVersion`):
    /// `v` prefix, missing minor/patch and leading zeros allowed.
    pub fn parse(v: &str) -> Option<Version> {
        let m = LOOSE_RE.captures(v)?;
        let num = |i: usize| -> Option<u64> {
            match m.get(i) {
                None => Some(0),
                Some(g) => g.as_str().trim_start_matches('.').parse::<u64>().ok(),
            }
        };
        let pre = m.get(5).map_or("", |g| g.as_str()).to_string();
        let metadata = m.get(8).map_or("", |g| g.as_str()).to_string();
        if !pre.is_empty() && !valid_prerelease(&pre) {
            return None;
        }
        if !metadata.is_empty() && !valid_metadata(&metadata) {
            return None;
        }
        Some(Version {
            major: num(1)?,
            minor: num(2)?,
            patch: num(3)?,
            pre,
            metadata,
        })
    }

    /// Semantic-version precedence (metadata ignored).
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

fn compare_prerelease(v: &str, o: &str) -> Ordering {
    let sp: Vec<&str> = v.split('.').collect();
    let op: Vec<&str> = o.split('.').collect();
    for i in 0..sp.len().max(op.len()) {
        let s = sp.get(i).copied().unwrap_or("");
        let t = op.get(i).copied().unwrap_or("");
        let d = compare_pre_part(s, t);
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
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(a), Ok(b)) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Constraint {
    con: Version,
    op: String,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// A parsed version constraint (`^1.2`, `>= 1.0, < 2`, `1.x || 2.x`, ...).
#[derive(Debug, Clone)]
pub struct Constraints {
    ors: Vec<Vec<Constraint>>,
    contains_pre: Vec<bool>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn parse_constraint(c: &str) -> Option<Constraint> {
    if c.is_empty() {
        return Some(Constraint {
            con: Version {
                major: 0,
                minor: 0,
                patch: 0,
                pre: String::new(),
                metadata: String::new(),
            },
            op: String::new(),
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let m = CONSTRAINT_RE.captures(c)?;
    let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
    let (m3, m4, m5, m6) = (g(3), g(4), g(5), g(6));
    let mut ver = g(2).to_string();
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    if is_x(m3) || m3.is_empty() {
        ver = format!("0.0.0{m6}");
        dirty = true;
    } else if is_x(m4.trim_start_matches('.')) || m4.is_empty() {
        minor_dirty = true;
        dirty = true;
        ver = format!("{m3}.0.0{m6}");
    } else if is_x(m5.trim_start_matches('.')) || m5.is_empty() {
        dirty = true;
        patch_dirty = true;
        ver = format!("{m3}{m4}.0{m6}");
    }
    let con = Version::parse(&ver)?;
    Some(Constraint {
        con,
        op: g(1).to_string(),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

fn rewrite_range(i: &str) -> String {
    let mut o = i.to_string();
    for caps in RANGE_RE.captures_iter(i) {
        let whole = caps.get(0).map_or("", |x| x.as_str());
        let a = caps.get(1).map_or("", |x| x.as_str());
        let b = caps.get(11).map_or("", |x| x.as_str());
        o = o.replacen(whole, &format!(">= {a}, <= {b} "), 1);
    }
    o
}

impl Constraints {
    /// Masterminds' `NewConstraint`; `None` when the text is not a constraint.
    pub fn parse(c: &str) -> Option<Constraints> {
        let c = rewrite_range(c);
        let mut ors = Vec::new();
        let mut contains_pre = Vec::new();
        for v in c.split("||") {
            if !VALID_RE.is_match(v) {
                return None;
            }
            let mut cs: Vec<&str> = FIND_RE.find_iter(v).map(|m| m.as_str()).collect();
            if cs.is_empty() {
                cs.push(v);
            }
            let mut group = Vec::new();
            let mut pre = false;
            for s in cs {
                let pc = parse_constraint(s)?;
                if !pc.con.pre.is_empty() {
                    pre = true;
                }
                group.push(pc);
            }
            ors.push(group);
            contains_pre.push(pre);
        }
        Some(Constraints { ors, contains_pre })
    }

    /// Whether `v` satisfies any of the `||` alternatives.
    pub fn check(&self, v: &Version) -> bool {
        self.ors
            .iter()
            .zip(&self.contains_pre)
            .any(|(group, pre)| group.iter().all(|c| c.check(v, *pre)))
    }
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        match self.op.as_str() {
            "" | "=" => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == Ordering::Equal
                }
            }
            "!=" => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                v.compare(c) != Ordering::Equal
            }
            ">" => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c) == Ordering::Greater
                }
            }
            "<" => v.compare(c) == Ordering::Less,
            ">=" | "=>" => v.compare(c) != Ordering::Less,
            "<=" | "=<" => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                !(v.major > c.major
                    || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            "~" | "~>" => self.tilde(v),
            "^" => {
                if v.compare(c) == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if c.major == 0 && v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if c.minor == 0 && v.minor > 0 {
                    return false;
                }
                c.patch == v.patch
            }
            _ => false,
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        !(v.minor != c.minor && !self.minor_dirty)
    }
}

/// Helm's `IsCompatibleRange(constraint, version)`: false when either
/// fails to parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Version::parse(version), Constraints::parse(constraint)) {
        (Some(v), Some(c)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_versions() {
        for ok in [
            "1.2.3",
            "v1.2.3",
            "1.2",
            "1",
            "01.2.3",
            "1.2.3-beta.1+build.5",
            "0.0.0",
        ] {
            assert!(Version::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "",
            "x",
            "1.2.3.4",
            "1.2.3-01",
            "1.2.3-",
            "1.2.3+a..b",
            "latest",
        ] {
            assert!(Version::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn constraints() {
        // Cases from Masterminds/semver constraints_test.go.
        let cases = [
            ("16.x.x", "16.7.21", true),
            ("16.x.x", "17.0.0", false),
            ("2.x.x", "2.31.3", true),
            ("*", "1.2.3", true),
            ("", "1.2.3", false),
            ("=2.0.0", "1.2.3", false),
            ("=2.0.0", "2.0.0", true),
            ("4.1", "4.1.0", true),
            ("!=4.1", "4.1.0", false),
            (">1.1", "4.1.0", true),
            ("<1.1", "1.1.1", false),
            (">=1.1", "4.1.0", true),
            ("<=1.1", "1.1.1", true),
            ("<=1.1", "1.2.0", false),
            ("~1.2.3", "1.2.4", true),
            ("~1.2.3", "1.3.4", false),
            ("~1.2", "1.2.4", true),
            ("~1", "1.9.0", true),
            ("^1.2.3", "1.8.9", true),
            ("^1.2.3", "2.8.9", false),
            ("^0.2.3", "0.2.5", true),
            ("^0.2.3", "0.3.0", false),
            ("^0.0.3", "0.0.4", false),
            (">=1.2.3, <2.0.0", "1.9.0", true),
            (">=1.2.3 <2.0.0", "2.0.0", false),
            ("1.1 - 2", "1.9.0", true),
            ("1.1 - 2", "3.0.0", false),
            ("1.x || 3.x", "3.1.0", true),
            ("1.x || 3.x", "2.1.0", false),
            (">0.0.0-0", "1.0.0-rc1", true),
            ("^1.0.0", "1.1.0-rc1", false),
            ("~0.0.0", "5.1.0", true),
            ("bad", "1.0.0", false),
        ];
        for (c, v, want) in cases {
            assert_eq!(is_compatible_range(c, v), want, "{c} vs {v}");
        }
    }
}

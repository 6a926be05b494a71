//! Masterminds/semver v3.4.0, the version Helm v4.1.4 builds with: `NewVersion` (loose
//! parsing: `v` prefix, missing minor/patch and leading zeros allowed), `Version.Compare`,
//! `NewConstraint` and `Constraints.Check` (`x` wildcards, `~`, `^`, hyphen ranges, `||`, and
//! the library's prerelease rules). Errors print exactly as Go's do, because templates show
//! them (`semver`, `semverCompare`).
//!
//! Used by the chart loader (chart versions, dependency ranges) and by the Sprig functions.

use std::cmp::Ordering;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

/// Why a version or constraint does not parse; `Display` is Masterminds' text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SemverError {
    /// The text is not a version at all.
    #[error("invalid semantic version")]
    Invalid,
    /// A number does not fit in 64 bits.
    #[error(
        "error parsing version segment: strconv.ParseUint: parsing \"{0}\": value out of range"
    )]
    SegmentRange(String),
    /// A numeric prerelease identifier has a leading zero.
    #[error("version segment starts with 0")]
    LeadingZero,
    /// A prerelease identifier has characters outside `[0-9A-Za-z-]`.
    #[error("invalid prerelease string")]
    Prerelease,
    /// A metadata identifier has characters outside `[0-9A-Za-z-]`.
    #[error("invalid metadata string")]
    Metadata,
    /// A constraint does not match the grammar.
    #[error("improper constraint: {0}")]
    ImproperConstraint(String),
    /// A constraint matched the grammar but its version does not parse.
    #[error("constraint parser error")]
    ConstraintParser,
}

// Go's \s is ASCII-only: spell it out.
const S: &str = r"[\t\n\f\r ]";
const LOOSE: &str = r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
// Masterminds' character classes really do contain `|`.
const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

fn re(pattern: &str) -> Regex {
    // Invariant: the patterns are built from the constants above and compile.
    Regex::new(pattern).expect("constant semver pattern")
}

static VERSION_RE: LazyLock<Regex> = LazyLock::new(|| re(&format!("^{LOOSE}$")));
static CONSTRAINT_RE: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^{S}*({OPS}){S}*({CV}){S}*$")));
static RANGE_RE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"{S}*({CV}){S}+-{S}+({CV}){S}*")));
static FIND_RE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"({OPS}){S}*({CV})")));
static VALID_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^({S}*({OPS}){S}*({CV}){S}*)((?:{S}+|,{S}*)({OPS}){S}*({CV}){S}*)*$"
    ))
});

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
    /// The text it was parsed from (`Version.Original`).
    pub original: String,
}

fn segment(digits: &str) -> Result<u64, SemverError> {
    digits
        .parse::<u64>()
        .map_err(|_| SemverError::SegmentRange(digits.to_string()))
}

fn identifier_chars(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Version {
    /// `semver.NewVersion`.
    pub fn parse(v: &str) -> Result<Version, SemverError> {
        let m = VERSION_RE.captures(v).ok_or(SemverError::Invalid)?;
        let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
        let optional = |i: usize| match g(i) {
            "" => Ok(0),
            dotted => segment(&dotted[1..]),
        };
        let version = Version {
            major: segment(g(1))?,
            minor: optional(2)?,
            patch: optional(3)?,
            pre: g(5).to_string(),
            metadata: g(8).to_string(),
            original: v.to_string(),
        };
        if !version.pre.is_empty() {
            for part in version.pre.split('.') {
                if part.bytes().all(|b| b.is_ascii_digit()) {
                    if part.len() > 1 && part.starts_with('0') {
                        return Err(SemverError::LeadingZero);
                    }
                } else if !identifier_chars(part) {
                    return Err(SemverError::Prerelease);
                }
            }
        }
        if !version.metadata.is_empty() && !version.metadata.split('.').all(identifier_chars) {
            return Err(SemverError::Metadata);
        }
        Ok(version)
    }

    /// `Version.Compare`: precedence, metadata ignored.
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

/// `Version.String`: the normalized form (`v1.2` prints `1.2.0`).
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
    (0..s.len().max(p.len()))
        .map(|i| {
            compare_pre_part(
                s.get(i).copied().unwrap_or(""),
                p.get(i).copied().unwrap_or(""),
            )
        })
        .find(|d| *d != Ordering::Equal)
        .unwrap_or(Ordering::Equal)
}

/// Masterminds' `comparePrePart`: numbers before words, numbers by value, words by bytes.
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
        (Err(_), Err(_)) => s.cmp(o),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        // Equal numbers with different spellings (`01` vs `1`) count as "less", as in Go.
        (Ok(a), Ok(b)) if a > b => Ordering::Greater,
        (Ok(_), Ok(_)) => Ordering::Less,
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

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn parse_constraint(c: &str) -> Result<Constraint, SemverError> {
    if c.is_empty() {
        return Ok(Constraint {
            con: Version::parse("0.0.0")?,
            op: String::new(),
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let m = CONSTRAINT_RE
        .captures(c)
        .ok_or_else(|| SemverError::ImproperConstraint(c.to_string()))?;
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
    let con = Version::parse(&ver).map_err(|_| SemverError::ConstraintParser)?;
    Ok(Constraint {
        con,
        op: g(1).to_string(),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

/// Hyphen ranges (`1.1 - 2`) become `>= 1.1, <= 2 `.
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

/// Parsed constraints: alternatives (`||`) of conjunctions.
#[derive(Debug, Clone)]
pub struct Constraints {
    ors: Vec<Vec<Constraint>>,
}

impl Constraints {
    /// `semver.NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, SemverError> {
        let c = rewrite_range(c);
        let mut ors = Vec::new();
        for v in c.split("||") {
            if !VALID_RE.is_match(v) {
                return Err(SemverError::ImproperConstraint(v.to_string()));
            }
            let mut found: Vec<&str> = FIND_RE.find_iter(v).map(|m| m.as_str()).collect();
            if found.is_empty() {
                found.push(v);
            }
            ors.push(
                found
                    .into_iter()
                    .map(parse_constraint)
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        Ok(Constraints { ors })
    }

    /// `Constraints.Check`: whether `v` satisfies any `||` alternative. A prerelease
    /// version can only match an alternative that mentions a prerelease itself.
    pub fn check(&self, v: &Version) -> bool {
        self.ors.iter().any(|and| {
            let include_pre = and.iter().any(|c| !c.con.pre.is_empty());
            and.iter().all(|c| c.check(v, include_pre))
        })
    }
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        let cmp = v.compare(c);
        match self.op.as_str() {
            "" | "=" => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    cmp == Ordering::Equal
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
                cmp != Ordering::Equal
            }
            ">" => {
                if !self.dirty {
                    return cmp == Ordering::Greater;
                }
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    cmp == Ordering::Greater
                }
            }
            "<" => cmp == Ordering::Less,
            ">=" | "=>" => cmp != Ordering::Less,
            "<=" | "=<" => {
                if !self.dirty {
                    return cmp != Ordering::Greater;
                }
                !(v.major > c.major
                    || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            "~" | "~>" => self.tilde(v),
            "^" => {
                if cmp == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if v.minor > 0 {
                    return false;
                }
                c.patch == v.patch
            }
            _ => false,
        }
    }

    /// `constraintTilde` after its prerelease gate.
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

/// Helm's `IsCompatibleRange(constraint, version)`: false when either fails to parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Version::parse(version), Constraints::parse(constraint)) {
        (Ok(v), Ok(c)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_loose_versions() {
        for ok in [
            "1.2.3",
            "v1.2.3",
            "1.2",
            "1",
            "01.2.3",
            "1.2.3-beta.1+build.5",
            "0.0.0",
        ] {
            assert!(Version::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            Version::parse("v1.2").map(|v| v.to_string()),
            Ok("1.2.0".to_string())
        );
        assert_eq!(
            Version::parse("v1.2").map(|v| v.original),
            Ok("v1.2".to_string())
        );
    }

    #[test]
    fn errors_read_like_go() {
        let err = |v: &str| Version::parse(v).map(|_| ()).unwrap_err().to_string();
        assert_eq!(err(""), "invalid semantic version");
        assert_eq!(err("latest"), "invalid semantic version");
        assert_eq!(err("1.2.3.4"), "invalid semantic version");
        assert_eq!(err("1.2.3-01"), "version segment starts with 0");
        assert_eq!(
            err("99999999999999999999.0.0"),
            "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range"
        );
        let cerr = |c: &str| Constraints::parse(c).map(|_| ()).unwrap_err().to_string();
        assert_eq!(cerr("bad"), "improper constraint: bad");
        assert_eq!(cerr(">=1 || nope"), "improper constraint:  nope");
    }

    #[test]
    fn prerelease_precedence() {
        let v = |s: &str| Version::parse(s).unwrap();
        assert_eq!(v("1.0.0-alpha").compare(&v("1.0.0")), Ordering::Less);
        assert_eq!(
            v("1.0.0-alpha.1").compare(&v("1.0.0-alpha.beta")),
            Ordering::Less
        );
        assert_eq!(
            v("1.0.0-beta.11").compare(&v("1.0.0-beta.2")),
            Ordering::Greater
        );
        assert_eq!(v("1.0.0+a").compare(&v("1.0.0+b")), Ordering::Equal);
    }

    #[test]
    fn constraints() {
        // Cases from Masterminds/semver constraints_test.go.
        let cases = [
            ("16.x.x", "16.7.21", true),
            ("16.x.x", "17.0.0", false),
            ("*", "1.2.3", true),
            ("", "1.2.3", false),
            ("=2.0.0", "2.0.0", true),
            ("4.1", "4.1.0", true),
            ("!=4.1", "4.1.0", false),
            (">1.1", "4.1.0", true),
            ("<1.1", "1.1.1", false),
            ("<=1.1", "1.1.1", true),
            ("<=1.1", "1.2.0", false),
            ("~1.2.3", "1.2.4", true),
            ("~1.2.3", "1.3.4", false),
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
            (">=1.0.0", "1.1.0-beta", false),
            (">=1.0.0-0", "1.1.0-beta", true),
            ("^1.0.0", "1.1.0-rc1", false),
            ("~0.0.0", "5.1.0", true),
            ("bad", "1.0.0", false),
        ];
        for (c, v, want) in cases {
            assert_eq!(is_compatible_range(c, v), want, "{c} vs {v}");
        }
    }
}

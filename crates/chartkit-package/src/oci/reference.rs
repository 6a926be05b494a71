//! OCI references as Helm parses them (`registry.newReference` on top of
//! oras-go's `ParseReference`): `oci://` optional, `+` in a tag becomes
//! `_` (tags cannot hold `+`), a digest after `@`.

use std::fmt;

use super::OciError;

/// `host[:port]/repository[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `host[:port]`.
    pub registry: String,
    /// The repository path (`charts/mychart`).
    pub repository: String,
    /// The tag (with `+` already turned into `_`), empty when absent.
    pub tag: String,
    /// `algorithm:hex`, empty when absent.
    pub digest: String,
}

/// The URL scheme prefix of OCI references.
pub const OCI_PREFIX: &str = "oci://";

impl Reference {
    /// Parses like Helm: strips `oci://`, splits off `@digest`, replaces
    /// `+` by `_` in the tag, then validates registry, repository, tag and
    /// digest like oras-go.
    pub fn parse(raw: &str) -> Result<Reference, OciError> {
        let mut raw = raw.strip_prefix(OCI_PREFIX).unwrap_or(raw).to_string();
        let mut digest = String::new();
        if let Some(i) = raw.rfind('@') {
            digest = raw[i + 1..].to_string();
            raw.truncate(i);
        }
        let parts: Vec<&str> = raw.split(':').collect();
        if parts.len() > 1
            && let Some(tag) = parts.last()
            && !tag.contains('/')
            && !tag.is_empty()
        {
            let new_tag = tag.replace('+', "_");
            raw = raw.replace(tag, &new_tag);
        }
        let invalid = |what: String| OciError::InvalidReference(what);
        let Some((registry, path)) = raw.split_once('/') else {
            return Err(invalid("missing registry or repository".into()));
        };
        let (repository, tag) = match path.rfind(':') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => (path, ""),
        };
        if !valid_registry(registry) {
            return Err(invalid(format!("invalid registry {registry:?}")));
        }
        if !valid_repository(repository) {
            return Err(invalid(format!("invalid repository {repository:?}")));
        }
        if !tag.is_empty() && !valid_tag(tag) {
            return Err(invalid(format!("invalid tag {tag:?}")));
        }
        if path.ends_with(':') {
            return Err(invalid(format!("invalid tag {tag:?}")));
        }
        if !digest.is_empty() {
            super::digest::check_digest_syntax(&digest)
                .map_err(|e| invalid(format!("invalid digest {digest:?}: {e}")))?;
        }
        Ok(Reference {
            registry: registry.to_string(),
            repository: repository.to_string(),
            tag: tag.to_string(),
            digest,
        })
    }

    /// The reference to resolve: the digest when there is one, else the tag.
    pub fn reference(&self) -> &str {
        if self.digest.is_empty() {
            &self.tag
        } else {
            &self.digest
        }
    }

    /// A copy with another tag (`+` turned into `_`) and no digest.
    pub fn with_tag(&self, tag: &str) -> Reference {
        Reference {
            tag: tag.replace('+', "_"),
            digest: String::new(),
            ..self.clone()
        }
    }

    /// `registry/repository`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The last path component of the repository (the chart name).
    pub fn basename(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

impl fmt::Display for Reference {
    /// Helm's `reference.String()`: `registry/repo:tag`, or
    /// `registry/repo@digest` when there is no tag.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if !self.tag.is_empty() {
            write!(f, ":{}", self.tag)
        } else if !self.digest.is_empty() {
            write!(f, "@{}", self.digest)
        } else {
            Ok(())
        }
    }
}

/// `host`, `host:port`, `[v6]:port`: what `url.ParseRequestURI("dummy://"+r)`
/// reads back as the same host.
fn valid_registry(r: &str) -> bool {
    if r.is_empty() {
        return false;
    }
    let (host, port) = if let Some(rest) = r.strip_prefix('[') {
        match rest.split_once(']') {
            Some((h, p)) => {
                if h.is_empty()
                    || !h
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
                {
                    return false;
                }
                (None, p)
            }
            None => return false,
        }
    } else {
        match r.find(':') {
            Some(i) => (Some(&r[..i]), &r[i..]),
            None => (Some(r), ""),
        }
    };
    if let Some(h) = host
        && (h.is_empty()
            || !h
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_'))
    {
        return false;
    }
    if let Some(p) = port.strip_prefix(':') {
        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
    } else {
        port.is_empty()
    }
}

/// The distribution spec's repository grammar:
/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`.
fn valid_repository(r: &str) -> bool {
    !r.is_empty() && r.split('/').all(valid_component)
}

fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`.
fn valid_tag(t: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b[1..].iter().all(|&x| word(x) || x == b'.' || x == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_helm() {
        let r = Reference::parse("oci://127.0.0.1:5000/charts/mychart:1.2.3+build.1").unwrap();
        assert_eq!(r.registry, "127.0.0.1:5000");
        assert_eq!(r.repository, "charts/mychart");
        assert_eq!(r.tag, "1.2.3_build.1");
        assert_eq!(r.to_string(), "127.0.0.1:5000/charts/mychart:1.2.3_build.1");
        assert_eq!(r.basename(), "mychart");

        let d = format!("sha256:{}", "a".repeat(64));
        let r = Reference::parse(&format!("localhost/x@{d}")).unwrap();
        assert_eq!(r.tag, "");
        assert_eq!(r.digest, d);
        assert_eq!(r.to_string(), format!("localhost/x@{d}"));
        assert_eq!(r.reference(), d);

        let r = Reference::parse("oci://localhost:5000/a/b").unwrap();
        assert_eq!(r.tag, "");
        assert_eq!(
            r.with_tag("0.1.0+x").to_string(),
            "localhost:5000/a/b:0.1.0_x"
        );
    }

    #[test]
    fn refuses_bad_references() {
        for bad in [
            "oci://localhost",
            "oci://localhost/Upper",
            "oci://localhost/a//b",
            "oci://localhost/a-/b",
            "oci://local host/a",
            "oci://localhost/a:bad!tag",
            "oci://localhost/a@sha256:zz",
            "oci://localhost/a:",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad}");
        }
        for good in ["h/a__b", "h/a.b-c/d", "h:1/a---b", "[::1]:5000/x"] {
            assert!(Reference::parse(good).is_ok(), "{good}");
        }
    }
}

//! Validators Helm's lint borrows from Go libraries: Kubernetes name
//! validation (`k8s.io/apimachinery` messages, verbatim), strict SemVer 2
//! (Masterminds `StrictNewVersion`) and govalidator's URL and email checks
//! (approximated; see COMPATIBILITY.md).

/// Go's `%q`.
fn go_quote(s: &str) -> String {
    chartkit_gotemplate::fmt::sprintf("%q", &[chartkit_gotemplate::Value::string(s)])
}

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

fn is_label(s: &str, first_alpha: bool) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && (if first_alpha {
            b[0].is_ascii_lowercase()
        } else {
            b[0] != b'-'
        })
        && b[b.len() - 1] != b'-'
}

fn dns1123_subdomain(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if !v.split('.').all(|l| is_label(l, false)) {
        errs.push(format!(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '{DNS1123_LABEL_FMT}(\\.{DNS1123_LABEL_FMT})*')"
        ));
    }
    errs
}

fn dns1123_label(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(v, false) {
        errs.push(format!(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '{DNS1123_LABEL_FMT}')"
        ));
    }
    errs
}

fn dns1035_label(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(v, true) {
        errs.push(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".to_string(),
        );
    }
    errs
}

fn path_segment(v: &str) -> Vec<String> {
    if v == "." || v == ".." {
        return vec![format!("may not be '{v}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|c| v.contains(**c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

/// Helm's `validateMetadataName`: the error after `...requirements: "<name>": `,
/// or `None` when the name is valid for `kind`.
pub fn metadata_name_error(kind: &str, name: &str) -> Option<String> {
    let errs = match kind.to_ascii_lowercase().as_str() {
        "service" => dns1035_label(name),
        "namespace" => dns1123_label(name),
        "certificatesigningrequest" => Vec::new(),
        "role" | "clusterrole" | "rolebinding" | "clusterrolebinding" => path_segment(name),
        _ => dns1123_subdomain(name),
    };
    let errs: Vec<String> = errs
        .into_iter()
        .map(|m| format!("metadata.name: Invalid value: {}: {m}", go_quote(name)))
        .collect();
    match errs.len() {
        0 => None,
        1 => errs.into_iter().next(),
        _ => Some(format!("[{}]", errs.join(", "))),
    }
}

/// Masterminds `StrictNewVersion`: `MAJOR.MINOR.PATCH[-pre][+build]`, no `v`.
pub fn is_strict_semver(v: &str) -> bool {
    let (rest, build) = match v.split_once('+') {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (rest, None),
    };
    let nums: Vec<&str> = core.split('.').collect();
    let num_ok = |n: &str| {
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && !(n.len() > 1 && n.starts_with('0'))
    };
    if nums.len() != 3 || !nums.iter().all(|n| num_ok(n)) {
        return false;
    }
    let ident_ok =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if let Some(p) = pre
        && !p.split('.').all(|i| {
            ident_ok(i)
                && !(i.bytes().all(|b| b.is_ascii_digit()) && i.len() > 1 && i.starts_with('0'))
        })
    {
        return false;
    }
    if let Some(b) = build
        && !b.split('.').all(ident_ok)
    {
        return false;
    }
    true
}

fn has_scheme(s: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = s.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some((scheme, rest))
}

/// govalidator `IsRequestURL`: Go's `url.ParseRequestURI` succeeds and the
/// URL has a scheme.
pub fn is_request_url(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| c.is_control() || c == ' ') && has_scheme(s).is_some()
}

/// govalidator `IsURL` (approximation): optional scheme, a host with a dot
/// (or `localhost`, or an IP), no spaces, at most 2083 characters.
pub fn is_url(s: &str) -> bool {
    if s.is_empty() || s.len() >= 2083 || s.len() <= 3 || s.starts_with('.') {
        return false;
    }
    if s.chars().any(char::is_whitespace) {
        return false;
    }
    let rest = match has_scheme(s) {
        Some((scheme, rest)) => {
            if !matches!(
                scheme.to_ascii_lowercase().as_str(),
                "http" | "https" | "ftp" | "irc" | "ws" | "wss"
            ) {
                return false;
            }
            rest.strip_prefix("//").unwrap_or(rest)
        }
        None => s,
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    !host.is_empty()
        && (host == "localhost" || host.contains('.'))
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && !host.starts_with('.')
        && !host.ends_with('.')
}

/// govalidator `IsEmail` (approximation of its RFC 5322 regex).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains(char::is_whitespace)
        && !domain.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_helm_messages() {
        // Texts from reference Helm v4.1.4 `helm lint` (see mod helm tests / oracle fixtures).
        assert_eq!(
            metadata_name_error("StatefulSet", "Bad_Name").unwrap(),
            "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        );
        assert_eq!(
            metadata_name_error("Service", "Svc.x").unwrap(),
            "metadata.name: Invalid value: \"Svc.x\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        );
        assert!(metadata_name_error("ConfigMap", "a.b-c").is_none());
        assert!(metadata_name_error("Role", "system:x").is_none());
        assert_eq!(
            metadata_name_error("Role", "a/b").unwrap(),
            "metadata.name: Invalid value: \"a/b\": may not contain '/'"
        );
    }

    #[test]
    fn semver_and_urls() {
        assert!(is_strict_semver("1.2.3-rc.1+b.5"));
        assert!(!is_strict_semver("v1.2.3"));
        assert!(!is_strict_semver("1.2"));
        assert!(!is_strict_semver("01.2.3"));
        assert!(is_request_url("https://example.com/x.png"));
        assert!(!is_request_url("logo.png"));
        assert!(is_url("https://github.com/x"));
        assert!(is_url("example.com"));
        assert!(!is_url("not a url"));
        assert!(is_email("a@b.io"));
        assert!(!is_email("nope"));
    }
}

//! Registry credentials and the distribution spec's token dance.
//!
//! Credentials come from, in this order: explicit `--username/--password`,
//! Helm's registry config (`$HELM_REGISTRY_CONFIG`, else
//! `$HELM_CONFIG_HOME/registry/config.json`, else
//! `$XDG_CONFIG_HOME/helm/registry/config.json`, else
//! `~/.config/helm/registry/config.json`), then Docker's
//! (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`) — Helm's
//! own order. Only inline `auths` entries are read (`auth`, or
//! `username`/`password`, or `identitytoken`); credential helpers
//! (`credsStore`, `credHelpers`) are not run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;

/// A user name and secret for one registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// User name (empty with an identity token).
    pub username: String,
    /// Password or token.
    pub password: String,
    /// An OAuth2 refresh token (`identitytoken`), exchanged at the token
    /// endpoint instead of the password.
    pub identity_token: String,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl Credential {
    /// `Basic base64(user:password)`.
    pub fn basic_header(&self) -> String {
        let raw = format!("{}:{}", self.username, self.password);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }
}

/// Credentials by registry host, from config files.
#[derive(Debug, Clone, Default)]
pub struct CredentialStore {
    entries: Vec<BTreeMap<String, Credential>>,
}

impl CredentialStore {
    /// The stores Helm consults (Helm's registry config, then Docker's),
    /// silently skipping files that are missing or unreadable.
    pub fn from_environment() -> Self {
        let mut store = CredentialStore::default();
        for p in default_config_paths() {
            if let Ok(text) = std::fs::read_to_string(&p) {
                store.entries.push(parse_config(&text));
            }
        }
        store
    }

    /// A store from explicit config files (tests, `--registry-config`).
    pub fn from_files(paths: &[&Path]) -> Self {
        let mut store = CredentialStore::default();
        for p in paths {
            if let Ok(text) = std::fs::read_to_string(p) {
                store.entries.push(parse_config(&text));
            }
        }
        store
    }

    /// The credential for `registry` (`host[:port]`), first file first.
    pub fn get(&self, registry: &str) -> Option<Credential> {
        for file in &self.entries {
            for (key, cred) in file {
                if normalize_key(key) == registry {
                    return Some(cred.clone());
                }
            }
        }
        None
    }
}

/// `https://host:port/v1/` → `host:port`; Docker Hub's legacy key maps to
/// `docker.io`.
fn normalize_key(key: &str) -> String {
    let k = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    let k = k.split('/').next().unwrap_or(k);
    if k == "index.docker.io" || k == "registry-1.docker.io" {
        return "docker.io".to_string();
    }
    k.to_string()
}

fn default_config_paths() -> Vec<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let home = var("HOME");
    let mut out = Vec::new();
    if let Some(p) = var("HELM_REGISTRY_CONFIG") {
        out.push(p);
    } else if let Some(h) = var("HELM_CONFIG_HOME") {
        out.push(h.join("registry/config.json"));
    } else if let Some(x) = var("XDG_CONFIG_HOME") {
        out.push(x.join("helm/registry/config.json"));
    } else if let Some(h) = &home {
        out.push(h.join(".config/helm/registry/config.json"));
    }
    if let Some(d) = var("DOCKER_CONFIG") {
        out.push(d.join("config.json"));
    } else if let Some(h) = &home {
        out.push(h.join(".docker/config.json"));
    }
    out
}

/// Reads the `auths` of a Docker-style `config.json`.
pub fn parse_config(text: &str) -> BTreeMap<String, Credential> {
    let mut out = BTreeMap::new();
    let Ok(serde_json::Value::Object(root)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        return out;
    };
    let Some(serde_json::Value::Object(auths)) = root.get("auths") else {
        return out;
    };
    for (host, entry) in auths {
        let s = |k: &str| {
            entry
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let mut cred = Credential {
            username: s("username"),
            password: s("password"),
            identity_token: s("identitytoken"),
        };
        let auth = s("auth");
        if !auth.is_empty()
            && let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(auth.trim())
            && let Ok(raw) = String::from_utf8(raw)
            && let Some((u, p)) = raw.split_once(':')
        {
            cred.username = u.to_string();
            cred.password = p.to_string();
        }
        if !cred.username.is_empty() || !cred.identity_token.is_empty() {
            out.insert(host.clone(), cred);
        }
    }
    out
}

/// A parsed `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    /// `Basic realm=...`.
    Basic,
    /// `Bearer realm=...,service=...,scope=...`.
    Bearer {
        /// Token endpoint.
        realm: String,
        /// `service` parameter.
        service: String,
        /// `scope` parameter, if the registry named one.
        scope: String,
    },
}

/// Parses a `WWW-Authenticate` header value (the first challenge).
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
    let params = parse_params(rest);
    match scheme.to_ascii_lowercase().as_str() {
        "basic" => Some(Challenge::Basic),
        "bearer" => Some(Challenge::Bearer {
            realm: params.get("realm")?.clone(),
            service: params.get("service").cloned().unwrap_or_default(),
            scope: params.get("scope").cloned().unwrap_or_default(),
        }),
        _ => None,
    }
}

/// `k="v", k2=v2` (quoted strings may hold commas and `\"`).
fn parse_params(s: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] == b' ' || b[i] == b',') {
            i += 1;
        }
        let ks = i;
        while i < b.len() && b[i] != b'=' && b[i] != b',' {
            i += 1;
        }
        let key = s[ks..i].trim().to_ascii_lowercase();
        if i >= b.len() || b[i] != b'=' {
            continue;
        }
        i += 1;
        let mut val = String::new();
        if i < b.len() && b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                let ch_len = s[i..].chars().next().map_or(1, char::len_utf8);
                val.push_str(&s[i..i + ch_len]);
                i += ch_len;
            }
            i += 1;
        } else {
            let vs = i;
            while i < b.len() && b[i] != b',' {
                i += 1;
            }
            val = s[vs..i].trim().to_string();
        }
        if !key.is_empty() {
            out.insert(key, val);
        }
    }
    out
}

/// Percent-encodes a query parameter value.
pub fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges() {
        assert_eq!(
            parse_challenge(
                r#"Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push""#
            ),
            Some(Challenge::Bearer {
                realm: "https://auth.example/token".into(),
                service: "registry.example".into(),
                scope: "repository:a/b:pull,push".into(),
            })
        );
        assert_eq!(
            parse_challenge(r#"Basic realm="Registry Realm""#),
            Some(Challenge::Basic)
        );
        assert_eq!(parse_challenge("Negotiate"), None);
    }

    #[test]
    fn config_files() {
        let text = r#"{"auths":{"https://127.0.0.1:5000/v1/":{"auth":"dXNlcjpwYTpzcw=="},
            "other:1":{"username":"u","password":"p"},"empty":{}},"credsStore":"desktop"}"#;
        let m = parse_config(text);
        assert_eq!(m.len(), 2);
        let store = CredentialStore { entries: vec![m] };
        let c = store.get("127.0.0.1:5000").unwrap();
        assert_eq!(
            (c.username.as_str(), c.password.as_str()),
            ("user", "pa:ss")
        );
        assert_eq!(c.basic_header(), "Basic dXNlcjpwYTpzcw==");
        assert!(store.get("other:1").is_some());
        assert!(store.get("nowhere").is_none());
        assert!(!format!("{c:?}").contains("pa:ss"));
        assert!(parse_config("not json").is_empty());
    }

    #[test]
    fn escapes_queries() {
        assert_eq!(
            query_escape("repository:a/b:pull,push"),
            "repository%3Aa%2Fb%3Apull%2Cpush"
        );
    }
}

//! A blocking OCI distribution client (the parts of the distribution spec
//! `helm push`/`helm pull` use): blob existence checks and monolithic
//! uploads, manifests by tag or digest, tag listing, token and basic auth.
//!
//! Every byte read from a registry is checked: manifests and blobs against
//! the digest asked for (and the size the descriptor states), with reads
//! bounded so a hostile registry cannot make us buffer without limit.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use ureq::http;

use super::auth::{Challenge, Credential, CredentialStore, parse_challenge, query_escape};
use super::digest;
use super::reference::Reference;
use super::{Descriptor, OciError};

/// Largest manifest accepted (the distribution spec suggests 4 MiB).
pub const MAX_MANIFEST_SIZE: u64 = 4 * 1024 * 1024;

/// Largest blob accepted (charts are at most 100 MiB unpacked; plugin
/// components are tens of MiB).
pub const MAX_BLOB_SIZE: u64 = 512 * 1024 * 1024;

/// OCI image manifest media type.
pub const MEDIA_TYPE_IMAGE_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// OCI image index media type.
pub const MEDIA_TYPE_IMAGE_INDEX: &str = "application/vnd.oci.image.index.v1+json";

/// How to reach registries (Helm's registry flags).
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    /// `--plain-http`: HTTP instead of HTTPS.
    pub plain_http: bool,
    /// `--username` (with `password`): used instead of config files.
    pub username: Option<String>,
    /// `--password`.
    pub password: Option<String>,
    /// `--insecure-skip-tls-verify`.
    pub insecure_skip_tls_verify: bool,
    /// `--ca-file`: PEM roots to trust instead of the built-in ones.
    pub ca_file: Option<PathBuf>,
    /// `--cert-file`: PEM client certificate chain.
    pub cert_file: Option<PathBuf>,
    /// `--key-file`: PEM client key.
    pub key_file: Option<PathBuf>,
    /// Credential files; `None` reads Helm's and Docker's default ones.
    pub credentials: Option<CredentialStore>,
}

/// A registry client. Cheap to share; remembers tokens per repository.
#[derive(Debug)]
pub struct Client {
    agent: ureq::Agent,
    direct: ureq::Agent,
    scheme: &'static str,
    explicit: Option<Credential>,
    store: CredentialStore,
    auth_cache: Mutex<HashMap<(String, String), String>>,
}

/// What a manifest fetch returned.
#[derive(Debug, Clone)]
pub struct FetchedManifest {
    /// The raw bytes (verified against `digest`).
    pub bytes: Vec<u8>,
    /// `sha256:` digest of `bytes`.
    pub digest: String,
    /// `Content-Type` the registry sent.
    pub media_type: String,
}

enum Body<'a> {
    None,
    Bytes(&'a [u8]),
}

struct Resp {
    status: u16,
    headers: http::HeaderMap,
    body: ureq::Body,
}

impl Client {
    /// A client with the given options.
    pub fn new(opts: ClientOptions) -> Result<Client, OciError> {
        let explicit = match (&opts.username, &opts.password) {
            (Some(u), p) if !u.is_empty() => Some(Credential {
                username: u.clone(),
                password: p.clone().unwrap_or_default(),
                identity_token: String::new(),
            }),
            _ => None,
        };
        let build = |proxy_from_env: bool| -> Result<ureq::Agent, OciError> {
            let mut cfg = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .user_agent(concat!("chartkit/", env!("CARGO_PKG_VERSION")))
                .timeout_connect(Some(Duration::from_secs(30)))
                .timeout_global(Some(Duration::from_secs(900)))
                .max_redirects(10);
            if !proxy_from_env {
                cfg = cfg.proxy(None);
            }
            #[cfg(feature = "https")]
            {
                cfg = cfg.tls_config(tls_config(&opts)?);
            }
            #[cfg(not(feature = "https"))]
            if !opts.plain_http {
                return Err(OciError::Tls(
                    "this chartkit was built without HTTPS support; use --plain-http".into(),
                ));
            }
            Ok(cfg.build().into())
        };
        Ok(Client {
            agent: build(true)?,
            direct: build(false)?,
            scheme: if opts.plain_http { "http" } else { "https" },
            explicit,
            store: opts
                .credentials
                .unwrap_or_else(CredentialStore::from_environment),
            auth_cache: Mutex::new(HashMap::new()),
        })
    }

    fn agent_for(&self, registry: &str) -> &ureq::Agent {
        // Go's ProxyFromEnvironment never proxies loopback hosts.
        let host = registry.rsplit_once(':').map_or(registry, |(h, _)| h);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host == "localhost" || host.starts_with("127.") || host == "::1" {
            &self.direct
        } else {
            &self.agent
        }
    }

    fn base(&self, r: &Reference) -> String {
        format!("{}://{}/v2/{}", self.scheme, r.registry, r.repository)
    }

    fn credential(&self, registry: &str) -> Option<Credential> {
        self.explicit.clone().or_else(|| self.store.get(registry))
    }

    /// Sends a request, answering one authentication challenge.
    fn send(
        &self,
        r: &Reference,
        actions: &str,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
    ) -> Result<Resp, OciError> {
        let scope = format!("repository:{}:{actions}", r.repository);
        let key = (r.registry.clone(), scope.clone());
        let cached = self
            .auth_cache
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned());
        let resp = self.raw(&r.registry, method, url, headers, cached.as_deref(), &body)?;
        if resp.status != 401 {
            return Ok(resp);
        }
        let challenge = resp
            .headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_challenge);
        let cred = self.credential(&r.registry);
        let auth = match challenge {
            Some(Challenge::Basic) => match &cred {
                Some(c) => c.basic_header(),
                None => return Err(unauthorized(method, url, "basic credential not found")),
            },
            Some(Challenge::Bearer {
                realm,
                service,
                scope: wanted,
            }) => {
                let token = self.fetch_token(
                    &r.registry,
                    &realm,
                    &service,
                    &scope,
                    &wanted,
                    cred.as_ref(),
                )?;
                format!("Bearer {token}")
            }
            None => return Err(http_error(method, url, resp)),
        };
        let resp = self.raw(&r.registry, method, url, headers, Some(&auth), &body)?;
        if resp.status == 401 {
            return Err(http_error(method, url, resp));
        }
        if let Ok(mut m) = self.auth_cache.lock() {
            m.insert(key, auth);
        }
        Ok(resp)
    }

    fn raw(
        &self,
        registry: &str,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        auth: Option<&str>,
        body: &Body<'_>,
    ) -> Result<Resp, OciError> {
        let mut b = http::Request::builder().method(method).uri(url);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        if let Some(a) = auth {
            b = b.header("Authorization", a);
        }
        let agent = self.agent_for(registry);
        let result = match body {
            Body::None => b.body(()).map(|req| agent.run(req)),
            Body::Bytes(data) => b.body(*data).map(|req| agent.run(req)),
        };
        let resp = result
            .map_err(|e| OciError::Transport(format!("{method} {url:?}: {e}")))?
            .map_err(|e| OciError::Transport(format!("{method} {url:?}: {e}")))?;
        let status = resp.status().as_u16();
        let (parts, body) = resp.into_parts();
        Ok(Resp {
            status,
            headers: parts.headers,
            body,
        })
    }

    fn fetch_token(
        &self,
        registry: &str,
        realm: &str,
        service: &str,
        scope: &str,
        wanted: &str,
        cred: Option<&Credential>,
    ) -> Result<String, OciError> {
        let mut scopes = vec![scope.to_string()];
        if !wanted.is_empty() && wanted != scope {
            scopes.push(wanted.to_string());
        }
        let resp = if let Some(c) = cred.filter(|c| !c.identity_token.is_empty()) {
            let mut form = format!(
                "grant_type=refresh_token&client_id=chartkit&refresh_token={}",
                query_escape(&c.identity_token)
            );
            if !service.is_empty() {
                form.push_str(&format!("&service={}", query_escape(service)));
            }
            for s in &scopes {
                form.push_str(&format!("&scope={}", query_escape(s)));
            }
            self.raw(
                registry,
                "POST",
                realm,
                &[("Content-Type", "application/x-www-form-urlencoded")],
                None,
                &Body::Bytes(form.as_bytes()),
            )?
        } else {
            let mut url = realm.to_string();
            let mut sep = if url.contains('?') { '&' } else { '?' };
            if !service.is_empty() {
                url.push_str(&format!("{sep}service={}", query_escape(service)));
                sep = '&';
            }
            for s in &scopes {
                url.push_str(&format!("{sep}scope={}", query_escape(s)));
                sep = '&';
            }
            let auth = cred.map(Credential::basic_header);
            self.raw(registry, "GET", &url, &[], auth.as_deref(), &Body::None)?
        };
        if resp.status != 200 {
            return Err(http_error("GET", realm, resp));
        }
        let mut body = resp.body;
        let bytes = body
            .with_config()
            .limit(1024 * 1024)
            .read_to_vec()
            .map_err(|e| OciError::Transport(format!("GET {realm:?}: {e}")))?;
        let v: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| OciError::Auth(format!("token response from {realm}: {e}")))?;
        for k in ["token", "access_token"] {
            if let Some(t) = v.get(k).and_then(|t| t.as_str()).filter(|t| !t.is_empty()) {
                return Ok(t.to_string());
            }
        }
        Err(OciError::Auth(format!(
            "no token in the response from {realm}"
        )))
    }

    /// Whether the repository already has blob `digest` (`HEAD`).
    pub fn blob_exists(&self, r: &Reference, digest: &str) -> Result<bool, OciError> {
        let url = format!("{}/blobs/{digest}", self.base(r));
        let resp = self.send(r, "pull,push", "HEAD", &url, &[], Body::None)?;
        match resp.status {
            200 => Ok(true),
            404 => Ok(false),
            _ => Err(http_error("HEAD", &url, resp)),
        }
    }

    /// Uploads a blob unless the registry has it (`POST` then `PUT ?digest=`).
    pub fn push_blob(&self, r: &Reference, desc: &Descriptor, data: &[u8]) -> Result<(), OciError> {
        if !digest::matches(&desc.digest, data) || desc.size != data.len() as u64 {
            return Err(OciError::DigestMismatch {
                what: "blob to push".into(),
                expected: desc.digest.clone(),
                actual: digest::sha256_digest(data),
            });
        }
        if self.blob_exists(r, &desc.digest)? {
            return Ok(());
        }
        let url = format!("{}/blobs/uploads/", self.base(r));
        let resp = self.send(
            r,
            "pull,push",
            "POST",
            &url,
            &[("Content-Length", "0")],
            Body::None,
        )?;
        if resp.status != 202 {
            return Err(http_error("POST", &url, resp));
        }
        let location = resp
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| OciError::Protocol(format!("POST {url:?}: no Location header")))?;
        let mut put = self.absolute(r, location);
        put.push(if put.contains('?') { '&' } else { '?' });
        put.push_str("digest=");
        put.push_str(&query_escape(&desc.digest));
        let len = data.len().to_string();
        let resp = self.send(
            r,
            "pull,push",
            "PUT",
            &put,
            &[
                ("Content-Type", "application/octet-stream"),
                ("Content-Length", &len),
            ],
            Body::Bytes(data),
        )?;
        if resp.status != 201 {
            return Err(http_error("PUT", &put, resp));
        }
        Ok(())
    }

    fn absolute(&self, r: &Reference, location: &str) -> String {
        if location.starts_with("http://") || location.starts_with("https://") {
            location.to_string()
        } else if location.starts_with('/') {
            format!("{}://{}{location}", self.scheme, r.registry)
        } else {
            format!("{}/blobs/uploads/{location}", self.base(r))
        }
    }

    /// Uploads a manifest under `reference` (a tag or digest) and returns
    /// its digest.
    pub fn push_manifest(
        &self,
        r: &Reference,
        reference: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<String, OciError> {
        let url = format!("{}/manifests/{reference}", self.base(r));
        let len = bytes.len().to_string();
        let resp = self.send(
            r,
            "pull,push",
            "PUT",
            &url,
            &[("Content-Type", media_type), ("Content-Length", &len)],
            Body::Bytes(bytes),
        )?;
        if resp.status != 201 {
            return Err(http_error("PUT", &url, resp));
        }
        let ours = digest::sha256_digest(bytes);
        if let Some(theirs) = resp
            .headers
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            && theirs != ours
        {
            return Err(OciError::DigestMismatch {
                what: format!("manifest {r}"),
                expected: ours,
                actual: theirs.to_string(),
            });
        }
        Ok(ours)
    }

    /// Fetches a manifest by tag or digest (`reference`). The bytes are
    /// checked against the digest when fetched by digest, and against the
    /// `Docker-Content-Digest` header when the registry sends one.
    pub fn fetch_manifest(
        &self,
        r: &Reference,
        reference: &str,
        accept: &[&str],
    ) -> Result<FetchedManifest, OciError> {
        let url = format!("{}/manifests/{reference}", self.base(r));
        let accept = accept.join(", ");
        let resp = self.send(r, "pull", "GET", &url, &[("Accept", &accept)], Body::None)?;
        if resp.status != 200 {
            return Err(http_error("GET", &url, resp));
        }
        let media_type = header(&resp.headers, "content-type")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let claimed = header(&resp.headers, "docker-content-digest");
        let bytes = read_limited(resp.body, MAX_MANIFEST_SIZE, "GET", &url)?;
        let by_digest = reference.contains(':');
        let check = if by_digest {
            reference.to_string()
        } else {
            claimed.clone()
        };
        let digest = if check.is_empty() {
            digest::sha256_digest(&bytes)
        } else {
            let actual = digest::digest_like(&check, &bytes).map_err(|e| {
                OciError::Protocol(format!("GET {url:?}: bad digest {check:?}: {e}"))
            })?;
            if actual != check {
                return Err(OciError::DigestMismatch {
                    what: format!("manifest {}", r.with_tag(reference)),
                    expected: check,
                    actual,
                });
            }
            actual
        };
        Ok(FetchedManifest {
            bytes,
            digest,
            media_type,
        })
    }

    /// Fetches a blob and verifies its size and digest against `desc`.
    /// Nothing is returned (so nothing can be written) unless both match.
    pub fn fetch_blob(&self, r: &Reference, desc: &Descriptor) -> Result<Vec<u8>, OciError> {
        digest::check_digest_syntax(&desc.digest)
            .map_err(|e| OciError::Protocol(format!("descriptor digest {:?}: {e}", desc.digest)))?;
        if desc.size > MAX_BLOB_SIZE {
            return Err(OciError::Protocol(format!(
                "blob {} is {} bytes, more than the limit {MAX_BLOB_SIZE}",
                desc.digest, desc.size
            )));
        }
        let url = format!("{}/blobs/{}", self.base(r), desc.digest);
        let resp = self.send(r, "pull", "GET", &url, &[], Body::None)?;
        if resp.status != 200 {
            return Err(http_error("GET", &url, resp));
        }
        let data = read_limited(resp.body, desc.size, "GET", &url)?;
        if data.len() as u64 != desc.size {
            return Err(OciError::SizeMismatch {
                digest: desc.digest.clone(),
                expected: desc.size,
                actual: data.len() as u64,
            });
        }
        if !digest::matches(&desc.digest, &data) {
            return Err(OciError::DigestMismatch {
                what: format!("blob {}", desc.media_type),
                expected: desc.digest.clone(),
                actual: digest::digest_like(&desc.digest, &data).unwrap_or_default(),
            });
        }
        Ok(data)
    }

    /// Every tag of the repository (following `Link` pagination).
    pub fn tags(&self, r: &Reference) -> Result<Vec<String>, OciError> {
        let mut url = format!("{}/tags/list", self.base(r));
        let mut out = Vec::new();
        for _ in 0..1000 {
            let resp = self.send(r, "pull", "GET", &url, &[], Body::None)?;
            if resp.status != 200 {
                return Err(http_error("GET", &url, resp));
            }
            let link = header(&resp.headers, "link");
            let bytes = read_limited(resp.body, MAX_MANIFEST_SIZE, "GET", &url)?;
            let v: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| OciError::Protocol(format!("GET {url:?}: {e}")))?;
            if let Some(tags) = v.get("tags").and_then(|t| t.as_array()) {
                out.extend(tags.iter().filter_map(|t| t.as_str().map(str::to_string)));
            }
            match next_link(&link) {
                Some(next) => url = self.absolute(r, &next),
                None => return Ok(out),
            }
        }
        Err(OciError::Protocol(format!(
            "GET {url:?}: too many pages of tags"
        )))
    }
}

fn header(h: &http::HeaderMap, name: &str) -> String {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// `<url>; rel="next"`.
fn next_link(link: &str) -> Option<String> {
    let (target, params) = link.split_once(';')?;
    if !params.contains("rel=\"next\"") && !params.contains("rel=next") {
        return None;
    }
    Some(
        target
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_string(),
    )
}

/// Reads at most `limit` bytes; one byte more is an error (the registry
/// sent more than it promised).
fn read_limited(
    mut body: ureq::Body,
    limit: u64,
    method: &str,
    url: &str,
) -> Result<Vec<u8>, OciError> {
    use std::io::Read;
    let mut out = Vec::new();
    body.as_reader()
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| OciError::Transport(format!("{method} {url:?}: {e}")))?;
    if out.len() as u64 > limit {
        return Err(OciError::Protocol(format!(
            "{method} {url:?}: response larger than the expected {limit} bytes"
        )));
    }
    Ok(out)
}

fn unauthorized(method: &str, url: &str, why: &str) -> OciError {
    OciError::Auth(format!(
        "{method} {url:?}: response status code 401: unauthorized: {why}"
    ))
}

/// oras-go's error text: `PUT "url": response status code 404: name
/// unknown: repository name not known to registry`.
fn http_error(method: &str, url: &str, resp: Resp) -> OciError {
    let status = resp.status;
    let mut body = resp.body;
    let bytes = body
        .with_config()
        .limit(64 * 1024)
        .read_to_vec()
        .unwrap_or_default();
    let mut detail = Vec::new();
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes)
        && let Some(errs) = v.get("errors").and_then(|e| e.as_array())
    {
        for e in errs {
            let code = e.get("code").and_then(|c| c.as_str()).unwrap_or("");
            let msg = e.get("message").and_then(|c| c.as_str()).unwrap_or("");
            let code = code.replace('_', " ").to_lowercase();
            detail.push(match (code.is_empty(), msg.is_empty()) {
                (false, false) => format!("{code}: {msg}"),
                (false, true) => code,
                _ => msg.to_string(),
            });
        }
    }
    let text = if detail.is_empty() {
        http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("")
            .to_string()
    } else {
        detail.join("; ")
    };
    OciError::Http {
        method: method.to_string(),
        url: url.to_string(),
        status,
        message: text,
    }
}

#[cfg(feature = "https")]
fn tls_config(opts: &ClientOptions) -> Result<ureq::tls::TlsConfig, OciError> {
    use ureq::tls::{Certificate, ClientCert, PrivateKey, RootCerts, TlsConfig};
    let read = |p: &PathBuf| {
        std::fs::read(p).map_err(|e| OciError::Tls(format!("can't read {}: {e}", p.display())))
    };
    let mut b = TlsConfig::builder().disable_verification(opts.insecure_skip_tls_verify);
    if let Some(ca) = &opts.ca_file {
        let pem = read(ca)?;
        let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(OciError::Tls(format!(
                "no certificates in {}",
                ca.display()
            )));
        }
        b = b.root_certs(RootCerts::new_with_certs(&certs));
    }
    if let (Some(cert), Some(key)) = (&opts.cert_file, &opts.key_file) {
        let pem = read(cert)?;
        let chain: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        let key_pem = read(key)?;
        let key = PrivateKey::from_pem(&key_pem)
            .map_err(|e| OciError::Tls(format!("can't read key {}: {e}", key.display())))?;
        b = b.client_cert(Some(ClientCert::new_with_certs(&chain, key)));
    }
    Ok(b.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        assert_eq!(
            next_link(r#"</v2/a/tags/list?last=b&n=2>; rel="next""#).as_deref(),
            Some("/v2/a/tags/list?last=b&n=2")
        );
        assert_eq!(next_link(""), None);
    }
}

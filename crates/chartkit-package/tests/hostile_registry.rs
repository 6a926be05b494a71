//! A fake registry on loopback that lies: wrong blob bytes for a digest,
//! oversized blobs, manifests that do not match their digest, hostile
//! chart archives; and one that demands bearer tokens. Every lie must end
//! in a clear error with nothing written.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use chartkit_package::oci::digest::sha256_digest;
use chartkit_package::oci::{
    self, Client, ClientOptions, CredentialStore, Descriptor, Manifest, OciError, PullOptions,
};
use chartkit_package::tarball::{TarWriter, gzip_helm};

type Route = (u16, Vec<(String, String)>, Vec<u8>);
type Seen = Arc<Mutex<Vec<(String, HashMap<String, String>)>>>;

/// Serves `routes` (by "METHOD /path", query stripped); records requests.
struct FakeRegistry {
    addr: String,
    seen: Seen,
}

impl FakeRegistry {
    fn start(
        routes: impl Fn(&str, &HashMap<String, String>) -> Route + Send + 'static,
    ) -> FakeRegistry {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(200) {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let mut parts = line.split_whitespace();
                let method = parts.next().unwrap_or("").to_string();
                let target = parts.next().unwrap_or("").to_string();
                let mut headers = HashMap::new();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = h.trim_end().split_once(':') {
                        headers.insert(k.to_ascii_lowercase(), v.trim().to_string());
                    }
                }
                let len: usize = headers
                    .get("content-length")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; len];
                let _ = reader.read_exact(&mut body);
                let path = target.split('?').next().unwrap_or("").to_string();
                let key = format!("{method} {path}");
                log.lock().unwrap().push((key.clone(), headers.clone()));
                let (status, hdrs, body) = routes(&key, &headers);
                let mut resp = format!(
                    "HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {}\r\n",
                    body.len()
                );
                for (k, v) in hdrs {
                    resp.push_str(&format!("{k}: {v}\r\n"));
                }
                resp.push_str("\r\n");
                let _ = stream.write_all(resp.as_bytes());
                if method != "HEAD" {
                    let _ = stream.write_all(&body);
                }
            }
        });
        FakeRegistry { addr, seen }
    }
}

fn client() -> Client {
    Client::new(ClientOptions {
        plain_http: true,
        credentials: Some(CredentialStore::default()),
        ..Default::default()
    })
    .unwrap()
}

fn chart_tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = TarWriter::new();
    for (n, d) in entries {
        w.append_file(n, d, 0).unwrap();
    }
    gzip_helm(&w.finish()).unwrap()
}

/// A chart manifest whose chart layer descriptor is for `claimed` while
/// the registry serves `served`.
fn serve_chart(claimed: Vec<u8>, served: Vec<u8>) -> FakeRegistry {
    let config = br#"{"name":"c","version":"1.0.0","apiVersion":"v2"}"#.to_vec();
    let cfg = Descriptor::of(oci::CONFIG_MEDIA_TYPE, &config);
    let layer = Descriptor::of(oci::CHART_LAYER_MEDIA_TYPE, &claimed);
    let manifest = Manifest {
        config: cfg.clone(),
        layers: vec![layer.clone()],
        ..Default::default()
    }
    .to_json()
    .unwrap()
    .into_bytes();
    FakeRegistry::start(move |key, _| {
        let ct = vec![(
            "Content-Type".to_string(),
            "application/vnd.oci.image.manifest.v1+json".to_string(),
        )];
        if key == "GET /v2/charts/c/manifests/1.0.0" {
            (200, ct, manifest.clone())
        } else if key == format!("GET /v2/charts/c/blobs/{}", cfg.digest) {
            (200, vec![], config.clone())
        } else if key == format!("GET /v2/charts/c/blobs/{}", layer.digest) {
            (200, vec![], served.clone())
        } else {
            (
                404,
                vec![],
                br#"{"errors":[{"code":"NAME_UNKNOWN","message":"nope"}]}"#.to_vec(),
            )
        }
    })
}

fn pull(
    reg: &FakeRegistry,
    dest: &std::path::Path,
    untar: bool,
) -> Result<oci::PullResult, OciError> {
    oci::pull_chart(
        &client(),
        &format!("oci://{}/charts/c", reg.addr),
        &PullOptions {
            version: Some("1.0.0".into()),
            dest: Some(dest.into()),
            untar,
            ..Default::default()
        },
    )
}

fn is_empty_dir(p: &std::path::Path) -> bool {
    std::fs::read_dir(p)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true)
}

#[test]
fn honest_fake_registry_works() {
    let good = chart_tgz(&[("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n")]);
    let reg = serve_chart(good.clone(), good.clone());
    let dest = tempfile::tempdir().unwrap();
    let r = pull(&reg, dest.path(), false).unwrap();
    assert_eq!(std::fs::read(r.path).unwrap(), good);
}

#[test]
fn lying_blob_digest_is_refused_and_nothing_written() {
    let good = chart_tgz(&[("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n")]);
    let mut evil = good.clone();
    let last = evil.len() - 1;
    evil[last] ^= 0xff;
    let reg = serve_chart(good, evil);
    let dest = tempfile::tempdir().unwrap();
    let e = pull(&reg, dest.path(), false).unwrap_err();
    assert!(matches!(e, OciError::DigestMismatch { .. }), "{e}");
    assert!(e.to_string().starts_with("digest mismatch for blob application/vnd.cncf.helm.chart.content.v1.tar+gzip: expected sha256:"), "{e}");
    assert!(is_empty_dir(dest.path()));
}

#[test]
fn oversized_blob_is_refused() {
    let good = chart_tgz(&[("c/Chart.yaml", b"name: c\nversion: 1.0.0\n")]);
    let mut big = good.clone();
    big.extend_from_slice(&[0u8; 4096]);
    let reg = serve_chart(good, big);
    let dest = tempfile::tempdir().unwrap();
    let e = pull(&reg, dest.path(), false).unwrap_err();
    assert!(
        e.to_string().contains("response larger than the expected"),
        "{e}"
    );
    assert!(is_empty_dir(dest.path()));
}

#[test]
fn hostile_archives_with_untar_write_nothing() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "traversal",
            chart_tgz(&[
                ("c/Chart.yaml", b"name: c\n"),
                ("c/../../../etc/evil", b"x"),
            ]),
        ),
        ("absolute", {
            let mut w = TarWriter::new();
            w.append_file("c/Chart.yaml", b"name: c\n", 0).unwrap();
            w.append_file("c//etc/evil", b"x", 0).unwrap();
            gzip_helm(&w.finish()).unwrap()
        }),
        (
            "too large",
            chart_tgz(&[
                ("c/Chart.yaml", b"name: c\n"),
                ("c/big", &vec![b'a'; 6 * 1024 * 1024]),
            ]),
        ),
        ("not gzip", b"PK\x03\x04 this is a zip".to_vec()),
        ("dot name", chart_tgz(&[("c/Chart.yaml", b"name: ..\n")])),
    ];
    for (what, bytes) in cases {
        let reg = serve_chart(bytes.clone(), bytes);
        let dest = tempfile::tempdir().unwrap();
        let e = pull(&reg, dest.path(), true).unwrap_err();
        assert!(!e.to_string().is_empty());
        assert!(
            is_empty_dir(dest.path()),
            "{what}: wrote {:?}",
            std::fs::read_dir(dest.path()).unwrap().collect::<Vec<_>>()
        );
        eprintln!("{what}: {e}");
    }
}

#[test]
fn manifest_not_matching_its_digest_is_refused() {
    let manifest = br#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"#.to_vec();
    let wrong = sha256_digest(b"something else");
    let claimed = wrong.clone();
    let reg = FakeRegistry::start(move |key, _| {
        if key.starts_with("GET /v2/charts/c/manifests/") {
            (
                200,
                vec![
                    ("Docker-Content-Digest".into(), claimed.clone()),
                    (
                        "Content-Type".into(),
                        "application/vnd.oci.image.manifest.v1+json".into(),
                    ),
                ],
                manifest.clone(),
            )
        } else {
            (404, vec![], vec![])
        }
    });
    let dest = tempfile::tempdir().unwrap();
    let e = pull(&reg, dest.path(), false).unwrap_err();
    assert!(matches!(e, OciError::DigestMismatch { .. }), "{e}");
    // By digest: the bytes must hash to the digest asked for.
    let e = oci::pull_chart(
        &client(),
        &format!("oci://{}/charts/c@{wrong}", reg.addr),
        &PullOptions {
            dest: Some(dest.path().into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(matches!(e, OciError::DigestMismatch { .. }), "{e}");
    assert!(is_empty_dir(dest.path()));
}

#[test]
fn bearer_token_flow() {
    let good = chart_tgz(&[("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n")]);
    let config = br#"{"name":"c","version":"1.0.0"}"#.to_vec();
    let cfg = Descriptor::of(oci::CONFIG_MEDIA_TYPE, &config);
    let layer = Descriptor::of(oci::CHART_LAYER_MEDIA_TYPE, &good);
    let manifest = Manifest {
        config: cfg.clone(),
        layers: vec![layer.clone()],
        ..Default::default()
    }
    .to_json()
    .unwrap()
    .into_bytes();
    let addr_cell: Arc<Mutex<String>> = Arc::new(Mutex::new(String::new()));
    let cell = addr_cell.clone();
    let served = good.clone();
    let reg = FakeRegistry::start(move |key, h| {
        if key == "GET /token" {
            return if h.get("authorization").map(String::as_str) == Some("Basic dXNlcjpwYXNz") {
                (200, vec![], br#"{"token":"tok123"}"#.to_vec())
            } else {
                (401, vec![], vec![])
            };
        }
        if h.get("authorization").map(String::as_str) != Some("Bearer tok123") {
            let realm = format!("http://{}/token", cell.lock().unwrap());
            return (
                401,
                vec![(
                    "WWW-Authenticate".into(),
                    format!(
                        "Bearer realm=\"{realm}\",service=\"fake\",scope=\"repository:charts/c:pull\""
                    ),
                )],
                vec![],
            );
        }
        if key == "GET /v2/charts/c/manifests/1.0.0" {
            (
                200,
                vec![(
                    "Content-Type".into(),
                    "application/vnd.oci.image.manifest.v1+json".into(),
                )],
                manifest.clone(),
            )
        } else if key == format!("GET /v2/charts/c/blobs/{}", cfg.digest) {
            (200, vec![], config.clone())
        } else if key == format!("GET /v2/charts/c/blobs/{}", layer.digest) {
            (200, vec![], served.clone())
        } else {
            (404, vec![], vec![])
        }
    });
    *addr_cell.lock().unwrap() = reg.addr.clone();
    let dir = tempfile::tempdir().unwrap();
    // Credentials from a Docker-style config file.
    let cfg_file = dir.path().join("config.json");
    std::fs::write(
        &cfg_file,
        format!(
            r#"{{"auths":{{"{}":{{"auth":"dXNlcjpwYXNz"}}}}}}"#,
            reg.addr
        ),
    )
    .unwrap();
    let c = Client::new(ClientOptions {
        plain_http: true,
        credentials: Some(CredentialStore::from_files(&[&cfg_file])),
        ..Default::default()
    })
    .unwrap();
    let dest = dir.path().join("out");
    let r = oci::pull_chart(
        &c,
        &format!("oci://{}/charts/c", reg.addr),
        &PullOptions {
            version: Some("1.0.0".into()),
            dest: Some(dest.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(std::fs::read(r.path).unwrap(), good);
    let seen = reg.seen.lock().unwrap();
    let token_calls = seen.iter().filter(|(k, _)| k == "GET /token").count();
    assert_eq!(
        token_calls, 1,
        "the token is cached per repository and scope"
    );
    // Without credentials: a clear error.
    drop(seen);
    let e = oci::pull_chart(
        &client(),
        &format!("oci://{}/charts/c", reg.addr),
        &PullOptions {
            version: Some("1.0.0".into()),
            dest: Some(dest),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("response status code 401"), "{e}");
}

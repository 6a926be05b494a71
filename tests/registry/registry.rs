//! A real OCI registry for tests: Debian's `docker-registry` (CNCF
//! distribution) listening on a free loopback port with storage in a
//! temporary directory, stopped when the handle is dropped.
//!
//! Include from a crate's tests with
//! `#[path = "../../../tests/registry/registry.rs"] mod registry;`.
//! The binary is `$CHARTKIT_REGISTRY_BIN`, else `/usr/bin/docker-registry`,
//! else `docker-registry` on `PATH`; [`Registry::start`] returns `Err(why)`
//! when it is missing or does not come up, so tests can print the reason
//! and skip.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running registry; killed and cleaned up on drop.
pub struct Registry {
    child: Child,
    /// `127.0.0.1:<port>`.
    pub addr: String,
    dir: PathBuf,
}

fn find_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHARTKIT_REGISTRY_BIN").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let default = Path::new("/usr/bin/docker-registry");
    if default.is_file() {
        return Some(default.to_path_buf());
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("docker-registry"))
            .find(|p| p.is_file())
    })
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// `GET /v2/` answered with 200.
fn ping(addr: &str) -> bool {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let req = format!("GET /v2/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut buf = [0u8; 32];
    let n = s.read(&mut buf).unwrap_or(0);
    buf[..n].starts_with(b"HTTP/1.1 200")
}

impl Registry {
    /// Starts a registry in a fresh temporary directory.
    pub fn start() -> Result<Registry, String> {
        let bin = find_binary().ok_or_else(|| {
            "docker-registry not found (apt-get install docker-registry, or set CHARTKIT_REGISTRY_BIN)"
                .to_string()
        })?;
        let dir = std::env::temp_dir().join(format!(
            "chartkit-registry-{}-{}",
            std::process::id(),
            free_port().map_err(|e| e.to_string())?
        ));
        std::fs::create_dir_all(dir.join("data")).map_err(|e| e.to_string())?;
        let mut last_err = String::new();
        for _ in 0..3 {
            let port = free_port().map_err(|e| e.to_string())?;
            let addr = format!("127.0.0.1:{port}");
            let config = format!(
                "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {addr}\n  secret: chartkit-test-secret\n",
                dir.join("data").display()
            );
            let cfg_path = dir.join("config.yml");
            std::fs::write(&cfg_path, config).map_err(|e| e.to_string())?;
            let log = std::fs::File::create(dir.join("registry.log")).map_err(|e| e.to_string())?;
            let mut child = Command::new(&bin)
                .arg("serve")
                .arg(&cfg_path)
                .stdin(Stdio::null())
                .stdout(log.try_clone().map_err(|e| e.to_string())?)
                .stderr(log)
                .spawn()
                .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
            let deadline = Instant::now() + Duration::from_secs(15);
            while Instant::now() < deadline {
                if ping(&addr) {
                    return Ok(Registry { child, addr, dir });
                }
                if let Ok(Some(status)) = child.try_wait() {
                    last_err = format!(
                        "docker-registry exited with {status}: {}",
                        std::fs::read_to_string(dir.join("registry.log")).unwrap_or_default()
                    );
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
            if last_err.is_empty() {
                last_err = format!("docker-registry did not answer on {addr}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        Err(last_err)
    }

    /// `oci://127.0.0.1:<port>`.
    pub fn oci_url(&self) -> String {
        format!("oci://{}", self.addr)
    }

    /// The registry's log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("registry.log")).unwrap_or_default()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The reference Helm: `$CHARTKIT_REFERENCE_HELM`, else the default
/// install path; `Err(why)` when neither exists.
pub fn reference_helm() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("CHARTKIT_REFERENCE_HELM").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "CHARTKIT_REFERENCE_HELM={} does not exist",
                p.display()
            ))
        };
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let p = home.join(".cache/chartkit-ref/helm/helm");
    if p.is_file() {
        Ok(p)
    } else {
        Err(format!(
            "reference Helm not found (set CHARTKIT_REFERENCE_HELM or run ../shared/tools/install-reference-helm.sh; looked at {})",
            p.display()
        ))
    }
}

/// A `helm` command isolated from the user's config (temporary
/// HELM_CONFIG_HOME, HELM_CACHE_HOME, HELM_DATA_HOME under `home`).
pub fn helm_command(helm: &Path, home: &Path) -> Command {
    let mut c = Command::new(helm);
    c.env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_DATA_HOME", home.join("data"))
        .env(
            "HELM_REGISTRY_CONFIG",
            home.join("config/registry/config.json"),
        )
        .env_remove("HELM_DEBUG");
    c
}

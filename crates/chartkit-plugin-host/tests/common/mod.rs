//! Shared by the integration tests: one host per test binary, built plugins loaded once.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use chartkit_plugin_host::{Cache, HostConfig, Limits, Plugin, PluginHost, Port, Topology};

/// The repository's `plugins/` directory.
pub fn plugins_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plugins")
}

/// A compiled-component cache shared by test runs and plugins/build.sh (which sets
/// `CHARTKIT_CACHE_DIR=<target>/tmp/chartkit-cache`): Python components take seconds to compile.
pub fn cache() -> Cache {
    Cache::new(
        PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("chartkit-cache")
            .join("plugins"),
    )
}

/// The host every test uses: default limits, shared cache.
pub fn host() -> &'static PluginHost {
    static HOST: OnceLock<PluginHost> = OnceLock::new();
    HOST.get_or_init(|| {
        PluginHost::new(HostConfig {
            limits: Limits::default(),
            cache: Some(cache()),
        })
        .expect("host starts")
    })
}

/// `plugins/<name>/dist/<name>.wasm`, or `None` with a message when it has not been built.
pub fn component(name: &str) -> Option<PathBuf> {
    let path = plugins_dir()
        .join(name)
        .join("dist")
        .join(format!("{name}.wasm"));
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} is not built (run plugins/build.sh first; CI does)",
            path.display()
        );
        None
    }
}

/// A test fixture component under `plugins/testdata/hostile`.
pub fn fixture(file: &str) -> Option<PathBuf> {
    let path = plugins_dir()
        .join("testdata/hostile/target/wasm32-wasip2/release")
        .join(format!("{file}.wasm"));
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} is not built (run plugins/build.sh first; CI does)",
            path.display()
        );
        None
    }
}

/// Loads (once per test binary) a built plugin.
pub fn plugin(name: &'static str) -> Option<&'static Plugin> {
    static ES: OnceLock<Option<Plugin>> = OnceLock::new();
    static CONSUL: OnceLock<Option<Plugin>> = OnceLock::new();
    static MONGO: OnceLock<Option<Plugin>> = OnceLock::new();
    let cell = match name {
        "elasticsearch" => &ES,
        "consul" => &CONSUL,
        "mongodb" => &MONGO,
        other => panic!("no such plugin {other}"),
    };
    cell.get_or_init(|| {
        let path = component(name)?;
        Some(
            host()
                .load_file(&path)
                .unwrap_or_else(|e| panic!("loading {name}: {e}")),
        )
    })
    .as_ref()
}

/// A topology.
#[allow(clippy::too_many_arguments)]
pub fn topology(
    replicas: u32,
    namespace: &str,
    domain: &str,
    sts: &str,
    svc: &str,
    ports: &[(&str, u16)],
    version: Option<&str>,
    settings: serde_json::Value,
) -> Topology {
    Topology {
        release: "rel".into(),
        namespace: namespace.into(),
        cluster_domain: domain.into(),
        stateful_set: sts.into(),
        service: svc.into(),
        replicas,
        ports: ports
            .iter()
            .map(|(n, p)| Port {
                name: (*n).into(),
                port: *p,
            })
            .collect(),
        engine_version: version.map(Into::into),
        settings,
    }
}

/// The places the tests run plugins: replicas × (namespace, cluster domain).
pub const REPLICAS: [u32; 3] = [1, 3, 5];
pub const PLACES: [(&str, &str); 3] = [
    ("default", "cluster.local"),
    ("search-prod", "cluster.local"),
    ("team-a", "corp.example"),
];

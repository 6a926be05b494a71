//! Plugin host benchmarks, per built plugin: cold load without cache (compile), cached load,
//! instantiation, warm calls.
//!
//! `cargo bench -p chartkit-plugin-host --bench plugins` after `plugins/build.sh`. Compiling the
//! Python plugin takes seconds per sample; it is measured only with CHARTKIT_BENCH_SLOW=1.

use std::path::PathBuf;
use std::time::Duration;

use chartkit_plugin_host::{Cache, HostConfig, Limits, PluginHost, Port, Topology};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

const PLUGINS: [&str; 3] = ["elasticsearch", "consul", "mongodb"];

fn component(name: &str) -> Option<(PathBuf, Vec<u8>)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../plugins")
        .join(name)
        .join("dist")
        .join(format!("{name}.wasm"));
    match std::fs::read(&path) {
        Ok(bytes) => Some((path, bytes)),
        Err(_) => {
            eprintln!(
                "SKIPPED {name}: {} not built (run plugins/build.sh)",
                path.display()
            );
            None
        }
    }
}

fn topology(name: &str) -> Topology {
    Topology {
        release: "rel".into(),
        namespace: "bench".into(),
        cluster_domain: "cluster.local".into(),
        stateful_set: format!("rel-{name}"),
        service: format!("rel-{name}-headless"),
        replicas: 3,
        ports: vec![Port {
            name: "http".into(),
            port: 9200,
        }],
        engine_version: Some(
            match name {
                "elasticsearch" => "8.15.0",
                "consul" => "1.19.2",
                _ => "7.0.12",
            }
            .into(),
        ),
        settings: serde_json::json!({}),
    }
}

fn bench(c: &mut Criterion) {
    let cache_dir = tempfile::tempdir().expect("temp dir");
    let cache = Cache::new(cache_dir.path().join("plugins"));
    let cached = PluginHost::new(HostConfig {
        limits: Limits::default(),
        cache: Some(cache),
    })
    .expect("host");
    let uncached = PluginHost::new(HostConfig::default()).expect("host");
    let slow = std::env::var_os("CHARTKIT_BENCH_SLOW").is_some();

    let mut cold = c.benchmark_group("cold_load_no_cache");
    cold.sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for name in PLUGINS {
        let Some((_, bytes)) = component(name) else {
            continue;
        };
        if name == "consul" && !slow {
            eprintln!("SKIPPED cold_load_no_cache/consul (set CHARTKIT_BENCH_SLOW=1)");
            continue;
        }
        cold.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| uncached.load_bytes(name, &bytes).expect("load"))
        });
    }
    cold.finish();

    let mut warm_load = c.benchmark_group("cached_load");
    for name in PLUGINS {
        let Some((path, _)) = component(name) else {
            continue;
        };
        cached.load_file(&path).expect("first load fills the cache");
        warm_load.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| cached.load_file(&path).expect("load"))
        });
    }
    warm_load.finish();

    let mut inst = c.benchmark_group("instantiate");
    let mut calls = Vec::new();
    for name in PLUGINS {
        let Some((path, _)) = component(name) else {
            continue;
        };
        let plugin = cached.load_file(&path).expect("load");
        inst.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| plugin.instantiate().expect("instantiate"))
        });
        calls.push((name, plugin));
    }
    inst.finish();

    let mut warm = c.benchmark_group("warm_call");
    for (name, plugin) in &calls {
        let t = topology(name);
        warm.bench_function(BenchmarkId::new("seed-list", name), |b| {
            b.iter(|| plugin.seed_list(&t).expect("seed-list"))
        });
        warm.bench_function(BenchmarkId::new("configure", name), |b| {
            b.iter(|| plugin.configure(&t).expect("configure"))
        });
        warm.bench_function(BenchmarkId::new("lint", name), |b| {
            b.iter(|| plugin.lint(&t, "[]").expect("lint"))
        });
    }
    warm.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

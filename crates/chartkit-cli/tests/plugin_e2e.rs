//! Issue 9, end to end through the `chartkit` binary: a Rust plugin scaffolded with
//! `chartkit plugin new`, given the etcd logic of plugins/etcd, built, pushed to a real registry
//! (Debian's docker-registry on loopback), installed by digest into a clean plugin store, then
//! run from the store and checked against `chartkit render` of charts/etcd pinned to that
//! digest, and `chartkit lint` of the same chart.
//!
//! Skips (printing why) when docker-registry or the wasm32-wasip2 Rust target is missing.

#![cfg(feature = "plugins")]

#[path = "../../../tests/registry/registry.rs"]
mod registry;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use registry::Registry;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chartkit(store: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chartkit"));
    c.env("CHARTKIT_PLUGINS_DIR", store);
    c
}

fn ok(what: &str, out: Output) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn has_wasi_target() -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "wasm32-wasip2")
        })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// The value of env var `name` in rendered YAML (`- name: X` then `value: "..."`).
fn rendered_env(yaml: &str, name: &str) -> Option<String> {
    let mut lines = yaml.lines();
    while let Some(l) = lines.next() {
        if l.trim() == format!("- name: {name}") {
            let v = lines.next()?.trim().strip_prefix("value: ")?;
            return Some(v.trim_matches('"').to_string());
        }
    }
    None
}

#[test]
fn scaffold_build_push_install_by_digest_render_and_lint() {
    let reg = match Registry::start() {
        Ok(r) => r,
        Err(why) => {
            eprintln!("SKIPPED: {why}");
            return;
        }
    };
    if !has_wasi_target() {
        eprintln!(
            "SKIPPED: the wasm32-wasip2 Rust target is not installed (rustup target add wasm32-wasip2)"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let plugin = tmp.path().join("etcd-plugin");

    // 1. Scaffold, then give it the etcd logic (how plugins/etcd was made).
    ok(
        "plugin new",
        chartkit(&store)
            .args(["plugin", "new", "etcd", "--lang", "rust", "--dir"])
            .arg(&plugin)
            .output()
            .unwrap(),
    );
    assert!(plugin.join("chartkit-plugin.toml").is_file());
    std::fs::copy(
        repo_root().join("plugins/etcd/src/engine.rs"),
        plugin.join("src/engine.rs"),
    )
    .unwrap();

    // 2. Build.
    let built = ok(
        "plugin build",
        chartkit(&store)
            .args(["plugin", "build"])
            .arg(&plugin)
            .output()
            .unwrap(),
    );
    assert!(built.trim().ends_with("etcd.wasm"), "{built}");

    // 3. Push; stdout is the manifest digest.
    let remote = format!("oci://{}/plugins/etcd", reg.addr);
    let digest = ok(
        "plugin push",
        chartkit(&store)
            .args(["plugin", "push"])
            .arg(&plugin)
            .args([&format!("{remote}:0.1.0"), "--plain-http"])
            .output()
            .unwrap(),
    )
    .trim()
    .to_string();
    assert!(
        digest.starts_with("sha256:") && digest.len() == 71,
        "{digest}"
    );
    let pinned = format!("{remote}@{digest}");

    // 4. A wrong digest is refused and installs nothing; the right one installs.
    let wrong = format!("{remote}@sha256:{}", "0".repeat(64));
    let out = chartkit(&store)
        .args(["plugin", "install", &wrong, "--plain-http"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!store.join("etcd/etcd.wasm").exists());
    let active = ok(
        "plugin install",
        chartkit(&store)
            .args(["plugin", "install", &pinned, "--plain-http"])
            .output()
            .unwrap(),
    );
    assert_eq!(Path::new(active.trim()), store.join("etcd/etcd.wasm"));
    let digest_dirs: Vec<_> = std::fs::read_dir(store.join("etcd"))
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.starts_with("sha256-").then_some(n)
        })
        .collect();
    assert_eq!(digest_dirs.len(), 1, "{digest_dirs:?}");

    // 5. Pull by tag gives the same component.
    let pulled = tmp.path().join("pulled");
    ok(
        "plugin pull",
        chartkit(&store)
            .args([
                "plugin",
                "pull",
                &format!("{remote}:0.1.0"),
                "--plain-http",
                "-d",
            ])
            .arg(&pulled)
            .output()
            .unwrap(),
    );
    assert_eq!(
        std::fs::read(pulled.join("etcd.wasm")).unwrap(),
        std::fs::read(store.join("etcd/etcd.wasm")).unwrap()
    );

    // 6. The chart, pinned to the pushed digest.
    let chart = tmp.path().join("etcd");
    copy_dir(&repo_root().join("charts/etcd"), &chart);
    let chart_yaml = std::fs::read_to_string(chart.join("Chart.yaml")).unwrap();
    assert!(chart_yaml.contains("\n  chartkit.dev/plugin: etcd\n"));
    std::fs::write(
        chart.join("Chart.yaml"),
        chart_yaml.replace(
            "\n  chartkit.dev/plugin: etcd\n",
            &format!("\n  chartkit.dev/plugin: {pinned}\n"),
        ),
    )
    .unwrap();
    let render = |store: &Path, extra: &[&str]| {
        chartkit(store)
            .args(["render", "rel"])
            .arg(&chart)
            .args(["--namespace", "data", "--set", "replicas=5"])
            .args(extra)
            .output()
            .unwrap()
    };
    // The pinned plugin resolves offline from the store, and runs: its post-install step
    // becomes a hook Job that the chart itself does not render.
    let rendered = ok("render", render(&store, &["--require-plugins"]));
    assert!(rendered.contains("endpoint health --cluster"), "{rendered}");
    assert!(
        rendered.contains("helm.sh/hook: post-install"),
        "{rendered}"
    );
    let plain = ok("render --no-plugins", render(&store, &["--no-plugins"]));
    assert!(!plain.contains("endpoint health --cluster"), "{plain}");
    // A store that does not hold that digest: the pin does not fall back to anything else.
    let empty = tmp.path().join("empty-store");
    let missing = render(&empty, &["--require-plugins"]);
    let why = String::from_utf8_lossy(&missing.stderr);
    assert!(!missing.status.success());
    assert!(
        why.contains("not installed") && why.contains(&format!("chartkit plugin install {pinned}")),
        "{why}"
    );

    // 7. The installed plugin, run from the store by name, computes what the chart renders.
    let topology = tmp.path().join("topology.json");
    std::fs::write(
        &topology,
        r#"{"release": "rel", "namespace": "data", "clusterDomain": "cluster.local",
            "statefulSet": "rel-etcd", "service": "rel-etcd-headless", "replicas": 5,
            "ports": [{"name": "peer", "port": 2380}, {"name": "client", "port": 2379}],
            "settings": {}}"#,
    )
    .unwrap();
    let configured: serde_json::Value = serde_json::from_str(&ok(
        "plugin run configure",
        chartkit(&store)
            .args(["plugin", "run", "etcd", "--call", "configure", "--topology"])
            .arg(&topology)
            .output()
            .unwrap(),
    ))
    .unwrap();
    let env = configured["env"].as_array().unwrap();
    assert_eq!(env.len(), 5, "{configured}");
    for e in env {
        let name = e["name"].as_str().unwrap();
        assert_eq!(
            rendered_env(&rendered, name).as_deref(),
            e["value"].as_str(),
            "{name}"
        );
    }
    let initial = rendered_env(&rendered, "ETCD_INITIAL_CLUSTER").unwrap();
    assert_eq!(initial.split(',').count(), 5);
    assert!(initial.starts_with(
        "rel-etcd-0=http://rel-etcd-0.rel-etcd-headless.data.svc.cluster.local:2380,"
    ));
    let steps = ok(
        "plugin run post-install",
        chartkit(&store)
            .args([
                "plugin",
                "run",
                "etcd",
                "--call",
                "post-install",
                "--topology",
            ])
            .arg(&topology)
            .output()
            .unwrap(),
    );
    assert!(steps.contains("endpoint health --cluster"), "{steps}");

    // 8. Lint the pinned chart.
    let lint = chartkit(&store).arg("lint").arg(&chart).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );
    assert!(lint.status.success(), "{text}");
    assert!(text.contains("0 errors"), "{text}");
}

//! `chartkit plugin new` and `chartkit create`, end to end through the binary.
//!
//! Plugins: scaffold one per language, build it with `chartkit plugin build` (the project's
//! own recipe), and call it with `chartkit plugin run` on a sample topology. A language whose
//! toolchain is missing here is skipped with a printed reason (CI installs all three through
//! plugins/build.sh).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chartkit() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chartkit"));
    // Share the compiled-component cache with plugins/build.sh and the host's tests.
    c.env(
        "CHARTKIT_CACHE_DIR",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("chartkit-cache"),
    );
    c
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn has_program(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

const TOPOLOGY: &str = r#"{"release": "demo", "namespace": "db", "clusterDomain": "cluster.local",
 "statefulSet": "demo-kv", "service": "demo-kv-headless", "replicas": 5,
 "ports": [{"name": "peer", "port": 2380}, {"name": "client", "port": 2379}],
 "settings": {"seedPort": "peer"}}"#;

/// Scaffolds, builds and runs a plugin named `kv-<lang>` in `lang`.
fn scaffold_build_run(lang: &str, prepare: impl FnOnce(&Path)) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let name = format!("kv-{lang}");
    let dir = tmp.path().join(&name);
    ok(
        chartkit()
            .args(["plugin", "new", &name, "--lang", lang, "--dir"])
            .arg(&dir)
            .output()
            .expect("run chartkit"),
        "plugin new",
    );
    assert!(dir.join("wit/engine.wit").is_file());
    // Refuses to scaffold over the project it just wrote.
    let again = chartkit()
        .args(["plugin", "new", &name, "--lang", lang, "--dir"])
        .arg(&dir)
        .output()
        .expect("run chartkit");
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("not empty"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    prepare(&dir);
    let built = ok(
        chartkit()
            .args(["plugin", "build"])
            .arg(&dir)
            .output()
            .expect("run chartkit"),
        "plugin build",
    );
    // The recipe's own output comes first (the build inherits stdout); the component's path last.
    assert_eq!(
        built.trim().lines().last(),
        Some(
            dir.join(format!("dist/{name}.wasm"))
                .display()
                .to_string()
                .as_str()
        )
    );
    let topology = tmp.path().join("topology.json");
    std::fs::write(&topology, TOPOLOGY).expect("write topology");
    let run = |call: &str| -> serde_json::Value {
        let out = ok(
            chartkit()
                .args(["plugin", "run"])
                .arg(&dir)
                .args(["--call", call, "--topology"])
                .arg(&topology)
                .output()
                .expect("run chartkit"),
            call,
        );
        serde_json::from_str(&out).expect("JSON")
    };
    let seeds: Vec<String> = (0..5)
        .map(|i| format!("demo-kv-{i}.demo-kv-headless.db.svc.cluster.local:2380"))
        .collect();
    assert_eq!(run("seed-list"), serde_json::json!(seeds), "{lang}");
    assert_eq!(
        run("configure"),
        serde_json::json!({"env": [{"name": "SEED_HOSTS", "value": seeds.join(",")}],
                           "args": [], "config": []}),
        "{lang}"
    );
    assert_eq!(run("post-install"), serde_json::json!([]), "{lang}");
    let info = run("describe");
    assert_eq!(info["name"], serde_json::json!(name));
    assert_eq!(info["interfaceVersion"], "0.1.0");
}

#[test]
fn rust_plugin_from_scaffold_builds_and_runs() {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == "wasm32-wasip2")
        })
        .unwrap_or(false);
    if !installed {
        eprintln!(
            "skipped: the Rust target wasm32-wasip2 is not installed (rustup target add wasm32-wasip2)"
        );
        return;
    }
    scaffold_build_run("rust", |_| {});
}

#[test]
fn python_plugin_from_scaffold_builds_and_runs() {
    if !has_program("componentize-py", "--version") {
        eprintln!(
            "skipped: componentize-py is not installed (pip install componentize-py==0.25.1)"
        );
        return;
    }
    scaffold_build_run("python", |dir| {
        // The project's own unit tests, with plain CPython.
        ok(
            Command::new("python3")
                .args(["-m", "unittest", "discover", "-s", "tests"])
                .current_dir(dir)
                .output()
                .expect("run python3"),
            "python unit tests",
        );
    });
}

#[cfg(unix)]
#[test]
fn js_plugin_from_scaffold_builds_and_runs() {
    // The recipe's setup step would `npm install` componentize-qjs; reuse the copy
    // plugins/build.sh installed for the MongoDB plugin (same pinned version) instead of
    // reaching the npm registry from a test.
    let modules = repo_root().join("plugins/mongodb/node_modules");
    if !modules.join(".bin/componentize-qjs").exists() {
        eprintln!(
            "skipped: plugins/mongodb/node_modules has no componentize-qjs (run plugins/build.sh)"
        );
        return;
    }
    if !has_program("node", "--version") {
        eprintln!("skipped: node is not installed");
        return;
    }
    scaffold_build_run("js", |dir| {
        std::os::unix::fs::symlink(&modules, dir.join("node_modules")).expect("symlink");
        ok(
            Command::new("node")
                .args(["--test", "test/"])
                .current_dir(dir)
                .output()
                .expect("run node"),
            "node unit tests",
        );
    });
}

#[test]
fn plugin_new_refuses_bad_names() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = chartkit()
        .args(["plugin", "new", "Bad_Name", "--lang", "rust", "--dir"])
        .arg(tmp.path().join("x"))
        .output()
        .expect("run chartkit");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid plugin name \"Bad_Name\""), "{err}");
    assert!(!tmp.path().join("x").exists());
}

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
    // The generic chart from `chartkit create` computes the same SEED_HOSTS in its templates
    // for the topology it renders (release demo, namespace db, 5 replicas, peer port 2380).
    let chart = tmp.path().join("kv");
    ok(
        chartkit()
            .arg("create")
            .arg(&chart)
            .output()
            .expect("run chartkit"),
        "create",
    );
    let rendered = ok(
        chartkit()
            .args(["render", "demo"])
            .arg(&chart)
            .args([
                "-n",
                "db",
                "--set",
                "replicas=5,ports.peer=2380,ports.client=2379",
            ])
            .output()
            .expect("run chartkit"),
        "render",
    );
    let value = rendered
        .lines()
        .skip_while(|l| !l.trim_end().ends_with("- name: SEED_HOSTS"))
        .nth(1)
        .and_then(|l| l.trim().strip_prefix("value: "))
        .unwrap_or_else(|| panic!("no SEED_HOSTS in\n{rendered}"));
    assert_eq!(value, format!("{:?}", seeds.join(",")), "{lang}");
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

// ---------------------------------------------------------------------------------------
// chartkit create

const ENGINES: [&str; 4] = ["elasticsearch", "consul", "mongodb", "generic"];

/// The reference Helm (v4.1.4): $CHARTKIT_REFERENCE_HELM, else the usual install path.
fn reference_helm() -> Option<PathBuf> {
    let path = std::env::var_os("CHARTKIT_REFERENCE_HELM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root/.cache/chartkit-ref/helm/helm"));
    path.is_file().then_some(path)
}

/// `chartkit create <tmp>/db-<engine> --engine <engine>`.
fn create(tmp: &Path, engine: &str) -> PathBuf {
    let dir = tmp.join(format!("db-{engine}"));
    let out = ok(
        chartkit()
            .arg("create")
            .arg(&dir)
            .args(["--engine", engine])
            .output()
            .expect("run chartkit"),
        "create",
    );
    assert_eq!(out, format!("Creating {}\n", dir.display()));
    assert!(dir.join("charts").is_dir(), "helm create makes charts/");
    dir
}

#[test]
fn created_charts_render_exactly_like_helm() {
    let Some(helm) = reference_helm() else {
        eprintln!("skipped: the reference Helm is not installed (set CHARTKIT_REFERENCE_HELM)");
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    for engine in ENGINES {
        let dir = create(tmp.path(), engine);
        for replicas in [1, 3, 5] {
            let args = |c: &mut Command| {
                c.args(["rel"]).arg(&dir).args([
                    "-n",
                    "data",
                    "--set",
                    &format!("replicas={replicas}"),
                ]);
            };
            let mut h = Command::new(&helm);
            h.arg("template");
            args(&mut h);
            let expected = ok(h.output().expect("run helm"), "helm template");
            let mut c = chartkit();
            c.arg("render");
            args(&mut c);
            let got = ok(c.output().expect("run chartkit"), "chartkit render");
            assert_eq!(got, expected, "{engine} replicas={replicas}");
            // The seeds follow `replicas`: the last member is addressed, and no more.
            let sts = format!("rel-db-{engine}");
            let last = replicas - 1;
            let (want, beyond) = if engine == "elasticsearch" || engine == "mongodb" {
                // ES lists pod names (initial masters) for > 1 node; the MongoDB chart
                // names its members in NOTES.txt, so check the StatefulSet's size only.
                (format!("{sts}-{last}"), format!("{sts}-{replicas}"))
            } else {
                (
                    format!("{sts}-{last}.{sts}-headless.data.svc.cluster.local"),
                    format!("{sts}-{replicas}.{sts}-headless"),
                )
            };
            assert!(
                expected.contains(&format!("replicas: {replicas}\n")),
                "{engine}"
            );
            if engine != "mongodb" && !(engine == "elasticsearch" && replicas == 1) {
                assert!(
                    expected.contains(&want),
                    "{engine} replicas={replicas}: {want}"
                );
            }
            assert!(
                !expected.contains(&beyond),
                "{engine} replicas={replicas}: {beyond}"
            );
            if engine == "elasticsearch" && replicas == 1 {
                assert!(expected.contains("value: single-node"), "{expected}");
            }
        }
        // An even count is refused (unless allowEvenReplicas), with the same error in both.
        let run = |mut c: Command| {
            let out = c
                .args(["rel"])
                .arg(&dir)
                .args(["--set", "replicas=4"])
                .output()
                .expect("run");
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        };
        let mut h = Command::new(&helm);
        h.arg("template");
        let mut c = chartkit();
        c.arg("render");
        let (helm_out, chartkit_out) = (run(h), run(c));
        assert_eq!(chartkit_out, helm_out, "{engine}");
        assert_eq!(helm_out.0, Some(1), "{engine}");
        assert!(
            helm_out
                .1
                .contains("replicas=4: 4 members tolerate 1 failure(s)"),
            "{helm_out:?}"
        );
    }
}

#[test]
fn created_charts_pass_helm_lint_strict() {
    let Some(helm) = reference_helm() else {
        eprintln!("skipped: the reference Helm is not installed (set CHARTKIT_REFERENCE_HELM)");
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    for engine in ENGINES {
        let dir = create(tmp.path(), engine);
        let out = ok(
            Command::new(&helm)
                .args(["lint", "--strict"])
                .arg(&dir)
                .output()
                .expect("run helm"),
            "helm lint --strict",
        );
        assert!(out.contains("0 chart(s) failed"), "{engine}: {out}");
    }
}

/// chartkit-lint's `schema-validate-rendered` reports `apiVersion` and `kind` as missing in
/// every StatefulSet `volumeClaimTemplates` entry: k8s-openapi always serializes them, and
/// the rule reads a field written back but absent from the input as required. Kubernetes
/// does not require them there (charts/consul, charts/mongodb and charts/elasticsearch hit
/// the same). Reported; this test lists it instead of failing on it, and the scaffold does
/// not add the fields to silence it.
fn known_false_positive(d: &serde_json::Value) -> bool {
    let message = d["message"].as_str().unwrap_or_default();
    d["rule"] == "schema-validate-rendered"
        && (message.contains(".volumeClaimTemplates[0].apiVersion\"")
            || message.contains(".volumeClaimTemplates[0].kind\""))
}

#[test]
fn created_charts_have_no_chartkit_lint_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for engine in ENGINES {
        let dir = create(tmp.path(), engine);
        let out = chartkit()
            .args(["lint", "--format", "json"])
            .arg(&dir)
            .output()
            .expect("run chartkit");
        let text = String::from_utf8_lossy(&out.stdout);
        let diags: Vec<serde_json::Value> = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{engine}: lint JSON: {e}\n{text}"));
        let mut errors = Vec::new();
        for d in &diags {
            if d["severity"] != "error" {
                continue;
            }
            if known_false_positive(d) {
                eprintln!(
                    "{engine}: known chartkit-lint false positive: {}",
                    d["message"]
                );
            } else {
                errors.push(d["message"].to_string());
            }
        }
        assert!(errors.is_empty(), "{engine}: {errors:#?}");
        let warnings: Vec<_> = diags
            .iter()
            .filter(|d| d["severity"] == "warning")
            .collect();
        assert!(warnings.is_empty(), "{engine}: {warnings:#?}");
    }
}

#[test]
fn create_defaults_to_the_generic_chart_and_never_overwrites() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("kv");
    ok(
        chartkit()
            .arg("create")
            .arg(&dir)
            .output()
            .expect("run chartkit"),
        "create",
    );
    let chart = std::fs::read_to_string(dir.join("Chart.yaml")).expect("Chart.yaml");
    assert!(chart.contains("chartkit.dev/engine: kv\n"), "{chart}");
    assert!(chart.contains("chartkit.dev/plugin: kv\n"), "{chart}");
    let values = std::fs::read_to_string(dir.join("values.yaml")).expect("values.yaml");
    let again = chartkit()
        .arg("create")
        .arg(&dir)
        .output()
        .expect("run chartkit");
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already exists and is not empty"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("values.yaml")).expect("values.yaml"),
        values
    );
    let bad = chartkit()
        .arg("create")
        .arg(tmp.path().join("no good"))
        .output()
        .expect("run chartkit");
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("^[a-zA-Z0-9._-]+$"), "{err}");
}

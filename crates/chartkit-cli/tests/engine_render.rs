//! The engine-plugin pass through `chartkit render`, with the plugins built
//! from plugins/ (tests/run.sh builds them first; without them these tests
//! say so and return).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// chartkit with an empty plugin store and the repo's plugin projects on
/// the plugin path.
fn chartkit(store: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chartkit"));
    c.current_dir(repo_root())
        .env("CHARTKIT_PLUGINS_DIR", store)
        .env("XDG_DATA_HOME", store)
        .env("CHARTKIT_PLUGIN_PATH", repo_root().join("plugins"));
    c
}

fn built(plugin: &str) -> bool {
    let wasm = repo_root().join(format!("plugins/{plugin}/dist/{plugin}.wasm"));
    if !wasm.is_file() {
        eprintln!("skipped: {} is not built (bash plugins/build.sh)", wasm.display());
        return false;
    }
    true
}

fn stdout(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn render(store: &Path, args: &[&str]) -> String {
    stdout(chartkit(store).arg("render").args(args).output().expect("run chartkit"), &args.join(" "))
}

/// The YAML documents of a render, by their `# Source:` line.
fn documents(out: &str) -> Vec<(String, String)> {
    out.split("\n---\n")
        .filter_map(|doc| {
            let doc = doc.trim_start_matches("---\n");
            let (first, rest) = doc.split_once('\n')?;
            Some((first.strip_prefix("# Source: ")?.to_string(), rest.to_string()))
        })
        .collect()
}

fn find<'a>(docs: &'a [(String, String)], source: &str) -> Vec<&'a str> {
    docs.iter().filter(|(s, _)| s == source).map(|(_, d)| d.as_str()).collect()
}

#[test]
fn elasticsearch_gets_a_health_step_and_keeps_its_agreeing_statefulset() {
    if !built("elasticsearch") {
        return;
    }
    let store = tempfile::tempdir().expect("tempdir");
    for replicas in [1, 3, 5] {
        let set = format!("replicas={replicas}");
        let with = render(store.path(), &["rel", "charts/elasticsearch", "-n", "db", "--set", &set]);
        let without =
            render(store.path(), &["rel", "charts/elasticsearch", "-n", "db", "--set", &set, "--no-plugins"]);
        let (w, wo) = (documents(&with), documents(&without));
        let sts = "elasticsearch/templates/statefulset.yaml";
        assert_eq!(find(&w, sts), find(&wo, sts), "the templates agree with the plugin: same bytes");
        let job = find(&w, "elasticsearch/chartkit-plugins/elasticsearch/es-cluster-health.yaml");
        assert_eq!(job.len(), 1, "one health Job for {replicas} replicas:\n{with}");
        assert!(job[0].contains("name: rel-es-cluster-health\n"), "{}", job[0]);
        assert!(job[0].contains("helm.sh/hook: post-install,post-upgrade"), "{}", job[0]);
        assert!(job[0].contains(&format!("wait_for_nodes={replicas}&")), "{}", job[0]);
        assert!(job[0].contains("rel-elasticsearch-headless.db.svc.cluster.local:9200"), "{}", job[0]);
        assert!(!without.contains("es-cluster-health"));
        if replicas == 5 {
            assert!(
                with.contains("rel-elasticsearch-4.rel-elasticsearch-headless.db.svc.cluster.local"),
                "the fifth member through the headless Service"
            );
        }
    }
}

#[test]
fn consul_servers_get_a_raft_step() {
    if !built("consul") {
        return;
    }
    let store = tempfile::tempdir().expect("tempdir");
    for replicas in [3, 5] {
        let set = format!("replicas={replicas}");
        let with = render(store.path(), &["rel", "charts/consul", "-n", "db", "--set", &set]);
        let docs = documents(&with);
        let sts = find(&docs, "consul/templates/statefulset.yaml");
        assert_eq!(sts.len(), 1);
        assert!(sts[0].contains(&format!("- -bootstrap-expect={replicas}\n")), "{}", sts[0]);
        assert_eq!(sts[0].matches("- -retry-join=").count(), replicas, "{}", sts[0]);
        let job = find(&docs, "consul/chartkit-plugins/consul/consul-raft-peers.yaml");
        assert_eq!(job.len(), 1, "{with}");
        assert!(job[0].contains(&format!("-ge {replicas} ]")), "{}", job[0]);
    }
}

#[test]
fn a_disagreeing_statefulset_is_patched_not_appended() {
    if !built("consul") {
        return;
    }
    let store = tempfile::tempdir().expect("tempdir");
    let tmp = tempfile::tempdir().expect("tempdir");
    let chart = tmp.path().join("consul");
    copy_dir(&repo_root().join("charts/consul"), &chart);
    // A template that hard-codes one server and no peers.
    let sts_path = chart.join("templates/statefulset.yaml");
    let sts = std::fs::read_to_string(&sts_path).expect("read");
    let broken = sts
        .replace("- -bootstrap-expect={{ $replicas }}", "- -bootstrap-expect=1")
        .replace("- -retry-join={{ . }}", "- -retry-join=nowhere");
    assert_ne!(sts, broken, "the template changed");
    std::fs::write(&sts_path, broken).expect("write");
    let chart_arg = chart.to_string_lossy().to_string();
    let out = render(store.path(), &["rel", &chart_arg, "-n", "db", "--set", "replicas=5"]);
    let docs = documents(&out);
    let sts = find(&docs, "consul/templates/statefulset.yaml");
    assert_eq!(sts.len(), 1);
    assert_eq!(sts[0].matches("-bootstrap-expect=").count(), 1, "{}", sts[0]);
    assert!(sts[0].contains("- -bootstrap-expect=5\n"), "{}", sts[0]);
    assert!(!sts[0].contains("nowhere"), "{}", sts[0]);
    for i in 0..5 {
        assert!(
            sts[0].contains(&format!("- -retry-join=rel-consul-{i}.rel-consul-headless.db.svc.cluster.local")),
            "member {i}:\n{}",
            sts[0]
        );
    }
    let doc = sts[0];
    // Rendering the patched output again through the pass is a no-op: same flags once.
    assert_eq!(doc.matches("-retry-join=").count(), 5);
}

#[test]
fn mongodb_keeps_its_own_rs_initiate_hook() {
    if !built("mongodb") {
        return;
    }
    let store = tempfile::tempdir().expect("tempdir");
    let out = render(store.path(), &["rel", "charts/mongodb", "-n", "db", "--set", "replicas=3"]);
    let docs = documents(&out);
    let jobs: Vec<&(String, String)> = docs.iter().filter(|(_, d)| d.contains("kind: Job\n")).collect();
    assert_eq!(jobs.len(), 1, "only the chart's own rs-init Job:\n{out}");
    let job = &jobs[0].1;
    assert!(job.contains("helm.sh/hook: post-install,post-upgrade"));
    assert!(job.contains("rs.initiate("));
    assert!(job.contains("chartkit.dev/step: mongo-rs-initiate"));
    for i in 0..3 {
        assert!(job.contains(&format!("rel-mongodb-{i}.rel-mongodb-headless.db.svc.cluster.local:27017")));
    }
}

#[test]
fn a_missing_plugin_warns_or_fails_on_request() {
    let store = tempfile::tempdir().expect("tempdir");
    let tmp = tempfile::tempdir().expect("tempdir");
    let chart = tmp.path().join("consul");
    copy_dir(&repo_root().join("charts/consul"), &chart);
    let meta = std::fs::read_to_string(chart.join("Chart.yaml")).expect("read");
    std::fs::write(chart.join("Chart.yaml"), meta.replace("chartkit.dev/plugin: consul", "chartkit.dev/plugin: no-such-plugin"))
        .expect("write");
    let chart_arg = chart.to_string_lossy().to_string();
    let warned = chartkit(store.path()).args(["render", "rel", &chart_arg]).output().expect("run");
    assert!(warned.status.success());
    let stderr = String::from_utf8_lossy(&warned.stderr);
    assert!(stderr.contains("warning: engine plugin \"no-such-plugin\" declared by the chart is not available"), "{stderr}");
    let plain = render(store.path(), &["rel", &chart_arg, "--no-plugins"]);
    assert_eq!(String::from_utf8_lossy(&warned.stdout), plain);
    let failed = chartkit(store.path()).args(["render", "rel", &chart_arg, "--require-plugins"]).output().expect("run");
    assert_eq!(failed.status.code(), Some(1));
    assert!(failed.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.starts_with("Error: engine plugin \"no-such-plugin\" declared by the chart: "), "{stderr}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy");
        }
    }
}

fn post_render(store: &Path, input: &str, args: &[&str]) -> Output {
    use std::io::Write;
    let mut child = chartkit(store)
        .arg("post-render")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    child.wait_with_output().expect("wait")
}

#[test]
fn post_render_applies_the_pass_to_a_stream() {
    if !built("consul") {
        return;
    }
    let store = tempfile::tempdir().expect("tempdir");
    let plain = render(store.path(), &["rel", "charts/consul", "-n", "db", "--set", "replicas=3", "--no-plugins"]);
    let out = stdout(post_render(store.path(), &plain, &["-n", "db"]), "post-render");
    assert!(out.contains("name: rel-consul-raft-peers\n"), "{out}");
    assert!(out.contains("postrenderer.helm.sh/postrender-filename: consul/chartkit-plugins/consul/consul-raft-peers.yaml"), "{out}");
    // A stream without a marked StatefulSet comes back byte for byte.
    let other = render(store.path(), &["rel", "charts/etcd", "--no-plugins", "-s", "templates/service.yaml"]);
    let same = stdout(post_render(store.path(), &other, &[]), "post-render");
    assert_eq!(same, other);
}

/// The Helm 4 post-renderer plugin (plugins/helm-postrenderer) with the reference Helm.
#[test]
fn helm_post_renderer_plugin_adds_the_steps() {
    if !built("consul") {
        return;
    }
    let helm = std::env::var("CHARTKIT_REFERENCE_HELM")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("/root/.cache/chartkit-ref/helm/helm"));
    if !helm.is_file() {
        eprintln!("skipped: the reference Helm is not installed ({})", helm.display());
        return;
    }
    let home = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo_root().join("plugins/helm-postrenderer"), &home.path().join("plugins/chartkit"));
    let out = Command::new(&helm)
        .current_dir(repo_root())
        .args(["template", "rel", "charts/consul", "-n", "db", "--set", "replicas=5", "--post-renderer", "chartkit"])
        .env("HELM_PLUGINS", home.path().join("plugins"))
        .env("HELM_CONFIG_HOME", home.path().join("config"))
        .env("HELM_CACHE_HOME", home.path().join("cache"))
        .env("HELM_DATA_HOME", home.path().join("data"))
        .env("CHARTKIT", env!("CARGO_BIN_EXE_chartkit"))
        .env("CHARTKIT_PLUGINS_DIR", home.path().join("store"))
        .env("CHARTKIT_PLUGIN_PATH", repo_root().join("plugins"))
        .output()
        .expect("run helm");
    let text = stdout(out, "helm template --post-renderer chartkit");
    let docs = documents(&text);
    let job = find(&docs, "consul/chartkit-plugins/consul/consul-raft-peers.yaml");
    assert_eq!(job.len(), 1, "{text}");
    assert!(job[0].contains("helm.sh/hook: post-install,post-upgrade"), "{}", job[0]);
    assert!(job[0].contains("-ge 5 ]"), "{}", job[0]);
    assert!(!job[0].contains("postrender-filename"), "Helm strips its annotation");
}

#[test]
fn lint_reports_the_plugin_rules_at_the_template_line() {
    if !built("consul") {
        return;
    }
    let store = tempfile::tempdir().expect("tempdir");
    let fixture = "tests/charts/broken/consul-bootstrap-expect";
    let out = chartkit(store.path()).args(["lint", fixture]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[consul-bootstrap-expect]: -bootstrap-expect=3 but the StatefulSet runs 4 server(s)"), "{text}");
    assert!(text.contains("templates/statefulset.yaml:54:15"), "{text}");
    let off = chartkit(store.path()).args(["lint", fixture, "--no-plugins"]).output().expect("run");
    assert!(!String::from_utf8_lossy(&off.stdout).contains("error[consul-bootstrap-expect]"));
    // The bundled charts are clean with their plugins.
    for chart in ["charts/elasticsearch", "charts/consul", "charts/mongodb"] {
        let out = chartkit(store.path()).args(["lint", chart]).output().expect("run");
        assert_eq!(out.status.code(), Some(0), "{chart}: {}", String::from_utf8_lossy(&out.stdout));
    }
}

//! `helm template` of a chartkit-made package prints exactly what it
//! prints for the source directory (reference Helm v4.1.4), for every
//! deterministic corpus case whose chart has a golden package.

#[path = "../../../tests/registry/registry.rs"]
mod registry;

use std::path::{Path, PathBuf};

use chartkit_package::{PackageOptions, package};

const CHARTS: &[&str] = &[
    "elastic-elasticsearch",
    "bitnami-etcd",
    "ingress-nginx",
    "bitnami-mongodb",
    "hashicorp-vault",
];

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    p.is_dir().then_some(p)
}

#[test]
fn helm_renders_our_packages_like_the_source() {
    let helm = match registry::reference_helm() {
        Ok(h) => h,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let Some(corpus) = corpus() else {
        eprintln!("skipped: ../shared/corpus not found");
        return;
    };
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("cases.json")).unwrap()).unwrap();
    let cases = cases
        .as_array()
        .or_else(|| cases.get("cases").and_then(|c| c.as_array()))
        .unwrap()
        .clone();
    let tmp = tempfile::tempdir().unwrap();
    let mut packaged = std::collections::BTreeMap::new();
    for c in CHARTS {
        let p = package(
            &corpus.join("charts").join(c),
            &PackageOptions {
                dest: Some(tmp.path().join("pkgs")),
                mtime: Some(0),
                ..Default::default()
            },
        )
        .unwrap();
        packaged.insert(format!("charts/{c}"), p);
    }
    let mut compared = 0;
    for case in &cases {
        if case.get("deterministic").and_then(|d| d.as_bool()) != Some(true)
            || case.get("expect_error").and_then(|d| d.as_bool()) == Some(true)
        {
            continue;
        }
        let args: Vec<String> = case["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        let Some(pkg) = args.iter().find_map(|a| packaged.get(a)) else {
            continue;
        };
        let run = |swap: bool| {
            let args: Vec<String> = args
                .iter()
                .map(|a| match (swap, packaged.contains_key(a)) {
                    (true, true) => pkg.display().to_string(),
                    _ => a.clone(),
                })
                .collect();
            let out = registry::helm_command(&helm, &tmp.path().join("helm"))
                .arg("template")
                .args(&args)
                .current_dir(&corpus)
                .output()
                .unwrap();
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
            )
        };
        let (code_dir, from_dir) = run(false);
        let (code_pkg, from_pkg) = run(true);
        assert_eq!(
            code_dir,
            Some(0),
            "helm template {args:?} failed on the directory"
        );
        assert_eq!(code_pkg, code_dir, "{args:?}");
        assert!(
            from_pkg == from_dir,
            "helm template {args:?}: package and directory differ"
        );
        compared += 1;
    }
    eprintln!("helm template: {compared} corpus cases identical for package and directory");
    assert!(compared >= 5, "only {compared} cases compared");
}

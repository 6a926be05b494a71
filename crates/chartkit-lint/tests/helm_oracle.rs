//! Helm parity on chartkit's own lint test charts (tests/lint/charts) and
//! the datastore fixtures (tests/charts/{broken,clean}): expected output made
//! by the reference Helm with tests/lint/regen-helm-oracle.sh, stored in
//! tests/lint/helm-oracle.

mod common;

use std::path::{Path, PathBuf};

#[test]
fn fixtures_match_reference_helm() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("root");
    std::env::set_current_dir(&root).expect("cd root");
    let mut files: Vec<PathBuf> = std::fs::read_dir("tests/lint/helm-oracle")
        .expect("oracle dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in &files {
        cases.extend(common::parse_golden(&std::fs::read_to_string(f).expect("oracle")));
    }
    // Only charts still present (fixtures are written by another suite).
    cases.retain(|c| c.args.iter().any(|a| Path::new(a).join("Chart.yaml").exists()));
    let root_s = format!("{}/", root.display());
    let (passed, failed, failures) = common::compare(&cases, &|s| s.replace("<ROOT>/", &root_s));
    for f in &failures {
        eprintln!("{f}");
    }
    println!("helm-lint-parity (fixtures): {passed} passed, {failed} failed");
    assert!(passed > 0, "no oracle case ran");
    assert_eq!(failed, 0, "chartkit lint --format helm differs from the reference helm lint");
}

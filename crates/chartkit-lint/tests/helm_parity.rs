//! Helm parity on the public corpus: `chartkit lint --format helm` against
//! the golden `helm lint` / `helm lint --strict` output of Helm v4.1.4 in
//! ../shared/corpus/lint (run with the corpus folder as working directory).
//! stdout, stderr (Helm's log lines and summary) and the exit code must be
//! identical; prints `N passed, N failed`.

mod common;

use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    p.join("lint").is_dir().then_some(p)
}

#[test]
fn corpus_helm_lint_parity() {
    let Some(corpus) = corpus() else {
        eprintln!("corpus not found; skipping");
        return;
    };
    std::env::set_current_dir(&corpus).expect("cd corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir("lint")
        .expect("lint dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in &files {
        cases.extend(common::parse_golden(&std::fs::read_to_string(f).expect("golden")));
    }
    let (passed, failed, failures) = common::compare(&cases, &|s| s.to_string());
    for f in &failures {
        eprintln!("{f}");
    }
    println!("helm-lint-parity (corpus): {passed} passed, {failed} failed");
    assert!(passed > 0, "no corpus case ran");
    assert_eq!(failed, 0, "chartkit lint --format helm differs from helm lint");
}

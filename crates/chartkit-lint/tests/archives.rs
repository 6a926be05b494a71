//! `chartkit lint chart.tgz` lints a packaged chart like `helm lint` does: expanded into a
//! temporary directory, with the same findings as the directory it was packaged from, and
//! Helm's texts when the archive is broken.

use chartkit_lint::{LintOptions, ValueSets, lint_charts};

fn findings(path: &str) -> (Vec<String>, Option<String>) {
    let opts = LintOptions {
        value_sets: ValueSets::None,
        ..Default::default()
    };
    let out = lint_charts(&[path.to_string()], &opts).expect("lint");
    let chart = &out.run.charts[0];
    let mut rules: Vec<String> = chart
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.rule, d.message))
        .collect();
    rules.sort();
    (rules, chart.load_error.clone())
}

#[test]
fn an_archive_lints_like_its_directory() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/charts/broken/vct-mounted")
        .canonicalize()
        .unwrap();
    let dest = tempfile::tempdir().unwrap();
    let opts = chartkit_package::PackageOptions {
        dest: Some(dest.path().to_path_buf()),
        ..Default::default()
    };
    let tgz = chartkit_package::package(&dir, &opts).expect("package");
    let (from_dir, e1) = findings(&dir.display().to_string());
    let (from_tgz, e2) = findings(&tgz.display().to_string());
    assert_eq!((e1, e2), (None, None));
    assert!(
        from_dir.iter().any(|f| f.starts_with("vct-mounted ")),
        "{from_dir:?}"
    );
    assert_eq!(from_dir, from_tgz);
}

#[test]
fn a_broken_archive_gets_helms_error() {
    let dest = tempfile::tempdir().unwrap();
    let bad = dest.path().join("bad.tgz");
    std::fs::write(&bad, b"garbage\n").unwrap();
    let (_, err) = findings(&bad.display().to_string());
    assert_eq!(
        err.as_deref(),
        Some("unable to extract tarball: unexpected EOF")
    );
    let missing = dest.path().join("missing.tgz");
    let (_, err) = findings(&missing.display().to_string());
    assert_eq!(
        err,
        Some(format!(
            "unable to open tarball: open {}: no such file or directory",
            missing.display()
        ))
    );
}

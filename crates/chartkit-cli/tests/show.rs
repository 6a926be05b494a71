//! `chartkit show` against the reference Helm's `helm show`, on every corpus chart and on
//! the bundled charts: same stdout, same stderr text, same exit code.

#[path = "../../../tests/registry/registry.rs"]
#[allow(dead_code)]
mod registry;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(bin: &Path, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .output()
        .expect("run the binary")
}

fn charts() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for root in [
        repo_root().join("../shared/corpus/charts"),
        repo_root().join("charts"),
    ] {
        let Ok(entries) = std::fs::read_dir(&root) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("Chart.yaml").is_file())
            .collect();
        found.sort();
        dirs.extend(found);
    }
    dirs
}

#[test]
fn show_matches_helm() {
    let helm = match registry::reference_helm() {
        Ok(h) => h,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let chartkit = PathBuf::from(env!("CARGO_BIN_EXE_chartkit"));
    let charts = charts();
    assert!(!charts.is_empty(), "no charts found");
    let mut failures = Vec::new();
    let mut compared = 0;
    for chart in &charts {
        let chart = chart.to_string_lossy();
        for part in ["all", "chart", "values", "readme", "crds"] {
            let ours = run(&chartkit, &["show", part, &chart]);
            let theirs = run(&helm, &["show", part, &chart]);
            compared += 1;
            if ours.stdout != theirs.stdout
                || ours.stderr != theirs.stderr
                || ours.status.code() != theirs.status.code()
            {
                failures.push(format!("show {part} {chart}"));
            }
        }
    }
    for missing in ["/nonexistent-chart", "./nope", "stable/nope"] {
        let ours = run(&chartkit, &["show", "chart", missing]);
        let theirs = run(&helm, &["show", "chart", missing]);
        compared += 1;
        if ours.stderr != theirs.stderr || ours.status.code() != theirs.status.code() {
            failures.push(format!(
                "show chart {missing}: ours {:?} theirs {:?}",
                String::from_utf8_lossy(&ours.stderr),
                String::from_utf8_lossy(&theirs.stderr)
            ));
        }
    }
    eprintln!("show: {} compared, {} differ", compared, failures.len());
    assert!(
        failures.is_empty(),
        "differs from helm show:\n{}",
        failures.join("\n")
    );
}

//! The datastore fixtures in tests/charts: every chart under `broken/`
//! reports exactly the rule ids (with severities) listed in its
//! `expected-rules.txt` (infos aside) — so a fixture that stops or starts
//! triggering a rule fails this test — and every chart under `clean/`
//! reports no error and no warning.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chartkit_diagnostics::Severity;
use chartkit_lint::{LintOptions, ValueSets, lint_charts};

fn charts(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/charts")
        .join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixture dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("Chart.yaml").is_file())
        .collect();
    out.sort();
    out
}

/// `rule severity` of every warning and error.
fn findings(chart: &Path) -> BTreeSet<String> {
    let opts = LintOptions {
        value_sets: ValueSets::None,
        namespace: "default".into(),
        ..Default::default()
    };
    let out = lint_charts(&[chart.display().to_string()], &opts).expect("lint");
    out.run
        .charts
        .iter()
        .flat_map(|c| &c.diagnostics)
        .filter(|d| d.severity != Severity::Info)
        .map(|d| {
            let sev = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            format!("{} {sev}", d.rule)
        })
        .collect()
}

#[test]
fn broken_fixtures_report_exactly_their_rules() {
    let mut failures = Vec::new();
    let cases = charts("broken");
    assert!(cases.len() >= 13, "fixtures missing");
    for chart in &cases {
        let want: BTreeSet<String> = std::fs::read_to_string(chart.join("expected-rules.txt"))
            .expect("expected-rules.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        assert!(
            !want.is_empty(),
            "{}: a broken fixture must expect a finding",
            chart.display()
        );
        let got = findings(chart);
        if got != want {
            failures.push(format!("{}: want {want:?}, got {got:?}", chart.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn clean_fixtures_have_no_findings() {
    let cases = charts("clean");
    assert!(cases.len() >= 2, "fixtures missing");
    for chart in &cases {
        let got = findings(chart);
        assert!(got.is_empty(), "{}: {got:?}", chart.display());
    }
}

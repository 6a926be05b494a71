//! Every chartkit rule has a failing and a passing fixture in `tests/fixtures/<rule-id>/`,
//! and each does what it says: `fail` reports that rule, `pass` (the near miss) does not.
//!
//! Rendered-manifest rules use manifest streams (`fail.yaml`, `pass.yaml`, and
//! `previous.yaml` for upgrade rules), linted with `lint_manifests`; chart-source rules use
//! small charts (`fail/`, `pass/`), linted with `lint_charts`. Helm's own rules are judged
//! against the reference `helm lint` instead (tests/lint, `helm_oracle.rs`, `helm_parity.rs`).
//! A new rule without fixtures, or a fixture directory naming no rule, fails this test.

use std::path::{Path, PathBuf};

use chartkit_lint::registry::{OWN_RULES, Scope};
use chartkit_lint::{LintOptions, LintOutput, ValueSets, lint_charts, lint_manifests};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn options(previous: Option<PathBuf>) -> LintOptions {
    LintOptions {
        value_sets: ValueSets::None,
        namespace: "data".into(),
        previous,
        ..Default::default()
    }
}

/// The rule ids reported, with their messages, for failure output.
fn reported(out: &LintOutput) -> Vec<(String, String)> {
    out.run
        .charts
        .iter()
        .flat_map(|c| &c.diagnostics)
        .map(|d| (d.rule.to_string(), d.message.clone()))
        .collect()
}

fn lint_case(id: &str, scope: Scope, case: &str) -> Result<LintOutput, String> {
    let dir = fixtures().join(id);
    match scope {
        Scope::Chart => {
            let chart = dir.join(case);
            if !chart.join("Chart.yaml").is_file() {
                return Err(format!("{id}: missing fixture chart {}", chart.display()));
            }
            lint_charts(&[chart.display().to_string()], &options(None))
                .map_err(|e| format!("{id}/{case}: {e}"))
        }
        Scope::Rendered | Scope::Upgrade => {
            let file = dir.join(format!("{case}.yaml"));
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("{id}: missing fixture {}: {e}", file.display()))?;
            let previous = dir.join("previous.yaml");
            if scope == Scope::Upgrade && !previous.is_file() {
                return Err(format!("{id}: an upgrade rule needs previous.yaml"));
            }
            let previous = previous.is_file().then_some(previous);
            Ok(lint_manifests(
                &file.display().to_string(),
                &text,
                &options(previous),
            ))
        }
    }
}

#[test]
fn every_rule_fails_its_fail_fixture_and_passes_its_pass_fixture() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for rule in OWN_RULES {
        let id = rule.meta.id;
        for (case, want) in [("fail", true), ("pass", false)] {
            match lint_case(id, rule.meta.scope, case) {
                Err(e) => problems.push(e),
                Ok(out) => {
                    let got = reported(&out);
                    let hit = got.iter().any(|(r, _)| r == id);
                    if hit != want {
                        problems.push(format!(
                            "{id}/{case}: expected {}the rule, got {got:?}",
                            if want { "" } else { "no finding of " }
                        ));
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(checked, 2 * OWN_RULES.len());
}

#[test]
fn every_fixture_directory_names_a_rule() {
    let mut stray = Vec::new();
    for entry in std::fs::read_dir(fixtures()).expect("fixtures dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if !OWN_RULES.iter().any(|r| r.meta.id == name) {
            stray.push(name);
        }
    }
    assert!(stray.is_empty(), "fixtures for no rule: {stray:?}");
}

/// The pass fixtures are near misses of one rule each, not clean charts: but the shared
/// base they start from (a three-member MongoDB replica set) must be clean under every rule,
/// or a pass fixture would pass for the wrong reason.
#[test]
fn the_common_base_is_clean_under_every_rule() {
    let file = fixtures().join("sts-service-exists/pass.yaml");
    let text = std::fs::read_to_string(&file).expect("base fixture");
    let out = lint_manifests(&file.display().to_string(), &text, &options(None));
    assert_eq!(reported(&out), Vec::<(String, String)>::new());
}

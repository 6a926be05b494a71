//! `docs/lint-rules.md` is what the registry generates (regenerate with
//! `chartkit lint --list-rules --format github > docs/lint-rules.md`), and every rule is
//! documented with what it does, why, an example and the fix.

use chartkit_lint::registry;

#[test]
fn the_rules_page_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/lint-rules.md");
    let committed = std::fs::read_to_string(&path).expect("docs/lint-rules.md");
    assert!(
        committed == chartkit_lint::docs::rules_markdown(),
        "docs/lint-rules.md is stale: run `chartkit lint --list-rules --format github > docs/lint-rules.md`"
    );
}

#[test]
fn every_rule_has_what_why_example_and_fix() {
    let mut missing = Vec::new();
    for rule in registry::all() {
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix",
        ] {
            if !rule.meta.docs.contains(section) {
                missing.push(format!("{}: {section}", rule.meta.id));
            }
        }
        if rule.meta.summary.is_empty() {
            missing.push(format!("{}: summary", rule.meta.id));
        }
    }
    assert!(missing.is_empty(), "undocumented:\n{}", missing.join("\n"));
}

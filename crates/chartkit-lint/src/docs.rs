//! `docs/lint-rules.md`, generated from the registry.

use std::fmt::Write as _;

use crate::registry::{self, Group};

/// The markdown page listing every rule with its documentation.
pub fn rules_markdown() -> String {
    let mut s = String::new();
    s.push_str("# chartkit lint rules\n\n");
    s.push_str("<!-- Generated from crates/chartkit-lint/src/registry.rs by `chartkit lint --list-rules --format github` (GitHub markdown); do not edit. -->\n\n");
    s.push_str(
        "Scope: **C** chart source, **R** rendered manifests, **U** upgrade diff (`--previous`).\n",
    );
    s.push_str("Suppress per object with the annotation `chartkit.dev/ignore: rule-id[,rule-id]` (on the object or its pod template) or in `.chartkit.yaml`.\n\n");
    s.push_str("| id | severity | scope | summary |\n|---|---|---|---|\n");
    for r in registry::all() {
        let _ = writeln!(
            s,
            "| [`{}`](#{}) | {} | {} | {} |",
            r.meta.id,
            r.meta.id,
            r.meta.severity,
            r.meta.scope.letter(),
            r.meta.summary
        );
    }
    for group in [Group::Helm, Group::Workload, Group::Values] {
        let _ = writeln!(s, "\n## {}\n", group.title());
        for r in registry::all().filter(|r| r.meta.group == group) {
            let _ = writeln!(s, "### {}\n", r.meta.id);
            let _ = writeln!(
                s,
                "*{}* · default severity **{}** · scope {}\n",
                r.meta.summary,
                r.meta.severity,
                r.meta.scope.letter()
            );
            let docs: String = r
                .meta
                .docs
                .lines()
                .map(|l| l.strip_prefix(' ').unwrap_or(l))
                .map(|l| {
                    l.strip_prefix("## ")
                        .map_or_else(|| format!("{l}\n"), |h| format!("#### {h}\n"))
                })
                .collect();
            s.push_str(docs.trim_end());
            s.push('\n');
            if group == Group::Helm {
                s.push_str("\nChecked against `helm lint` of Helm v4.1.4 (`tests/lint/helm-oracle`, the corpus goldens).\n");
            } else {
                let _ = writeln!(
                    s,
                    "\nFixtures: [`crates/chartkit-lint/tests/fixtures/{0}/`](../crates/chartkit-lint/tests/fixtures/{0}/).",
                    r.meta.id
                );
            }
        }
    }
    s
}

/// One line per rule: `id  severity  scope  summary`.
pub fn rules_table() -> String {
    let mut s = String::new();
    for r in registry::all() {
        let _ = writeln!(
            s,
            "{:<32} {:<8} {}  {}",
            r.meta.id,
            r.meta.severity,
            r.meta.scope.letter(),
            r.meta.summary
        );
    }
    s
}

//! A JSON array with one object per finding: `rule`, `severity`,
//! `message`, `file`, `line`, `column`, `object` (or null), and the rest of
//! the diagnostic (`chart`, `valueSet`, `field`, `help`, `fix`, `labels`).

use serde_json::{Value, json};

use crate::diagnostic::Diagnostic;
use crate::report::LintRun;

/// One finding as a JSON object.
pub fn diagnostic_json(d: &Diagnostic, chart: &str) -> Value {
    let loc = d.location();
    json!({
        "rule": d.rule,
        "severity": d.severity,
        "message": d.message,
        "file": d.display_file(),
        "line": loc.map(|l| l.line),
        "column": loc.map(|l| l.column),
        "object": d.object,
        "field": d.field,
        "help": d.help,
        "fix": d.fix,
        "chart": chart,
        "valueSet": d.value_set,
        "labels": d.labels,
    })
}

/// Renders `run` as a pretty-printed JSON array (with a trailing newline).
/// Charts that failed to load appear as findings of rule `load`.
pub fn render(run: &LintRun) -> String {
    let mut items = Vec::new();
    for chart in &run.charts {
        if let Some(e) = &chart.load_error {
            items.push(json!({
                "rule": "load", "severity": "error", "message": e, "file": chart.path,
                "line": null, "column": null, "object": null, "chart": chart.path,
            }));
        }
        items.extend(
            chart
                .diagnostics
                .iter()
                .map(|d| diagnostic_json(d, &chart.path)),
        );
    }
    let mut s = serde_json::to_string_pretty(&Value::Array(items)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChartReport, Location, ObjectRef, Severity};

    #[test]
    fn required_keys_present() {
        let mut r = ChartReport::new("c");
        r.diagnostics.push(
            Diagnostic::new("sts-service-exists", Severity::Error, "m")
                .with_object(ObjectRef {
                    api_version: "apps/v1".into(),
                    kind: "StatefulSet".into(),
                    namespace: "ns".into(),
                    name: "db".into(),
                })
                .with_primary(
                    Location {
                        file: "c/templates/s.yaml".into(),
                        line: 9,
                        column: 3,
                        range: 10..20,
                    },
                    Some("here".into()),
                ),
        );
        let v: Value = serde_json::from_str(&render(&LintRun {
            charts: vec![r],
            strict: false,
        }))
        .unwrap();
        let o = &v[0];
        for k in ["rule", "severity", "message", "file", "line", "object"] {
            assert!(o.get(k).is_some(), "{k}");
        }
        assert_eq!(o["severity"], "error");
        assert_eq!(o["line"], 9);
        assert_eq!(o["object"]["kind"], "StatefulSet");
    }
}

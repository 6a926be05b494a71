//! SARIF 2.1.0: one run of the `chartkit` driver with its rule
//! descriptions, one result per finding with a physical location (file,
//! region) and a logical location (the Kubernetes object).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::render::RuleInfo;
use crate::report::LintRun;

/// SARIF's level for a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn physical(loc: &Location) -> Value {
    json!({
        "artifactLocation": { "uri": loc.file },
        "region": { "startLine": loc.line, "startColumn": loc.column },
    })
}

fn result(d: &Diagnostic, chart: &str, index: Option<usize>) -> Value {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        text.push_str("\n");
        text.push_str(h);
    }
    let mut location = serde_json::Map::new();
    match d.location() {
        Some(loc) => {
            location.insert("physicalLocation".into(), physical(loc));
        }
        None => {
            let file = d.file.clone().unwrap_or_else(|| chart.to_string());
            location.insert(
                "physicalLocation".into(),
                json!({ "artifactLocation": { "uri": file } }),
            );
        }
    }
    if let Some(o) = &d.object {
        location.insert(
            "logicalLocations".into(),
            json!([{ "fullyQualifiedName": o.to_string(), "name": o.name, "kind": "resource" }]),
        );
    }
    let related: Vec<Value> = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .enumerate()
        .map(|(i, l)| {
            json!({
                "id": i,
                "physicalLocation": physical(&l.location),
                "message": { "text": l.message.clone().unwrap_or_default() },
            })
        })
        .collect();
    let mut r = json!({
        "ruleId": d.rule,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [Value::Object(location)],
    });
    if let Some(i) = index {
        r["ruleIndex"] = json!(i);
    }
    if !related.is_empty() {
        r["relatedLocations"] = Value::Array(related);
    }
    let mut props = serde_json::Map::new();
    if let Some(vs) = &d.value_set {
        props.insert("valueSet".into(), json!(vs));
    }
    if let Some(f) = &d.field {
        props.insert("field".into(), json!(f));
    }
    if !props.is_empty() {
        r["properties"] = Value::Object(props);
    }
    r
}

/// Renders `run` as a SARIF 2.1.0 log.
pub fn render(run: &LintRun, rules: &[RuleInfo], version: &str) -> String {
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let driver_rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.docs, "markdown": r.docs },
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let mut results = Vec::new();
    for chart in &run.charts {
        if let Some(e) = &chart.load_error {
            results.push(json!({
                "ruleId": "load", "level": "error", "message": { "text": e },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": chart.path } } }],
            }));
        }
        for d in &chart.diagnostics {
            results.push(result(d, &chart.path, index.get(d.rule.as_str()).copied()));
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "chartkit",
                "version": version,
                "informationUri": "https://github.com/chartkit/chartkit",
                "rules": driver_rules,
            }},
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChartReport;

    #[test]
    fn shape() {
        let mut r = ChartReport::new("c");
        r.diagnostics.push(Diagnostic::new(
            "chart-icon-present",
            Severity::Info,
            "icon is recommended",
        ));
        let rules = vec![RuleInfo {
            id: "chart-icon-present".into(),
            summary: "s".into(),
            severity: Severity::Info,
            docs: "d".into(),
        }];
        let v: Value = serde_json::from_str(&render(
            &LintRun {
                charts: vec![r],
                strict: false,
            },
            &rules,
            "0.1.0",
        ))
        .unwrap();
        assert_eq!(v["version"], "2.1.0");
        let res = &v["runs"][0]["results"][0];
        assert_eq!(res["level"], "note");
        assert_eq!(res["ruleIndex"], 0);
        assert_eq!(
            res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "c"
        );
    }
}

//! `values-schema-valid`.

use crate::context::{Ctx, Findings, Target};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every values.schema.json of the chart tree is itself a
    /// valid JSON Schema, and that a schema with top-level
    /// `additionalProperties: false` declares `global`.
    ///
    /// ## Why is this bad?
    /// Helm silently skips parts of an invalid schema, so typos
    /// (`"type": "strng"`) disable validation. Helm adds `global` to the
    /// values of every subchart: a closed schema then rejects every install
    /// that sets a global.
    ///
    /// ## Example
    /// ```json
    /// {"type": "object", "additionalProperties": false, "properties": {"replicas": {"type": "integr"}}}
    /// ```
    ///
    /// ## Fix
    /// Fix the schema; add `"global": {"type": "object"}` to `properties`.
    id: "values-schema-valid",
    severity: Error,
    scope: Chart,
    group: Values,
    summary: "values.schema.json is a valid schema that permits global",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let Some(chart) = ctx.chart else { return };
    for (path, c) in chart.walk() {
        let Some(schema) = &c.schema else { continue };
        let rel = path
            .split_once('/')
            .map_or("values.schema.json".to_string(), |(_, r)| {
                format!("{r}/values.schema.json")
            });
        let target = Target::File(rel.clone(), 0..0);
        let json: serde_json::Value = match serde_json::from_slice(schema) {
            Ok(j) => j,
            Err(e) => {
                out.push(&RULE, target, format!("{rel} is not JSON: {e}"));
                continue;
            }
        };
        if let Err(e) = jsonschema::meta::validate(&json) {
            out.push(
                &RULE,
                target.clone(),
                format!("{rel} is not a valid JSON Schema: {e}"),
            );
        }
        if json.get("additionalProperties") == Some(&serde_json::Value::Bool(false))
            && json.pointer("/properties/global").is_none()
        {
            out.push(&RULE, target, format!("{rel} sets additionalProperties: false without declaring \"global\": installs that set global values fail"))
                .severity(chartkit_diagnostics::Severity::Warning);
        }
    }
}

//! `vct-storageclass`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, get};

crate::declare_rule! {
    /// ## What it does
    /// Warns about claim templates and PersistentVolumeClaims with
    /// `storageClassName: ""`. Helm charts conventionally map the value
    /// `"-"` to that empty string; any other empty value is usually an
    /// unset value that was quoted.
    ///
    /// ## Why is this bad?
    /// An empty storage class disables dynamic provisioning: the claim stays
    /// Pending until an administrator creates a matching PersistentVolume.
    ///
    /// ## Example
    /// ```yaml
    /// storageClassName: {{ .Values.persistence.storageClass | quote }}   # renders ""
    /// ```
    ///
    /// ## Fix
    /// Omit `storageClassName` to use the default class; set `"-"` in
    /// values only when static provisioning is really intended.
    id: "vct-storageclass",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "no empty storageClassName by accident",
}

fn values_have_dash(v: &chartkit_chart::Value) -> bool {
    match v {
        chartkit_chart::Value::String(s) => s == "-",
        chartkit_chart::Value::Map(m) => m.values().any(values_have_dash),
        chartkit_chart::Value::Seq(s) => s.iter().any(values_have_dash),
        _ => false,
    }
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let intended = ctx.values.is_some_and(|m| m.values().any(values_have_dash));
    if intended {
        return;
    }
    for (i, o) in ctx.objects.iter().enumerate() {
        let mut paths = Vec::new();
        if o.kind() == "StatefulSet" {
            let n = get(&o.json, "spec.volumeClaimTemplates")
                .and_then(Json::as_array)
                .map_or(0, Vec::len);
            paths.extend(
                (0..n).map(|t| format!("spec.volumeClaimTemplates[{t}].spec.storageClassName")),
            );
        } else if o.kind() == "PersistentVolumeClaim" {
            paths.push("spec.storageClassName".to_string());
        }
        for p in paths {
            if get(&o.json, &p).and_then(Json::as_str) == Some("") {
                out.object(&RULE, i, &p, "storageClassName is \"\": dynamic provisioning is disabled and the claim waits for a pre-created PersistentVolume")
                    .help("omit storageClassName for the default class (set \"-\" in values when static provisioning is intended)");
            }
        }
    }
}

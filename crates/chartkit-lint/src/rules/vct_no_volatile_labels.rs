//! `vct-no-volatile-labels`.

use crate::context::{Ctx, Findings, get, get_labels};
use crate::rules::selector_no_volatile_labels::{volatile_labels, volatile_values};

crate::declare_rule! {
    /// ## What it does
    /// Reports volumeClaimTemplates whose metadata labels carry the chart
    /// version, app version or `helm.sh/chart`.
    ///
    /// ## Why is this bad?
    /// volumeClaimTemplates are immutable: changing them on a chart bump
    /// makes every upgrade fail (`spec: Forbidden: updates to statefulset
    /// spec ... are forbidden`).
    ///
    /// ## Example
    /// ```yaml
    /// volumeClaimTemplates:
    ///   - metadata: {name: data, labels: {helm.sh/chart: db-1.0.0}}
    /// ```
    ///
    /// ## Fix
    /// Use only stable labels (or none) on claim templates.
    id: "vct-no-volatile-labels",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "claim templates carry no version labels",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let values = volatile_values(ctx);
    for (i, sts) in ctx.of_kind("StatefulSet") {
        let n = get(&sts.json, "spec.volumeClaimTemplates")
            .and_then(|v| v.as_array())
            .map_or(0, Vec::len);
        for t in 0..n {
            let path = format!("spec.volumeClaimTemplates[{t}].metadata.labels");
            let bad = volatile_labels(&get_labels(&sts.json, &path), &values);
            if !bad.is_empty() {
                out.object(
                    &RULE,
                    i,
                    &path,
                    format!(
                        "volumeClaimTemplates are immutable but carry volatile label(s) {}",
                        bad.join(", ")
                    ),
                );
            }
        }
    }
}

//! `selector-no-volatile-labels`.

use crate::context::{Ctx, Findings, get_labels};

crate::declare_rule! {
    /// ## What it does
    /// Reports selectors (workload `spec.selector.matchLabels`, Service
    /// `spec.selector`, PodDisruptionBudget selectors) that contain labels
    /// which change between releases: `helm.sh/chart`, `chart`,
    /// `app.kubernetes.io/version`, `version`, or a value equal to the
    /// chart's version, app version or `<chart>-<version>`.
    ///
    /// ## Why is this bad?
    /// Workload selectors are immutable: the next chart bump makes
    /// `helm upgrade` fail with `field is immutable`.
    ///
    /// ## Example
    /// ```yaml
    /// selector:
    ///   matchLabels: {helm.sh/chart: mongodb-1.2.3}
    /// ```
    ///
    /// ## Fix
    /// Select on stable labels only (`app.kubernetes.io/name`,
    /// `app.kubernetes.io/instance`); keep version labels on metadata.
    id: "selector-no-volatile-labels",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "selectors do not contain version labels",
}

const VOLATILE_KEYS: &[&str] = &[
    "helm.sh/chart",
    "chart",
    "app.kubernetes.io/version",
    "version",
];

/// The volatile values of this chart (version, appVersion, name-version).
pub(crate) fn volatile_values(ctx: &Ctx<'_>) -> Vec<String> {
    let Some(c) = ctx.chart else {
        return Vec::new();
    };
    let md = &c.metadata;
    let mut v = vec![format!("{}-{}", md.name, md.version.replace('+', "_"))];
    if !md.version.is_empty() {
        v.push(md.version.clone());
    }
    if !md.app_version.is_empty() {
        v.push(md.app_version.clone());
    }
    v
}

/// Names of volatile labels in `labels`.
pub(crate) fn volatile_labels(
    labels: &std::collections::BTreeMap<String, String>,
    values: &[String],
) -> Vec<String> {
    labels
        .iter()
        .filter(|(k, v)| VOLATILE_KEYS.contains(&k.as_str()) || values.contains(v))
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let values = volatile_values(ctx);
    for (i, o) in ctx.objects.iter().enumerate() {
        let path = match o.kind() {
            "StatefulSet" | "Deployment" | "DaemonSet" | "ReplicaSet" | "PodDisruptionBudget" => {
                "spec.selector.matchLabels"
            }
            "Service" => "spec.selector",
            _ => continue,
        };
        let bad = volatile_labels(&get_labels(&o.json, path), &values);
        if !bad.is_empty() {
            out.object(&RULE, i, path, format!("{} {:?} selects on volatile label(s) {}: selectors are immutable, the next chart release breaks upgrades", o.kind(), o.name(), bad.join(", ")))
                .help("select on app.kubernetes.io/name and app.kubernetes.io/instance only");
        }
    }
}

//! `sts-immutable-diff`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, Target, get};
use crate::objects::FieldPath;

crate::declare_rule! {
    /// ## What it does
    /// With `--previous FILE` (an earlier `helm template`/`chartkit render`
    /// output), compares every StatefulSet with its previous version and
    /// reports changes to immutable fields: `spec.selector`,
    /// `spec.serviceName`, `spec.podManagementPolicy` and
    /// `spec.volumeClaimTemplates` (names, storage size, storage class,
    /// access modes).
    ///
    /// ## Why is this bad?
    /// The API server rejects the update: `helm upgrade` and
    /// `kubectl apply` fail, and the usual workaround (delete with
    /// `--cascade=orphan`) is manual.
    ///
    /// ## Example
    /// `persistence.size` raised from `8Gi` to `20Gi` in values.
    ///
    /// ## Fix
    /// Keep these fields stable; resize PVCs directly (allowVolumeExpansion)
    /// and migrate selectors with an orphaning delete.
    id: "sts-immutable-diff",
    severity: Error,
    scope: Upgrade,
    group: Workload,
    summary: "no changes to immutable StatefulSet fields",
}

fn vct_view(v: Option<&Json>) -> Vec<(String, Json, Json, Json)> {
    v.and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .map(|t| {
                    (
                        get(t, "metadata.name")
                            .and_then(Json::as_str)
                            .unwrap_or("")
                            .to_string(),
                        get(t, "spec.resources.requests.storage")
                            .cloned()
                            .unwrap_or(Json::Null),
                        get(t, "spec.storageClassName")
                            .cloned()
                            .unwrap_or(Json::Null),
                        get(t, "spec.accessModes").cloned().unwrap_or(Json::Null),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let Some(prev) = ctx.previous else { return };
    for (i, sts) in ctx.of_kind("StatefulSet") {
        let ns = sts.effective_namespace(ctx.namespace);
        let Some((pi, old)) = prev.iter().enumerate().find(|(_, p)| {
            p.kind() == "StatefulSet"
                && p.name() == sts.name()
                && p.effective_namespace(ctx.namespace) == ns
        }) else {
            continue;
        };
        for field in [
            "spec.selector",
            "spec.serviceName",
            "spec.podManagementPolicy",
        ] {
            let (a, b) = (get(&old.json, field), get(&sts.json, field));
            let default = |v: Option<&Json>| match (field, v) {
                ("spec.podManagementPolicy", None) => Some(Json::String("OrderedReady".into())),
                (_, v) => v.cloned(),
            };
            if default(a) != default(b) {
                out.object(&RULE, i, field, format!("StatefulSet {:?}: {field} changed from {} to {}; the field is immutable and the upgrade will be rejected", sts.name(), a.map_or("unset".into(), Json::to_string), b.map_or("unset".into(), Json::to_string)))
                    .related(Target::Previous(pi, FieldPath::parse(field)), "previous value");
            }
        }
        let (a, b) = (
            vct_view(get(&old.json, "spec.volumeClaimTemplates")),
            vct_view(get(&sts.json, "spec.volumeClaimTemplates")),
        );
        if a != b {
            let what = if a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| x.0 != y.0) {
                "claim templates were added, removed or renamed".to_string()
            } else {
                let (x, y) = a
                    .iter()
                    .zip(&b)
                    .find(|(x, y)| x != y)
                    .map(|(x, y)| (x.clone(), y.clone()))
                    .unwrap_or_default();
                if x.1 != y.1 {
                    format!(
                        "claim template {:?} storage changed from {} to {}",
                        x.0, x.1, y.1
                    )
                } else if x.2 != y.2 {
                    format!(
                        "claim template {:?} storageClassName changed from {} to {}",
                        x.0, x.2, y.2
                    )
                } else {
                    format!(
                        "claim template {:?} accessModes changed from {} to {}",
                        x.0, x.3, y.3
                    )
                }
            };
            out.object(&RULE, i, "spec.volumeClaimTemplates", format!("StatefulSet {:?}: {what}; volumeClaimTemplates are immutable", sts.name()))
                .related(Target::Previous(pi, FieldPath::parse("spec.volumeClaimTemplates")), "previous claim templates")
                .help("resize the PVCs directly instead, then `kubectl delete sts --cascade=orphan` and upgrade");
        }
    }
}

//! `pvc-retention-policy`.

use crate::context::{Ctx, Findings, get_str, is_datastore};

crate::declare_rule! {
    /// ## What it does
    /// Warns when a datastore StatefulSet sets
    /// `persistentVolumeClaimRetentionPolicy` `whenDeleted` or `whenScaled`
    /// to `Delete`.
    ///
    /// ## Why is this bad?
    /// `helm uninstall` (whenDeleted) or scaling down (whenScaled) then
    /// deletes the data volumes.
    ///
    /// ## Example
    /// ```yaml
    /// persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete}
    /// ```
    ///
    /// ## Fix
    /// Keep the default `Retain`, or make Delete an explicit opt-in value.
    id: "pvc-retention-policy",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "datastores retain their claims",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        if !is_datastore(sts) {
            continue;
        }
        for f in ["whenDeleted", "whenScaled"] {
            let p = format!("spec.persistentVolumeClaimRetentionPolicy.{f}");
            if get_str(&sts.json, &p) == Some("Delete") {
                out.object(
                    &RULE,
                    i,
                    &p,
                    format!(
                        "{f}: Delete removes the data volumes of datastore {:?}",
                        sts.name()
                    ),
                );
            }
        }
    }
}

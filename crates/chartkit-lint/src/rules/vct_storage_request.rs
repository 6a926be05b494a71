//! `vct-storage-request`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, get, is_datastore};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every volumeClaimTemplate requests storage
    /// (`resources.requests.storage`) and sets `accessModes`; warns about
    /// `ReadWriteMany` on datastores.
    ///
    /// ## Why is this bad?
    /// Without a request the claim is rejected; without access modes it is
    /// invalid. Datastores replicate themselves: ReadWriteMany volumes (NFS)
    /// are slow and break fsync and locking assumptions.
    ///
    /// ## Example
    /// ```yaml
    /// volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteMany]}}]
    /// ```
    ///
    /// ## Fix
    /// `accessModes: [ReadWriteOnce]` and `resources.requests.storage: 10Gi`.
    id: "vct-storage-request",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "claim templates request storage and set access modes",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        let Some(Json::Array(vcts)) = get(&sts.json, "spec.volumeClaimTemplates") else {
            continue;
        };
        for (t, vct) in vcts.iter().enumerate() {
            let base = format!("spec.volumeClaimTemplates[{t}]");
            if get(vct, "spec.resources.requests.storage").is_none() {
                out.object(
                    &RULE,
                    i,
                    &format!("{base}.spec"),
                    "claim template requests no storage (spec.resources.requests.storage)",
                );
            }
            match get(vct, "spec.accessModes").and_then(Json::as_array) {
                None => {
                    out.object(
                        &RULE,
                        i,
                        &format!("{base}.spec"),
                        "claim template sets no accessModes",
                    );
                }
                Some(modes) => {
                    if is_datastore(sts)
                        && modes.iter().any(|m| m.as_str() == Some("ReadWriteMany"))
                    {
                        out.object(&RULE, i, &format!("{base}.spec.accessModes"), "ReadWriteMany on a datastore: each replica should own a ReadWriteOnce volume")
                            .severity(chartkit_diagnostics::Severity::Warning);
                    }
                }
            }
        }
    }
}

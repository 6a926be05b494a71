//! `volumemount-resolves`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, containers, get, get_str, pod_spec_path};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every volumeMount names a pod volume or (for
    /// StatefulSets) a volumeClaimTemplate, and that no pod volume and
    /// claim template share a name.
    ///
    /// ## Why is this bad?
    /// Kubernetes' StatefulSet validation does not check this: the pods
    /// fail to start (`volumeMounts[0].name: Not found`), or the volume
    /// silently shadows the claim.
    ///
    /// ## Example
    /// ```yaml
    /// containers: [{name: db, volumeMounts: [{name: datadir, mountPath: /data}]}]
    /// volumeClaimTemplates: [{metadata: {name: data}}]
    /// ```
    ///
    /// ## Fix
    /// Use the same name in the mount and the volume or claim template.
    id: "volumemount-resolves",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "volumeMounts name a volume or claim template",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, o) in ctx.workloads() {
        let Some(spec) = pod_spec_path(o) else {
            continue;
        };
        let volumes: Vec<&str> = get(&o.json, &format!("{spec}.volumes"))
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| get_str(v, "name"))
            .collect();
        let claims: Vec<&str> = get(&o.json, "spec.volumeClaimTemplates")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| get_str(v, "metadata.name"))
            .collect();
        for c in containers(o) {
            for (m, mount) in c
                .json
                .get("volumeMounts")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let name = get_str(mount, "name").unwrap_or("");
                if !volumes.contains(&name)
                    && !(o.kind() == "StatefulSet" && claims.contains(&name))
                {
                    out.object(&RULE, i, &format!("{}.volumeMounts[{m}].name", c.path), format!("container {:?} mounts {name:?}, which is neither a volume{} of {} {:?}", c.name(), if o.kind() == "StatefulSet" { " nor a volumeClaimTemplate" } else { "" }, o.kind(), o.name()));
                }
            }
        }
        if o.kind() == "StatefulSet" {
            for (v, vol) in volumes.iter().enumerate() {
                if claims.contains(vol) {
                    out.object(&RULE, i, &format!("{spec}.volumes[{v}].name"), format!("pod volume {vol:?} has the same name as a volumeClaimTemplate: the claim is shadowed"));
                }
            }
        }
    }
}

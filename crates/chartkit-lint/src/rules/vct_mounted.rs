//! `vct-mounted`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, containers, get, get_str};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every volumeClaimTemplate of a StatefulSet is mounted by
    /// at least one container or init container.
    ///
    /// ## Why is this bad?
    /// An unmounted claim is provisioned and paid for while the engine
    /// writes to the container filesystem: data is lost on every restart.
    /// A misplaced `volumeMounts` (beside `containers` instead of inside a
    /// container) causes exactly this.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   template: {spec: {containers: [{name: db}], volumeMounts: [{name: data, mountPath: /data}]}}
    ///   volumeClaimTemplates: [{metadata: {name: data}}]
    /// ```
    ///
    /// ## Fix
    /// Put `volumeMounts` inside the container that writes the data.
    id: "vct-mounted",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "every claim template is mounted",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        let Some(Json::Array(vcts)) = get(&sts.json, "spec.volumeClaimTemplates") else {
            continue;
        };
        let mounted: Vec<&str> = containers(sts)
            .iter()
            .flat_map(|c| {
                c.json
                    .get("volumeMounts")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
            })
            .filter_map(|m| get_str(m, "name"))
            .collect();
        for (t, vct) in vcts.iter().enumerate() {
            let name = get_str(vct, "metadata.name").unwrap_or("");
            if !mounted.contains(&name) {
                out.object(&RULE, i, &format!("spec.volumeClaimTemplates[{t}].metadata.name"), format!("volumeClaimTemplate {name:?} of StatefulSet {:?} is not mounted by any container: data goes to the container filesystem and is lost on restart", sts.name()))
                    .help("add a volumeMount with this name inside the container (not beside `containers`)");
            }
        }
    }
}

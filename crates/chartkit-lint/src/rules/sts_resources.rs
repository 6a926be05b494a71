//! `sts-resources`.

use crate::context::{Ctx, Findings, containers, get, is_datastore};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container of a datastore StatefulSet (init
    /// containers too) requests cpu and memory and sets a memory limit.
    ///
    /// ## Why is this bad?
    /// Without requests the pods are BestEffort: first evicted under
    /// pressure. Without a memory limit a JVM or cache grows until the node
    /// OOM-kills neighbours.
    ///
    /// ## Example
    /// `resources: {}` on the Elasticsearch container.
    ///
    /// ## Fix
    /// Set `resources.requests.{cpu,memory}` and `resources.limits.memory`.
    id: "sts-resources",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "datastore containers request cpu/memory and limit memory",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        if !is_datastore(sts) {
            continue;
        }
        for c in containers(sts) {
            let mut missing = Vec::new();
            for (p, what) in [
                ("resources.requests.cpu", "cpu request"),
                ("resources.requests.memory", "memory request"),
                ("resources.limits.memory", "memory limit"),
            ] {
                if get(c.json, p).is_none() {
                    missing.push(what);
                }
            }
            if !missing.is_empty() {
                let path = if c.json.get("resources").is_some() {
                    format!("{}.resources", c.path)
                } else {
                    c.path.clone()
                };
                out.object(
                    &RULE,
                    i,
                    &path,
                    format!(
                        "{}container {:?} of datastore {:?} has no {}",
                        if c.init { "init " } else { "" },
                        c.name(),
                        sts.name(),
                        missing.join(", ")
                    ),
                );
            }
        }
    }
}

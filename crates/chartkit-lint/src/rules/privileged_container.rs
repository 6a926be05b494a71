//! `privileged-container`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, containers, get};

/// The annotation that declares a privileged init container as intended.
pub const EXPECTED_PRIVILEGED: &str = "chartkit.dev/expected-privileged";

crate::declare_rule! {
    /// ## What it does
    /// Reports privileged containers. A privileged *init* container is not
    /// reported when the object (or its pod template) carries the
    /// annotation `chartkit.dev/expected-privileged: "<reason>"` — the
    /// Elasticsearch `vm.max_map_count` sysctl container is the usual case.
    ///
    /// ## Why is this bad?
    /// A privileged container has full access to the node.
    ///
    /// ## Example
    /// `securityContext: {privileged: true}` on the engine container.
    ///
    /// ## Fix
    /// Drop the privilege; for node settings use a documented node setup
    /// or a justified, annotated init container.
    id: "privileged-container",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "no unexplained privileged containers",
}

fn expected(o: &crate::objects::RenderedObject) -> bool {
    let tpl = crate::context::pod_template_path(o.kind())
        .and_then(|t| get(&o.json, &format!("{t}.metadata.annotations")))
        .and_then(|a| a.get(EXPECTED_PRIVILEGED))
        .and_then(Json::as_str);
    o.annotation(EXPECTED_PRIVILEGED)
        .or(tpl)
        .is_some_and(|r| !r.trim().is_empty())
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, o) in ctx.workloads() {
        for c in containers(o) {
            if get(c.json, "securityContext.privileged").and_then(Json::as_bool) != Some(true) {
                continue;
            }
            if c.init && expected(o) {
                continue;
            }
            out.object(&RULE, i, &format!("{}.securityContext.privileged", c.path), format!("{}container {:?} is privileged", if c.init { "init " } else { "" }, c.name()))
                .help(if c.init { "if intended (e.g. a sysctl), annotate the object with chartkit.dev/expected-privileged: \"<reason>\"" } else { "remove privileged: true" });
        }
    }
}

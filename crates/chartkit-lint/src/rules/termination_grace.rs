//! `termination-grace`.

use crate::context::{Ctx, Findings, engine_of, get_i64, is_datastore};

crate::declare_rule! {
    /// ## What it does
    /// Checks that datastore StatefulSets give pods enough time to stop:
    /// `terminationGracePeriodSeconds` of at least 30 s (60 s for
    /// Elasticsearch and MongoDB, which flush and step down).
    ///
    /// ## Why is this bad?
    /// A SIGKILL before the engine flushes means crash recovery (or lost
    /// acknowledged writes) on every rolling upgrade.
    ///
    /// ## Example
    /// `terminationGracePeriodSeconds: 5`
    ///
    /// ## Fix
    /// Leave the default (30) or raise it; never lower it for datastores.
    id: "termination-grace",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "datastores get time to flush on shutdown",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        if !is_datastore(sts) {
            continue;
        }
        let path = "spec.template.spec.terminationGracePeriodSeconds";
        let Some(g) = get_i64(&sts.json, path) else {
            continue;
        };
        let need = match engine_of(sts) {
            Some(crate::context::Engine::Elasticsearch | crate::context::Engine::Mongo) => 60,
            _ => 30,
        };
        if g < need {
            out.object(&RULE, i, path, format!("terminationGracePeriodSeconds {g} is short for datastore {:?}; at least {need} s lets it flush and step down", sts.name()));
        }
    }
}

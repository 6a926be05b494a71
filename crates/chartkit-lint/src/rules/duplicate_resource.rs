//! `duplicate-resource`.

use std::collections::BTreeMap;

use crate::context::{Ctx, Findings, Target};
use crate::objects::FieldPath;

crate::declare_rule! {
    /// ## What it does
    /// Reports two rendered objects with the same kind, namespace and name.
    ///
    /// ## Why is this bad?
    /// Helm applies both; the second silently overwrites the first (or the
    /// install fails with `already exists`).
    ///
    /// ## Example
    /// Two templates both rendering `ConfigMap/db-config`.
    ///
    /// ## Fix
    /// Give each object a distinct name, or render it once.
    id: "duplicate-resource",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "no object is rendered twice",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for (i, o) in ctx.objects.iter().enumerate() {
        if o.kind().is_empty() || o.name().is_empty() || o.hook.is_some() {
            continue;
        }
        let key = (
            o.kind().to_string(),
            o.effective_namespace(ctx.namespace).to_string(),
            o.name().to_string(),
        );
        if let Some(first) = seen.get(&key) {
            out.object(
                &RULE,
                i,
                "metadata.name",
                format!(
                    "{} {:?} is rendered twice in namespace {:?}",
                    key.0, key.2, key.1
                ),
            )
            .related(
                Target::Object(*first, FieldPath::parse("metadata.name")),
                "first rendered here",
            );
        } else {
            seen.insert(key, i);
        }
    }
}

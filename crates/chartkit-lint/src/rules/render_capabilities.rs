//! `render-capabilities`.

use crate::context::{Ctx, Findings};
use crate::kube::deprecations;

crate::declare_rule! {
    /// ## What it does
    /// Reports rendered objects whose apiVersion is no longer served by the
    /// target Kubernetes version (`--kube-version`, default 1.35): the
    /// install fails with `no matches for kind`. Render with
    /// `--kube-version` (and `--api-versions`) so capability-gated
    /// templates take their modern branches first.
    ///
    /// ## Why is this bad?
    /// `deprecated-api` (Helm's warning) does not fail `helm lint`, but the
    /// API server rejects removed APIs outright.
    ///
    /// ## Example
    /// `apiVersion: policy/v1beta1` PodDisruptionBudget on Kubernetes 1.25+.
    ///
    /// ## Fix
    /// Use the replacement API (gate it on `.Capabilities.APIVersions.Has`
    /// only if older clusters must still be supported).
    id: "render-capabilities",
    severity: Error,
    scope: Rendered,
    group: Values,
    summary: "no APIs removed in the target Kubernetes version",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let (maj, min) = ctx.kube_version;
    for (i, o) in ctx.objects.iter().enumerate() {
        if deprecations::is_removed(o.api_version(), o.kind(), ctx.kube_version) {
            let repl = deprecations::lookup(o.api_version(), o.kind())
                .and_then(|l| l.replacement)
                .map(|(gv, k)| format!("; use {gv} {k}"))
                .unwrap_or_default();
            out.object(
                &RULE,
                i,
                "apiVersion",
                format!(
                    "{} {} is not served by Kubernetes {maj}.{min}: the install fails{repl}",
                    o.api_version(),
                    o.kind()
                ),
            );
        }
    }
}

//! `fsgroup-vs-chown`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, containers, get, pod_spec_path};

crate::declare_rule! {
    /// ## What it does
    /// Looks at pods that set `securityContext.fsGroup` and also run an
    /// init container doing a recursive `chown`/`chmod` as root: the work is
    /// done twice; recommends `fsGroupChangePolicy: OnRootMismatch`. A root
    /// init container in a pod whose security context says
    /// `runAsNonRoot: true` is an error (it cannot start).
    ///
    /// ## Why is this bad?
    /// Recursive ownership changes on large volumes take minutes on every
    /// restart; the root init container contradicts the pod's policy.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext: {fsGroup: 1000, runAsNonRoot: true}
    /// initContainers: [{name: chown, command: [chown, -R, "1000:1000", /data], securityContext: {runAsUser: 0}}]
    /// ```
    ///
    /// ## Fix
    /// Drop the init container; set `fsGroupChangePolicy: OnRootMismatch`.
    id: "fsgroup-vs-chown",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "fsGroup instead of a recursive root chown",
}

fn is_recursive_chown(c: &Json) -> bool {
    let mut words: Vec<String> = Vec::new();
    for f in ["command", "args"] {
        for v in c.get(f).and_then(Json::as_array).into_iter().flatten() {
            if let Some(s) = v.as_str() {
                words.extend(s.split_whitespace().map(str::to_string));
            }
        }
    }
    words.windows(2).any(|w| {
        (w[0].ends_with("chown") || w[0].ends_with("chmod"))
            && (w[1] == "-R" || w[1] == "-r" || w[1] == "--recursive")
    })
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, o) in ctx.workloads() {
        let Some(spec) = pod_spec_path(o) else {
            continue;
        };
        let fs_group = get(&o.json, &format!("{spec}.securityContext.fsGroup")).is_some();
        let non_root = get(&o.json, &format!("{spec}.securityContext.runAsNonRoot"))
            .and_then(Json::as_bool)
            == Some(true);
        let on_mismatch = get(
            &o.json,
            &format!("{spec}.securityContext.fsGroupChangePolicy"),
        )
        .and_then(Json::as_str)
            == Some("OnRootMismatch");
        for c in containers(o).into_iter().filter(|c| c.init) {
            let root = get(c.json, "securityContext.runAsUser").and_then(Json::as_i64) == Some(0);
            if root
                && non_root
                && get(c.json, "securityContext.runAsNonRoot").and_then(Json::as_bool)
                    != Some(false)
            {
                out.object(&RULE, i, &format!("{}.securityContext.runAsUser", c.path), format!("init container {:?} runs as root but the pod sets runAsNonRoot: true; it cannot start", c.name()))
                    .severity(chartkit_diagnostics::Severity::Error);
            }
            if fs_group && is_recursive_chown(c.json) {
                out.object(&RULE, i, &c.path, format!("init container {:?} changes ownership recursively although fsGroup is set{}", c.name(), if on_mismatch { "" } else { "; set fsGroupChangePolicy: OnRootMismatch instead" }));
            }
        }
    }
}

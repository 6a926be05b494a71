//! `latest-tag`.

use crate::context::{Ctx, Findings, containers, engine_of_image};

crate::declare_rule! {
    /// ## What it does
    /// Reports images without a tag or digest, or tagged `latest`; for the
    /// datastore engine's image, warns when its tag does not contain the
    /// chart's `appVersion` (C+R).
    ///
    /// ## Why is this bad?
    /// `latest` changes under you: a pod rescheduled tomorrow runs another
    /// major version against the same data files.
    ///
    /// ## Example
    /// `image: mongo:latest`
    ///
    /// ## Fix
    /// Pin a version (`mongo:7.0.14`), ideally by digest, and keep
    /// `appVersion` in step.
    id: "latest-tag",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "images are pinned",
}

fn tag(image: &str) -> Option<&str> {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split_once(':').map(|(_, t)| t)
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let app_version = ctx
        .chart
        .map(|c| c.metadata.app_version.trim_start_matches('v').to_string())
        .unwrap_or_default();
    for (i, o) in ctx.workloads() {
        for c in containers(o) {
            let image = c.image();
            if image.is_empty() {
                continue;
            }
            let digest = image.contains('@');
            match tag(image) {
                None if !digest => {
                    out.object(
                        &RULE,
                        i,
                        &format!("{}.image", c.path),
                        format!(
                            "image {image:?} of container {:?} has no tag (means :latest)",
                            c.name()
                        ),
                    );
                }
                Some("latest") if !digest => {
                    out.object(
                        &RULE,
                        i,
                        &format!("{}.image", c.path),
                        format!(
                            "image {image:?} of container {:?} uses the :latest tag",
                            c.name()
                        ),
                    );
                }
                Some(t)
                    if !c.init
                        && !app_version.is_empty()
                        && engine_of_image(image).is_some()
                        && o.kind() == "StatefulSet"
                        && !t.trim_start_matches('v').contains(app_version.as_str()) =>
                {
                    out.object(&RULE, i, &format!("{}.image", c.path), format!("engine image tag {t:?} differs from the chart's appVersion {app_version:?}"))
                        .severity(chartkit_diagnostics::Severity::Info);
                }
                _ => {}
            }
        }
    }
}

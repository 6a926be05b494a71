//! `schema-validate-rendered`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings};
use crate::kube::schema::{self, IssueKind};

crate::declare_rule! {
    /// ## What it does
    /// Validates every rendered object strictly against its Kubernetes type
    /// (k8s-openapi, offline): unknown fields, wrong types and missing
    /// required fields, each with its path. Custom resources are validated
    /// against the `openAPIV3Schema` of CRDs found in `crds/` or the render.
    ///
    /// ## Why is this bad?
    /// `kubectl apply` and Helm drop unknown fields (or fail late with
    /// strict field validation): a `volumeMounts` beside `containers`, or a
    /// `spec` nested under `metadata`, is silently ignored.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   spec: {clusterIP: None}
    /// ```
    ///
    /// ## Fix
    /// Move the field where the type expects it; fix its type.
    id: "schema-validate-rendered",
    severity: Error,
    scope: Rendered,
    group: Values,
    summary: "rendered objects validate strictly against their types",
}

fn crd_schema<'a>(
    ctx: &'a Ctx<'_>,
    crds: &'a [Json],
    api_version: &str,
    kind: &str,
) -> Option<&'a Json> {
    let (group, version) = api_version.split_once('/')?;
    crds.iter().find_map(|crd| {
        if crd.pointer("/spec/group").and_then(Json::as_str) != Some(group)
            || crd.pointer("/spec/names/kind").and_then(Json::as_str) != Some(kind)
        {
            return None;
        }
        let _ = ctx;
        crd.pointer("/spec/versions")?
            .as_array()?
            .iter()
            .find(|v| v.get("name").and_then(Json::as_str) == Some(version))?
            .pointer("/schema/openAPIV3Schema")
    })
}

/// CRDs from the chart's crds/ directories and the render.
fn crds(ctx: &Ctx<'_>) -> Vec<Json> {
    let mut out: Vec<Json> = ctx
        .objects
        .iter()
        .filter(|o| o.kind() == "CustomResourceDefinition")
        .map(|o| o.json.clone())
        .collect();
    if let Some(chart) = ctx.chart {
        for (_, f) in chart.crd_objects() {
            let text = String::from_utf8_lossy(&f.data);
            let (objs, _) = crate::objects::parse_rendered(&f.name, &text);
            out.extend(
                objs.into_iter()
                    .filter(|o| o.kind() == "CustomResourceDefinition")
                    .map(|o| o.json),
            );
        }
    }
    out
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let crds = crds(ctx);
    for (i, o) in ctx.objects.iter().enumerate() {
        if ctx.relax_test_hooks && o.is_test_hook() {
            continue;
        }
        match schema::validate(&o.json) {
            Some(issues) => {
                for issue in issues {
                    let p = issue.path.to_string();
                    match issue.kind {
                        IssueKind::Unknown => {
                            out.object(&RULE, i, &p, format!("{} {:?}: unknown field {p:?}", o.kind(), o.name()))
                                .help("the API server drops (or, with strict field validation, rejects) this field");
                        }
                        IssueKind::Type(msg) => {
                            out.object(
                                &RULE,
                                i,
                                &p,
                                format!("{} {:?}: wrong type at {p:?}: {msg}", o.kind(), o.name()),
                            );
                        }
                        IssueKind::Missing => {
                            let parent = issue
                                .path
                                .parent()
                                .map(|p| p.to_string())
                                .unwrap_or_default();
                            out.object(
                                &RULE,
                                i,
                                &parent,
                                format!(
                                    "{} {:?}: missing required field {p:?}",
                                    o.kind(),
                                    o.name()
                                ),
                            );
                        }
                    }
                }
            }
            None => {
                let Some(schema) = crd_schema(ctx, &crds, o.api_version(), o.kind()) else {
                    continue;
                };
                let Ok(validator) = jsonschema::validator_for(schema) else {
                    continue;
                };
                for err in validator.iter_errors(&o.json) {
                    let path: String = err
                        .instance_path()
                        .to_string()
                        .trim_start_matches('/')
                        .replace('/', ".");
                    out.object(
                        &RULE,
                        i,
                        &path,
                        format!("{} {:?}: {err} (CRD schema)", o.kind(), o.name()),
                    );
                }
            }
        }
    }
}

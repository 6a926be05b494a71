//! `chartkit post-render`: the engine-plugin pass over a manifest stream on
//! stdin, for `helm install/upgrade/template --post-renderer chartkit`
//! (plugins/helm-postrenderer is the Helm 4 `postrenderer/v1` plugin that
//! runs it).
//!
//! Helm 4 passes every rendered document (hooks included) with the
//! annotation `postrenderer.helm.sh/postrender-filename`; documents come
//! back in any order (Helm sorts them again). Unchanged documents are
//! written as they came; added hook Jobs carry the filename annotation, so
//! Helm prints them under `# Source: <chart>/chartkit-plugins/<plugin>/<step>.yaml`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;

use super::engine::{self, CLUSTER_DOMAIN};

/// Helm's annotation naming the template file of a post-rendered document.
const FILENAME_ANNOTATION: &str = "postrenderer.helm.sh/postrender-filename";

#[derive(Debug, Args)]
pub struct PostRenderArgs {
    /// The engine plugin (path, installed name, ...). Default: the marked
    /// StatefulSet's `chartkit.dev/plugin` annotation, else its `chartkit.dev/engine` value.
    #[arg(long, value_name = "SPEC")]
    pub plugin: Option<String>,

    /// Release name for the added Jobs. Default: the StatefulSet's `app.kubernetes.io/instance` label.
    #[arg(long, value_name = "NAME")]
    pub release: Option<String>,

    /// Namespace for StatefulSets that set none.
    #[arg(short = 'n', long, default_value = "default")]
    pub namespace: String,

    /// The stream comes from an upgrade: leave bootstrap-only settings out.
    #[arg(long)]
    pub is_upgrade: bool,
}

pub fn run(args: PostRenderArgs) -> anyhow::Result<ExitCode> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).context("reading the manifests from stdin")?;
    let output = post_render(&input, &args)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(output.as_bytes()).context("writing the manifests")?;
    Ok(ExitCode::SUCCESS)
}

fn post_render(input: &str, args: &PostRenderArgs) -> anyhow::Result<String> {
    let files: BTreeMap<String, String> = [("stdin".to_string(), input.to_string())].into();
    let (mut release, _) = chartkit_render::output::assemble(files, "stdin", Vec::new())
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    // The marked StatefulSet decides the plugin and the release.
    let marked = release.manifests.iter().find_map(|m| {
        let meta = m.head.metadata.as_ref()?;
        let a = meta.annotations.as_ref()?;
        let engine = a.get(chartkit_engine::ENGINE_ANNOTATION)?;
        (m.head.kind == "StatefulSet").then(|| (a.get(chartkit_engine::PLUGIN_ANNOTATION).cloned(), engine.clone(), m.content.clone()))
    });
    let Some((declared, engine_name, sts_text)) = marked else {
        // Nothing to do: hand the stream back unchanged.
        return Ok(input.to_string());
    };
    let spec = args.plugin.clone().or(declared).unwrap_or(engine_name);
    let sts = chartkit_yaml::from_yaml_str(&sts_text).unwrap_or_default();
    let label = |key: &str| match &sts {
        chartkit_yaml::Value::Map(m) => match m.get("metadata") {
            Some(chartkit_yaml::Value::Map(md)) => match md.get("labels") {
                Some(chartkit_yaml::Value::Map(l)) => match l.get(key) {
                    Some(chartkit_yaml::Value::String(s)) => Some(s.clone()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    let Some(release_name) = args.release.clone().or_else(|| label("app.kubernetes.io/instance")) else {
        bail!("the release name is unknown: pass --release NAME (the StatefulSet has no app.kubernetes.io/instance label)");
    };
    let chart_name = label("app.kubernetes.io/name").unwrap_or_else(|| spec.clone());
    let plugin = engine::load(&spec, None).map_err(|e| anyhow::anyhow!("engine plugin {spec:?}: {e}"))?;
    let opts = chartkit_engine::PassOptions {
        release: release_name,
        namespace: args.namespace.clone(),
        cluster_domain: CLUSTER_DOMAIN.to_string(),
        chart_name,
        app_version: label("app.kubernetes.io/version"),
        is_upgrade: args.is_upgrade,
    };
    let before = release.clone();
    let report = engine::run(&mut release, &opts, &plugin).map_err(|e| anyhow::anyhow!(e))?;
    if report.changed.is_empty() && report.jobs_added.is_empty() {
        return Ok(input.to_string());
    }
    let mut out = String::new();
    for m in &release.manifests {
        out.push_str("---\n");
        out.push_str(&m.content);
        out.push('\n');
    }
    for h in &release.hooks {
        out.push_str("---\n");
        let added = !before.hooks.iter().any(|b| b.path == h.path && b.name == h.name);
        if added {
            out.push_str(&with_filename(&h.manifest, &h.path)?);
        } else {
            out.push_str(&h.manifest);
        }
        out.push('\n');
    }
    Ok(out)
}

/// Adds Helm's filename annotation to an added document.
fn with_filename(doc: &str, path: &str) -> anyhow::Result<String> {
    let mut v = chartkit_yaml::from_yaml_str(doc).context("re-reading an added Job")?;
    if let chartkit_yaml::Value::Map(m) = &mut v
        && let Some(chartkit_yaml::Value::Map(md)) = m.get_mut("metadata")
    {
        let annotations = md
            .entry("annotations".to_string())
            .or_insert_with(|| chartkit_yaml::Value::Map(Default::default()));
        if let chartkit_yaml::Value::Map(a) = annotations {
            a.insert(FILENAME_ANNOTATION.into(), chartkit_yaml::Value::String(path.into()));
        }
    }
    chartkit_engine::patch::serialize(v).map_err(|e| anyhow::anyhow!("writing an added Job: {e}"))
}

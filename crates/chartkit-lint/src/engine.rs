//! The lint run: for each chart and value set, Helm's rules (which render
//! the chart once, in lint mode), then chartkit's rules and external
//! finding sources over the same render; suppression; and the mapping of
//! every finding to a template line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chartkit_chart::{Mapping, ValueOptions};
use chartkit_diagnostics::{
    ChartReport, Diagnostic, LintRun, Location, ObjectRef, Severity, SourceMap,
};
use serde_json::Value as Json;

use crate::config::LintConfig;
use crate::context::{Ctx, Finding, Findings, Target};
use crate::helm::{self, HelmMessage};
use crate::mapping::TemplateMapper;
use crate::objects::{FieldPath, RenderedObject, parse_rendered};
use crate::registry::{self, RuleMeta, Scope};
use crate::render::RenderSettings;

/// A finding from outside chartkit (an engine plugin).
#[derive(Clone, Debug, PartialEq)]
pub struct ExternalFinding {
    /// The rule id (`consul-bootstrap-expect`).
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// Message.
    pub message: String,
    /// The object, by kind/namespace/name (namespace may be empty).
    pub object: Option<ObjectRef>,
    /// Field path inside the object (`spec.template.spec.containers[0].args`).
    pub path: Option<String>,
    /// Help text.
    pub help: Option<String>,
}

/// A source of findings other than chartkit's rules (engine plugins).
pub trait FindingSource: Send + Sync {
    /// Rule ids this source can report (for `--list-rules` and config).
    fn rule_ids(&self) -> Vec<String>;
    /// Findings for one rendered release.
    fn check(&self, objects: &[RenderedObject]) -> Vec<ExternalFinding>;
}

/// Which value sets to lint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ValueSets {
    /// The user's values, plus every `ci/*-values.yaml` and the config's sets.
    #[default]
    Auto,
    /// Only the user's values (what `helm lint` does).
    None,
}

/// Options of a run.
#[derive(Clone, Default)]
pub struct LintOptions {
    /// `-f/--set*`.
    pub values: ValueOptions,
    /// `--namespace`.
    pub namespace: String,
    /// Release name (Helm's lint uses `test-release`).
    pub release_name: Option<String>,
    /// `--kube-version`.
    pub kube_version: Option<String>,
    /// `--api-versions`.
    pub api_versions: Vec<String>,
    /// `--strict`.
    pub strict: bool,
    /// `--skip-schema-validation`.
    pub skip_schema_validation: bool,
    /// `--previous FILE`.
    pub previous: Option<PathBuf>,
    /// `.chartkit.yaml`.
    pub config: LintConfig,
    /// Value sets.
    pub value_sets: ValueSets,
    /// Only Helm's rules (for `--format helm`).
    pub helm_only: bool,
    /// Plugin findings.
    pub external: Vec<Arc<dyn FindingSource>>,
}

/// Errors that stop the run before linting (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    /// `-f`/`--set` could not be read or parsed.
    #[error(transparent)]
    Values(#[from] chartkit_chart::OptionsError),
    /// `--previous` could not be read.
    #[error("cannot read --previous {path}: {source}")]
    Previous {
        /// The path.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// `--kube-version` is invalid.
    #[error("invalid kube version '{0}'")]
    KubeVersion(String),
}

/// The result: reports plus the sources they point into.
#[derive(Debug, Default)]
pub struct LintOutput {
    /// Reports by chart.
    pub run: LintRun,
    /// Template and values sources for excerpts.
    pub sources: SourceMap,
}

/// Lints charts (directories) given as `paths`.
pub fn lint_charts(paths: &[String], opts: &LintOptions) -> Result<LintOutput, LintError> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let user = opts.values.merge(&cwd)?;
    let kube = match &opts.kube_version {
        Some(v) => {
            crate::kube::parse_kube_version(v).ok_or_else(|| LintError::KubeVersion(v.clone()))?
        }
        None => crate::kube::DEFAULT_KUBE_VERSION,
    };
    let previous = match &opts.previous {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| LintError::Previous {
                path: p.display().to_string(),
                source,
            })?;
            Some((p.display().to_string(), text))
        }
        None => None,
    };
    let mut out = LintOutput {
        run: LintRun {
            charts: Vec::new(),
            strict: opts.strict,
        },
        sources: SourceMap::new(),
    };
    if let Some((name, text)) = &previous {
        out.sources.insert(name.clone(), text.as_str());
    }
    // Charts are independent: lint them on every core, then report in the order given.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len());
    let lint = |path: &String| {
        let mut sources = SourceMap::new();
        let report = lint_one(path, &user, kube, previous.as_ref(), opts, &mut sources);
        (report, sources)
    };
    let mut done: Vec<(usize, ChartReport, SourceMap)> = if workers <= 1 {
        paths
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (r, s) = lint(p);
                (i, r, s)
            })
            .collect()
    } else {
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    std::thread::Builder::new()
                        .name("chartkit-lint".into())
                        .stack_size(LINT_THREAD_STACK)
                        .spawn_scoped(scope, || {
                            let mut mine = Vec::new();
                            loop {
                                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                let Some(path) = paths.get(i) else { break };
                                let (r, s) = lint(path);
                                mine.push((i, r, s));
                            }
                            mine
                        })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| match h {
                    Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                    // A thread that could not start took no work; others (or the loop below) do it.
                    Err(_) => Vec::new(),
                })
                .collect()
        })
    };
    let mut linted = vec![false; paths.len()];
    done.iter().for_each(|(i, _, _)| linted[*i] = true);
    for (i, path) in paths.iter().enumerate().filter(|(i, _)| !linted[*i]) {
        let (r, s) = lint(path);
        done.push((i, r, s));
    }
    done.sort_by_key(|(i, _, _)| *i);
    for (_, report, sources) in done {
        out.sources.extend(sources);
        out.run.charts.push(report);
    }
    Ok(out)
}

/// Stack of each lint thread: rendering recurses (templates, YAML), as deep as on the main
/// thread.
const LINT_THREAD_STACK: usize = 8 << 20;

fn value_sets(dir: &Path, opts: &LintOptions) -> Vec<(Option<String>, Vec<PathBuf>, Vec<String>)> {
    let mut sets = vec![(None, Vec::new(), Vec::new())];
    if opts.value_sets == ValueSets::None || opts.helm_only {
        return sets;
    }
    if let Ok(rd) = std::fs::read_dir(dir.join("ci")) {
        let mut files: Vec<PathBuf> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with("-values.yaml"))
            })
            .collect();
        files.sort();
        for f in files {
            let name = format!(
                "ci/{}",
                f.file_name().and_then(|n| n.to_str()).unwrap_or_default()
            );
            sets.push((Some(name), vec![f], Vec::new()));
        }
    }
    for vs in &opts.config.value_sets {
        sets.push((
            Some(vs.name.clone()),
            vs.files.iter().map(|f| dir.join(f)).collect(),
            vs.set.clone(),
        ));
    }
    sets
}

fn lint_one(
    path: &str,
    user: &Mapping,
    kube: (u32, u32),
    previous: Option<&(String, String)>,
    opts: &LintOptions,
    sources: &mut SourceMap,
) -> ChartReport {
    let mut report = ChartReport::new(path);
    // An archive is linted like `helm lint` does: expanded into a temporary
    // directory (removed when `_expanded` drops), with Helm's error texts.
    let _expanded;
    let dir = if path.ends_with(".tgz") || path.ends_with(".tar.gz") {
        match expand_archive(Path::new(path)) {
            Ok((tmp, chart_dir)) => {
                _expanded = tmp;
                chart_dir
            }
            Err(e) => {
                report.load_error = Some(e);
                return report;
            }
        }
    } else {
        PathBuf::from(path)
    };
    let dir = dir.as_path();
    if let Err(e) = std::fs::metadata(dir.join("Chart.yaml")) {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory",
            std::io::ErrorKind::NotADirectory => "not a directory",
            _ => "permission denied",
        };
        report.load_error = Some(format!(
            "unable to check Chart.yaml file in chart: stat {}: {reason}",
            dir.join("Chart.yaml").display()
        ));
        return report;
    }
    let settings = RenderSettings {
        release_name: opts
            .release_name
            .clone()
            .unwrap_or_else(|| "test-release".into()),
        namespace: if opts.namespace.is_empty() {
            "default".into()
        } else {
            opts.namespace.clone()
        },
        kube_version: opts.kube_version.clone(),
        api_versions: opts.api_versions.clone(),
        skip_schema_validation: opts.skip_schema_validation,
    };
    let prev_objects = previous.map(|(name, text)| parse_rendered(name, text).0);
    let mut base_helm: Vec<(String, String)> = Vec::new();
    for (set_name, files, sets) in value_sets(dir, opts) {
        let values = match set_values(user, &files, &sets) {
            Ok(v) => v,
            Err(e) => {
                let mut d = Diagnostic::new(
                    "value-set",
                    Severity::Error,
                    format!("value set {}: {e}", set_name.as_deref().unwrap_or("")),
                );
                d.value_set = set_name.clone();
                report.diagnostics.push(d);
                continue;
            }
        };
        let hl = helm::lint(dir, &values, &settings);
        if set_name.is_none() {
            report.logs.extend(hl.logs.iter().map(ToString::to_string));
        }
        // Helm's messages (for value sets only those that depend on values).
        let mut diags = Vec::new();
        for m in &hl.messages {
            if set_name.is_some() && base_helm.contains(&(m.path.clone(), m.message.clone())) {
                continue;
            }
            if set_name.is_none() {
                base_helm.push((m.path.clone(), m.message.clone()));
            }
            if !opts.config.enabled(m.rule.id) && !opts.helm_only {
                continue;
            }
            diags.push(helm_diagnostic(m, path, hl.render.as_ref(), opts, sources));
        }
        let mut own = Vec::new();
        if !opts.helm_only {
            own = own_rules(
                path,
                dir,
                &hl,
                kube,
                prev_objects.as_deref(),
                previous,
                &settings,
                opts,
                sources,
            );
        }
        for d in diags.iter_mut().chain(own.iter_mut()) {
            d.value_set = set_name.clone();
        }
        report.diagnostics.extend(diags);
        report.diagnostics.extend(own);
    }
    report
}

fn set_values(user: &Mapping, files: &[PathBuf], sets: &[String]) -> Result<Mapping, String> {
    if files.is_empty() && sets.is_empty() {
        return Ok(user.clone());
    }
    let mut merged = Mapping::new();
    for f in files {
        let data = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let v = chartkit_chart::values::load_values(&data)
            .map_err(|e| format!("{}: {e}", f.display()))?;
        merged = chartkit_chart::values::merge_maps(merged, v);
    }
    for s in sets {
        let mut tmp = Mapping::new();
        chartkit_chart::strvals::parse_into(s, &mut tmp).map_err(|e| e.to_string())?;
        merged = chartkit_chart::values::merge_maps(merged, tmp);
    }
    Ok(chartkit_chart::values::merge_maps(merged, user.clone()))
}

/// Expands a chart archive into a fresh temporary directory, as `helm lint`
/// does: returns the directory (deleted on drop) and the chart inside it.
fn expand_archive(archive: &Path) -> Result<(tempfile::TempDir, PathBuf), String> {
    let tmp = tempfile::Builder::new()
        .prefix("helm-lint")
        .tempdir()
        .map_err(|e| format!("unable to create temp dir to extract tarball: {e}"))?;
    let bytes = std::fs::read(archive).map_err(|e| {
        format!(
            "unable to open tarball: {}",
            chartkit_package::fsutil::go_path_error("open", archive, &e)
        )
    })?;
    let chart = chartkit_package::extract::expand(tmp.path(), &bytes)
        .map_err(|e| format!("unable to extract tarball: {e}"))?;
    Ok((tmp, chart))
}

/// The file path users open for a template (`charts/db/templates/x.yaml`).
fn template_display(chart_path: &str, template: &str) -> String {
    let rel = template.split_once('/').map_or(template, |(_, r)| r);
    format!("{}/{rel}", chart_path.trim_end_matches('/'))
}

fn helm_diagnostic(
    m: &HelmMessage,
    chart_path: &str,
    render: Option<&crate::render::LintRender>,
    opts: &LintOptions,
    sources: &mut SourceMap,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        m.rule.id,
        opts.config.severity_of(m.rule.id, m.severity),
        m.message.clone(),
    );
    if opts.helm_only {
        d.severity = m.severity;
    }
    d.helm_path = Some(m.path.clone());
    d.file = Some(if m.path.starts_with('/') || m.path.is_empty() {
        chart_path.to_string()
    } else {
        format!(
            "{}/{}",
            chart_path.trim_end_matches('/'),
            m.path.trim_end_matches('/')
        )
    });
    if let (Some((template, offset)), Some(r)) = (&m.rendered, render)
        && let (Some(rendered), Some(src)) = (r.files.get(template), r.sources.get(template))
    {
        let line_start = rendered[..(*offset).min(rendered.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line_end = rendered[line_start..]
            .find('\n')
            .map_or(rendered.len(), |i| line_start + i);
        let line = &rendered[line_start..line_end];
        let mapper = TemplateMapper::new(src);
        let key = line.trim_start().split(':').next().unwrap_or("");
        let mapped = mapper.locate(line, "", 0, &[key], 0, 1, 0.0);
        let file = template_display(chart_path, template);
        let sf = sources.insert(file.clone(), src.as_str());
        let loc = sf.location(&file, mapped.range);
        d = d.with_primary(loc, None);
    }
    d
}

#[allow(clippy::too_many_arguments)]
fn own_rules(
    chart_path: &str,
    dir: &Path,
    hl: &helm::HelmLint,
    kube: (u32, u32),
    prev_objects: Option<&[RenderedObject]>,
    previous: Option<&(String, String)>,
    settings: &RenderSettings,
    opts: &LintOptions,
    sources: &mut SourceMap,
) -> Vec<Diagnostic> {
    let mut objects = Vec::new();
    if let Some(r) = &hl.render {
        for (name, text) in &r.files {
            if name.ends_with("NOTES.txt") || !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                continue;
            }
            let (objs, _) = parse_rendered(name, text);
            objects.extend(objs);
        }
    }
    let chart = hl.render.as_ref().map(|r| &r.chart).or(hl.chart.as_ref());
    let ctx = Ctx {
        objects: &objects,
        previous: prev_objects,
        chart,
        chart_dir: Some(dir),
        values: hl.render.as_ref().map(|r| &r.values),
        namespace: &settings.namespace,
        kube_version: kube,
        relax_test_hooks: opts.config.relax_test_hooks,
    };
    let mut findings = Findings::default();
    for rule in registry::OWN_RULES {
        let Some(check) = rule.check else { continue };
        if !opts.config.enabled(rule.meta.id) {
            continue;
        }
        if rule.meta.scope == Scope::Upgrade && prev_objects.is_none() {
            continue;
        }
        if rule.meta.scope == Scope::Rendered && hl.render.is_none() {
            continue;
        }
        check(&ctx, &mut findings);
    }
    let mut diags = Vec::new();
    let mut mappers: BTreeMap<String, TemplateMapper> = BTreeMap::new();
    let env = MapEnv {
        chart_path,
        objects: &objects,
        previous: prev_objects,
        previous_file: previous.map(|(n, _)| n.as_str()),
        render: hl.render.as_ref(),
        chart,
    };
    for f in findings.items {
        if suppressed(&f.rule.id, &f.target, &objects, opts) {
            continue;
        }
        diags.push(to_diagnostic(&f, &env, opts, sources, &mut mappers));
    }
    for src in &opts.external {
        for ef in src.check(&objects) {
            if !opts.config.enabled(&ef.rule) {
                continue;
            }
            let idx = ef.object.as_ref().and_then(|o| {
                objects.iter().position(|x| {
                    x.kind() == o.kind
                        && x.name() == o.name
                        && (o.namespace.is_empty() || x.namespace() == o.namespace)
                })
            });
            let target = match idx {
                Some(i) => Target::Object(i, FieldPath::parse(ef.path.as_deref().unwrap_or(""))),
                None => Target::Chart,
            };
            if suppressed(&ef.rule, &target, &objects, opts) {
                continue;
            }
            let meta: &'static RuleMeta = &EXTERNAL;
            let f = Finding {
                rule: meta,
                severity: Some(ef.severity),
                message: ef.message.clone(),
                target,
                related: Vec::new(),
                help: ef.help.clone(),
            };
            let mut d = to_diagnostic(&f, &env, opts, sources, &mut mappers);
            d.rule = ef.rule.clone();
            d.severity = opts.config.severity_of(&ef.rule, ef.severity);
            if d.object.is_none() {
                d.object = ef.object.clone();
            }
            diags.push(d);
        }
    }
    diags.sort_by(|a, b| {
        let ka = (
            a.display_file().map(str::to_string),
            a.location().map(|l| (l.line, l.column)),
            a.rule.clone(),
        );
        let kb = (
            b.display_file().map(str::to_string),
            b.location().map(|l| (l.line, l.column)),
            b.rule.clone(),
        );
        ka.cmp(&kb)
    });
    diags
}

/// The stand-in identity of external findings (the diagnostic carries the real id).
static EXTERNAL: RuleMeta = RuleMeta {
    id: "external",
    severity: Severity::Warning,
    scope: Scope::Rendered,
    group: registry::Group::Workload,
    summary: "finding from an engine plugin",
    docs: "",
};

/// The annotation that silences rules on an object or its pod template.
pub const IGNORE_ANNOTATION: &str = "chartkit.dev/ignore";

fn annotation_ignores(o: &RenderedObject, rule: &str) -> bool {
    let mut lists = Vec::new();
    if let Some(a) = o.annotation(IGNORE_ANNOTATION) {
        lists.push(a.to_string());
    }
    if let Some(t) = crate::context::pod_template_path(o.kind())
        && let Some(a) = crate::context::get(&o.json, &format!("{t}.metadata.annotations"))
            .and_then(|a| a.get(IGNORE_ANNOTATION))
            .and_then(Json::as_str)
    {
        lists.push(a.to_string());
    }
    lists
        .iter()
        .any(|l| l.split(',').any(|r| r.trim() == rule || r.trim() == "all"))
}

fn suppressed(rule: &str, target: &Target, objects: &[RenderedObject], opts: &LintOptions) -> bool {
    if !opts.config.suppressible(rule) {
        return false;
    }
    let Target::Object(i, _) = target else {
        return false;
    };
    let Some(o) = objects.get(*i) else {
        return false;
    };
    annotation_ignores(o, rule)
        || opts
            .config
            .ignore
            .iter()
            .any(|ig| ig.matches(rule, o.kind(), o.namespace(), o.name()))
}

struct MapEnv<'a> {
    chart_path: &'a str,
    objects: &'a [RenderedObject],
    previous: Option<&'a [RenderedObject]>,
    previous_file: Option<&'a str>,
    render: Option<&'a crate::render::LintRender>,
    chart: Option<&'a chartkit_chart::Chart>,
}

/// Maps a field of a rendered object to a template location.
fn object_location(
    o: &RenderedObject,
    path: &FieldPath,
    env: &MapEnv<'_>,
    sources: &mut SourceMap,
    mappers: &mut BTreeMap<String, TemplateMapper>,
) -> Option<(Location, String)> {
    let render = env.render?;
    let rendered = render.files.get(&o.template)?;
    let src = render.sources.get(&o.template)?;
    let (found, span) = o.span_of(path)?;
    let r = if found == path {
        span.value.clone()
    } else {
        span.key.clone()
    };
    let line_start = rendered[..r.start.min(rendered.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = rendered[line_start..]
        .find('\n')
        .map_or(rendered.len(), |i| line_start + i);
    let line = &rendered[line_start..line_end];
    let value = rendered
        .get(r.clone())
        .unwrap_or("")
        .lines()
        .next()
        .unwrap_or("");
    let docs = crate::objects::split_documents(rendered).len();
    let doc_len = o.doc_range.len().max(1) as f64;
    let rel = (line_start.saturating_sub(o.doc_range.start)) as f64 / doc_len;
    let mapper = mappers
        .entry(o.template.clone())
        .or_insert_with(|| TemplateMapper::new(src));
    let keys_owned = found.keys();
    let mapped = mapper.locate(
        line,
        value,
        r.start - line_start,
        &keys_owned,
        o.doc_index,
        docs,
        rel,
    );
    let file = template_display(env.chart_path, &o.template);
    let sf = match sources.get(&file) {
        Some(sf) => sf,
        None => sources.insert(file.clone(), src.as_str()),
    };
    Some((sf.location(&file, mapped.range), line.trim().to_string()))
}

fn to_diagnostic(
    f: &Finding,
    env: &MapEnv<'_>,
    opts: &LintOptions,
    sources: &mut SourceMap,
    mappers: &mut BTreeMap<String, TemplateMapper>,
) -> Diagnostic {
    let sev = opts
        .config
        .severity_of(f.rule.id, f.severity.unwrap_or(f.rule.severity));
    let mut d = Diagnostic::new(f.rule.id, sev, f.message.clone());
    d.help = f.help.clone();
    match &f.target {
        Target::Object(i, path) => {
            if let Some(o) = env.objects.get(*i) {
                d.object = Some(o.object_ref());
                d.field = (!path.0.is_empty()).then(|| path.to_string());
                match object_location(o, path, env, sources, mappers) {
                    Some((loc, rendered)) => {
                        d = d.with_primary(loc, Some(format!("rendered: {rendered}")));
                    }
                    None => d.file = Some(template_display(env.chart_path, &o.template)),
                }
            }
        }
        Target::Previous(i, path) => {
            if let (Some(o), Some(file)) = (env.previous.and_then(|p| p.get(*i)), env.previous_file)
                && let Some((_, span)) = o.span_of(path)
                && let Some(sf) = sources.get(file)
            {
                d = d.with_primary(
                    sf.location(file, span.value.clone()),
                    Some("previous render".into()),
                );
            }
        }
        Target::File(rel, range) => {
            let file = format!("{}/{rel}", env.chart_path.trim_end_matches('/'));
            let text = env.chart.and_then(|c| {
                c.raw
                    .iter()
                    .chain(&c.files)
                    .find(|x| x.name == *rel)
                    .map(|x| String::from_utf8_lossy(&x.data).into_owned())
            });
            match text {
                Some(t) if !range.is_empty() => {
                    let sf = sources.insert(file.clone(), t);
                    d = d.with_primary(sf.location(&file, range.clone()), None);
                }
                _ => d.file = Some(file),
            }
        }
        Target::Chart => d.file = Some(env.chart_path.to_string()),
    }
    for (t, label) in &f.related {
        if let Target::Object(i, path) = t
            && let Some(o) = env.objects.get(*i)
            && let Some((loc, _)) = object_location(o, path, env, sources, mappers)
        {
            d = d.with_context(loc, label.clone());
        }
    }
    d
}

/// Lints pre-rendered manifests (a `helm template` output or any
/// multi-document YAML) with chartkit's rendered-manifest rules. Each
/// document points at its own line in `name`. Used for fixtures and
/// `--previous`.
pub fn lint_manifests(name: &str, text: &str, opts: &LintOptions) -> LintOutput {
    let (objects, _) = parse_rendered(name, text);
    let kube = opts
        .kube_version
        .as_deref()
        .and_then(crate::kube::parse_kube_version)
        .unwrap_or(crate::kube::DEFAULT_KUBE_VERSION);
    let prev = opts.previous.as_ref().and_then(|p| {
        std::fs::read_to_string(p)
            .ok()
            .map(|t| (p.display().to_string(), t))
    });
    let prev_objects = prev.as_ref().map(|(n, t)| parse_rendered(n, t).0);
    let namespace = if opts.namespace.is_empty() {
        "default"
    } else {
        opts.namespace.as_str()
    };
    let ctx = Ctx {
        objects: &objects,
        previous: prev_objects.as_deref(),
        chart: None,
        chart_dir: None,
        values: None,
        namespace,
        kube_version: kube,
        relax_test_hooks: opts.config.relax_test_hooks,
    };
    let mut findings = Findings::default();
    for rule in registry::OWN_RULES {
        let Some(check) = rule.check else { continue };
        if !opts.config.enabled(rule.meta.id) || rule.meta.scope == Scope::Chart {
            continue;
        }
        check(&ctx, &mut findings);
    }
    let mut sources = SourceMap::new();
    sources.insert(name, text);
    if let Some((n, t)) = &prev {
        sources.insert(n.clone(), t.as_str());
    }
    let mut diags = Vec::new();
    for f in &findings.items {
        if suppressed(f.rule.id, &f.target, &objects, opts) {
            continue;
        }
        let sev = opts
            .config
            .severity_of(f.rule.id, f.severity.unwrap_or(f.rule.severity));
        let mut d = Diagnostic::new(f.rule.id, sev, f.message.clone());
        d.help = f.help.clone();
        let locate = |objs: &[RenderedObject],
                      file: &str,
                      i: usize,
                      path: &FieldPath,
                      sources: &SourceMap| {
            let o = objs.get(i)?;
            let (found, span) = o.span_of(path)?;
            let r = if found == path {
                span.value.clone()
            } else {
                span.key.clone()
            };
            Some(sources.get(file)?.location(file, r))
        };
        match &f.target {
            Target::Object(i, path) => {
                if let Some(o) = objects.get(*i) {
                    d.object = Some(o.object_ref());
                    d.field = (!path.0.is_empty()).then(|| path.to_string());
                }
                if let Some(loc) = locate(&objects, name, *i, path, &sources) {
                    d = d.with_primary(loc, None);
                }
            }
            Target::Previous(i, path) => {
                if let (Some(po), Some((pn, _))) = (prev_objects.as_deref(), &prev)
                    && let Some(loc) = locate(po, pn, *i, path, &sources)
                {
                    d = d.with_primary(loc, Some("previous render".into()));
                }
            }
            _ => d.file = Some(name.to_string()),
        }
        for (t, label) in &f.related {
            if let Target::Object(i, path) = t
                && let Some(loc) = locate(&objects, name, *i, path, &sources)
            {
                d = d.with_context(loc, label.clone());
            }
        }
        diags.push(d);
    }
    for src in &opts.external {
        for ef in src.check(&objects) {
            let mut d = Diagnostic::new(ef.rule.clone(), ef.severity, ef.message.clone());
            d.object = ef.object.clone();
            d.help = ef.help.clone();
            d.file = Some(name.to_string());
            diags.push(d);
        }
    }
    let report = ChartReport {
        path: name.to_string(),
        diagnostics: diags,
        ..Default::default()
    };
    LintOutput {
        run: LintRun {
            charts: vec![report],
            strict: opts.strict,
        },
        sources,
    }
}

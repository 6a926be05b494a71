//! A plugin's post-install steps as Helm hook Jobs.

use chartkit_plugin_host::{Run, Step, Topology};
use chartkit_render::manifest::{HOOK_ANNOTATION, HeadMetadata, Hook, HookEvent, INSTALL_ORDER};
use chartkit_render::output::Release;
use chartkit_yaml::{Mapping, Value};

use crate::{PassOptions, STEP_ANNOTATION};

/// Whether the release already renders a Job for the named step (a Job
/// annotated `chartkit.dev/step: <name>`): the chart's own Job wins.
pub fn chart_provides(release: &Release, step: &str) -> bool {
    let annotated = |head: Option<&HeadMetadata>| {
        head.and_then(|m| m.annotations.as_ref())
            .and_then(|a| a.get(STEP_ANNOTATION))
            .is_some_and(|v| v.split(',').any(|s| s.trim() == step))
    };
    release.manifests.iter().any(|m| m.head.kind == "Job" && annotated(m.head.metadata.as_ref()))
        || release.hooks.iter().any(|h| {
            h.kind == "Job"
                && chartkit_yaml::from_yaml_str(&h.manifest).is_ok_and(|v| {
                    crate::target::get(&v, &["metadata", "annotations", STEP_ANNOTATION])
                        .is_some_and(|a| matches!(a, Value::String(s) if s.split(',').any(|x| x.trim() == step)))
                })
        })
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// `[a-z0-9-]+`, not empty, at most 63 characters once prefixed.
fn valid_step_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// The hook Job for `step`: named `<release>-<step>`, run with the engine
/// pod's security context, a read-only root filesystem and a writable `/tmp`.
pub fn hook_job(
    step: &Step,
    t: &Topology,
    engine_pod_security: Option<&Value>,
    opts: &PassOptions,
    plugin: &str,
) -> Result<Hook, String> {
    if !valid_step_name(&step.name) {
        return Err(format!("step name {:?} is not [a-z0-9-]+", step.name));
    }
    if step.image.trim().is_empty() {
        return Err(format!("step {:?} has no image", step.name));
    }
    if step.hooks.is_empty() {
        return Err(format!("step {:?} runs on no hook", step.name));
    }
    let name = format!("{}-{}", opts.release, step.name);
    if name.len() > 63 {
        return Err(format!("Job name {name:?} is longer than 63 characters"));
    }
    let hooks: Vec<&str> = step.hooks.iter().map(|h| h.as_str()).collect();
    let labels = || {
        map(vec![
            ("app.kubernetes.io/instance", s(&opts.release)),
            ("app.kubernetes.io/managed-by", s("chartkit")),
            ("app.kubernetes.io/component", s(&step.name)),
            ("app.kubernetes.io/part-of", s(&t.stateful_set)),
        ])
    };
    let command = match &step.run {
        Run::Exec(argv) if argv.is_empty() => return Err(format!("step {:?} runs an empty argv", step.name)),
        Run::Exec(argv) => argv.iter().map(|a| s(a)).collect(),
        Run::Script(script) => vec![s("/bin/sh"), s("-ec"), s(script)],
    };
    let mut env: Vec<Value> = vec![map(vec![("name", s("HOME")), ("value", s("/tmp"))])];
    env.extend(step.env.iter().map(|e| map(vec![("name", s(&e.name)), ("value", s(&e.value))])));
    let container = map(vec![
        ("name", s(&step.name)),
        ("image", s(&step.image)),
        ("imagePullPolicy", s("IfNotPresent")),
        ("command", Value::Seq(command)),
        ("env", Value::Seq(env)),
        (
            "securityContext",
            map(vec![
                ("allowPrivilegeEscalation", Value::Bool(false)),
                ("readOnlyRootFilesystem", Value::Bool(true)),
                ("capabilities", map(vec![("drop", Value::Seq(vec![s("ALL")]))])),
            ]),
        ),
        (
            "resources",
            map(vec![
                ("requests", map(vec![("cpu", s("50m")), ("memory", s("64Mi"))])),
                ("limits", map(vec![("memory", s("256Mi"))])),
            ]),
        ),
        ("volumeMounts", Value::Seq(vec![map(vec![("name", s("tmp")), ("mountPath", s("/tmp"))])])),
    ]);
    let job = map(vec![
        ("apiVersion", s("batch/v1")),
        ("kind", s("Job")),
        (
            "metadata",
            map(vec![
                ("name", s(&name)),
                ("namespace", s(&t.namespace)),
                ("labels", labels()),
                (
                    "annotations",
                    map(vec![
                        (HOOK_ANNOTATION, s(&hooks.join(","))),
                        ("helm.sh/hook-weight", s(&step.hook_weight.to_string())),
                        ("helm.sh/hook-delete-policy", s("before-hook-creation")),
                        (STEP_ANNOTATION, s(&step.name)),
                        ("chartkit.dev/plugin", s(plugin)),
                    ]),
                ),
            ]),
        ),
        (
            "spec",
            map(vec![
                ("backoffLimit", Value::Int(i64::from(step.backoff_limit))),
                ("activeDeadlineSeconds", Value::Int(i64::from(step.timeout_seconds.max(1)))),
                (
                    "template",
                    map(vec![
                        ("metadata", map(vec![("labels", labels())])),
                        (
                            "spec",
                            map(vec![
                                ("restartPolicy", s("Never")),
                                ("automountServiceAccountToken", Value::Bool(false)),
                                ("enableServiceLinks", Value::Bool(false)),
                                ("securityContext", pod_security(engine_pod_security)),
                                ("containers", Value::Seq(vec![container])),
                                (
                                    "volumes",
                                    Value::Seq(vec![map(vec![("name", s("tmp")), ("emptyDir", map(vec![]))])]),
                                ),
                            ]),
                        ),
                    ]),
                ),
            ]),
        ),
    ]);
    let manifest = crate::patch::serialize(job)?;
    let events = step
        .hooks
        .iter()
        .map(|h| match h {
            chartkit_plugin_host::Hook::PostInstall => HookEvent::PostInstall,
            chartkit_plugin_host::Hook::PostUpgrade => HookEvent::PostUpgrade,
        })
        .collect();
    Ok(Hook {
        name,
        kind: "Job".into(),
        path: format!("{}/chartkit-plugins/{}/{}.yaml", opts.chart_name, plugin, step.name),
        manifest,
        events,
        weight: i64::from(step.hook_weight),
    })
}

/// The engine pods run as the non-root user their image expects, and a step
/// usually runs the engine's own image: it gets the engine pod's user and
/// group. Without them, a restricted default (nobody).
fn pod_security(engine: Option<&Value>) -> Value {
    let id = |key: &str| match engine.and_then(|e| crate::target::get(e, &[key])) {
        Some(Value::Float(f)) if f.fract() == 0.0 && *f > 0.0 => Some(*f as i64),
        Some(Value::Int(i)) if *i > 0 => Some(*i),
        _ => None,
    };
    let user = id("runAsUser").unwrap_or(65534);
    let group = id("runAsGroup").unwrap_or(user);
    let mut m = Mapping::new();
    m.insert("runAsNonRoot".into(), Value::Bool(true));
    m.insert("runAsUser".into(), Value::Int(user));
    m.insert("runAsGroup".into(), Value::Int(group));
    m.insert("seccompProfile".into(), map(vec![("type", s("RuntimeDefault"))]));
    Value::Map(m)
}

/// Inserts a hook where Helm's kind sort would put it: after the hooks of
/// its kind and of kinds installed before it.
pub fn insert_hook(release: &mut Release, hook: Hook) {
    let rank = |k: &str| INSTALL_ORDER.iter().position(|o| *o == k).unwrap_or(INSTALL_ORDER.len());
    let mine = rank(&hook.kind);
    let at = release.hooks.iter().position(|h| rank(&h.kind) > mine).unwrap_or(release.hooks.len());
    release.hooks.insert(at, hook);
}

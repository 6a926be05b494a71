//! The pass on small releases with a plain-Rust plugin.

use std::collections::BTreeMap;

use chartkit_plugin_host::{EnvVar, Finding, Hook, MemberConfig, Run, Step, Topology};
use chartkit_render::output::{Release, assemble};

use crate::{EngineError, EnginePlugin, PassOptions, run_pass};

/// Seeds every pod by its FQDN under the headless Service; one wait step.
struct Fake;

impl EnginePlugin for Fake {
    fn name(&self) -> String {
        "fake".into()
    }
    fn configure(&self, t: &Topology) -> Result<MemberConfig, String> {
        let hosts: Vec<String> = (0..t.replicas)
            .map(|i| format!("{}-{i}.{}.{}.svc.{}", t.stateful_set, t.service, t.namespace, t.cluster_domain))
            .collect();
        Ok(MemberConfig {
            env: vec![EnvVar { name: "SEEDS".into(), value: hosts.join(",") }],
            args: vec![format!("-expect={}", t.replicas)],
            config: Vec::new(),
        })
    }
    fn post_install(&self, t: &Topology) -> Result<Vec<Step>, String> {
        Ok(vec![Step {
            name: "wait".into(),
            image: format!("engine:{}", t.engine_version.clone().unwrap_or_default()),
            run: Run::Script("true\n".into()),
            env: Vec::new(),
            hooks: vec![Hook::PostInstall, Hook::PostUpgrade],
            hook_weight: 5,
            backoff_limit: 3,
            timeout_seconds: 60,
        }])
    }
    fn lint(&self, _: &Topology, _: &str) -> Result<Vec<Finding>, String> {
        Ok(Vec::new())
    }
}

const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: rel-db-headless\nspec:\n  clusterIP: None\n  selector:\n    app: db\n";

fn sts(replicas: u32, seeds: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: rel-db\n  annotations:\n    chartkit.dev/engine: db\nspec:\n  serviceName: rel-db-headless\n  replicas: {replicas}\n  template:\n    spec:\n      securityContext:\n        runAsUser: 1000\n      containers:\n        - name: db\n          image: engine:1.2.3\n          args:\n            - serve\n            - -expect={replicas}\n          env:\n            - name: SEEDS\n              value: \"{seeds}\"\n          ports:\n            - name: peer\n              containerPort: 7000\n"
    )
}

fn release(files: &[(&str, String)]) -> Release {
    let files: BTreeMap<String, String> = files.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    assemble(files, "db", Vec::new()).expect("assemble").0
}

fn opts() -> PassOptions {
    PassOptions {
        release: "rel".into(),
        namespace: "data".into(),
        cluster_domain: "cluster.local".into(),
        chart_name: "db".into(),
        app_version: None,
        is_upgrade: false,
    }
}

fn seeds(n: u32) -> String {
    (0..n).map(|i| format!("rel-db-{i}.rel-db-headless.data.svc.cluster.local")).collect::<Vec<_>>().join(",")
}

#[test]
fn agreeing_templates_keep_their_bytes_and_get_the_steps() {
    let mut r = release(&[("db/templates/svc.yaml", SERVICE.into()), ("db/templates/sts.yaml", sts(3, &seeds(3)))]);
    let before = r.manifests.clone();
    let report = run_pass(&mut r, &opts(), &Fake).expect("pass");
    assert_eq!(r.manifests, before, "no change expected");
    assert!(report.changed.is_empty());
    assert_eq!(report.jobs_added, vec!["rel-wait".to_string()]);
    let job = &r.hooks[0];
    assert_eq!(job.path, "db/chartkit-plugins/fake/wait.yaml");
    assert!(job.manifest.contains("helm.sh/hook: post-install,post-upgrade"), "{}", job.manifest);
    assert!(job.manifest.contains("image: engine:1.2.3"), "{}", job.manifest);
    assert!(job.manifest.contains("runAsUser: 1000"), "{}", job.manifest);
    assert!(job.manifest.contains("namespace: data"), "{}", job.manifest);
}

#[test]
fn disagreeing_templates_are_patched_once() {
    let mut r = release(&[("db/templates/svc.yaml", SERVICE.into()), ("db/templates/sts.yaml", sts(5, "old"))]);
    let report = run_pass(&mut r, &opts(), &Fake).expect("pass");
    assert_eq!(report.changed, vec!["rel-db".to_string()]);
    let content = r.manifests.iter().find(|m| m.head.kind == "StatefulSet").unwrap().content.clone();
    assert!(content.contains(&seeds(5)), "{content}");
    assert!(content.contains("rel-db-4.rel-db-headless.data.svc.cluster.local"), "{content}");
    assert_eq!(content.matches("name: SEEDS").count(), 1, "replaced, not appended:\n{content}");
    assert!(content.contains("replicas: 5"), "{content}");
    // A second pass over the patched release changes nothing more.
    let mut again = r.clone();
    again.hooks.clear();
    let report = run_pass(&mut again, &opts(), &Fake).expect("pass");
    assert!(report.changed.is_empty());
    assert_eq!(again.manifests, r.manifests);
}

#[test]
fn a_job_the_chart_renders_for_the_step_wins() {
    let own = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: rel-db-init\n  annotations:\n    helm.sh/hook: post-install\n    chartkit.dev/step: wait\nspec: {}\n";
    let mut r = release(&[
        ("db/templates/svc.yaml", SERVICE.into()),
        ("db/templates/sts.yaml", sts(3, &seeds(3))),
        ("db/templates/job.yaml", own.into()),
    ]);
    let report = run_pass(&mut r, &opts(), &Fake).expect("pass");
    assert!(report.jobs_added.is_empty());
    assert_eq!(report.steps_provided_by_chart, vec!["wait".to_string()]);
    assert_eq!(r.hooks.len(), 1);
}

#[test]
fn a_service_that_is_not_headless_is_an_error_naming_the_statefulset() {
    let svc = SERVICE.replace("  clusterIP: None\n", "");
    let mut r = release(&[("db/templates/svc.yaml", svc), ("db/templates/sts.yaml", sts(3, ""))]);
    let err = run_pass(&mut r, &opts(), &Fake).unwrap_err();
    assert!(matches!(err, EngineError::Topology { .. }));
    assert_eq!(
        err.to_string(),
        "engine plugin fake: StatefulSet \"rel-db\": Service \"rel-db-headless\" (spec.serviceName) is not headless (clusterIP: None)"
    );
    let mut r = release(&[("db/templates/sts.yaml", sts(3, ""))]);
    let err = run_pass(&mut r, &opts(), &Fake).unwrap_err().to_string();
    assert!(err.contains("which this release does not render"), "{err}");
}

#[test]
fn releases_without_a_marked_statefulset_are_untouched() {
    let plain = sts(3, "x").replace("  annotations:\n    chartkit.dev/engine: db\n", "");
    let mut r = release(&[("db/templates/svc.yaml", SERVICE.into()), ("db/templates/sts.yaml", plain)]);
    let before = r.clone();
    let report = run_pass(&mut r, &opts(), &Fake).expect("pass");
    assert!(report.statefulsets.is_empty());
    assert_eq!(r, before);
}

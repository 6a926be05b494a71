//! chartkit engine plugin for etcd.
//!
//! This file only adapts the generated WIT bindings (`wit/engine.wit`, the world
//! `chartkit:engine@0.1.0`) to the plain Rust logic in `engine.rs`, which
//! `cargo test --lib` tests natively.

pub mod engine;

wit_bindgen::generate!({
    path: "wit",
    world: "engine",
});

use exports::chartkit::engine::plugin as wit;

struct Plugin;

impl wit::Guest for Plugin {
    fn describe() -> wit::Info {
        wit::Info {
            name: engine::NAME.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            engines: vec![engine::ENGINES.into()],
            interface_version: "0.1.0".into(),
            description: engine::DESCRIPTION.into(),
        }
    }

    fn seed_list(topology: wit::Topology) -> Result<Vec<String>, wit::Error> {
        let t = parse(topology)?;
        Ok(engine::seed_list(&t))
    }

    fn configure(topology: wit::Topology) -> Result<wit::MemberConfig, wit::Error> {
        let t = parse(topology)?;
        let c = engine::configure(&t);
        Ok(wit::MemberConfig {
            env: c
                .env
                .into_iter()
                .map(|(name, value)| wit::EnvVar { name, value })
                .collect(),
            args: c.args,
            config: Vec::new(),
        })
    }

    fn post_install(topology: wit::Topology) -> Result<Vec<wit::Step>, wit::Error> {
        let t = parse(topology)?;
        Ok(engine::post_install(&t)
            .into_iter()
            .map(|s| wit::Step {
                name: s.name,
                image: s.image,
                run: wit::Run::Script(s.script),
                env: Vec::new(),
                hooks: vec![wit::Hook::PostInstall, wit::Hook::PostUpgrade],
                hook_weight: s.hook_weight,
                backoff_limit: s.backoff_limit,
                timeout_seconds: s.timeout_seconds,
            })
            .collect())
    }

    fn lint(topology: wit::Topology, objects_json: String) -> Vec<wit::Finding> {
        // lint cannot fail: an unusable topology is reported as a finding.
        let findings = match parse(topology) {
            Ok(t) => engine::lint(&t, &objects_json),
            Err(e) => vec![engine::Finding::error(error_message(e))],
        };
        findings
            .into_iter()
            .map(|f| wit::Finding {
                rule: f.rule,
                severity: match f.severity {
                    engine::Severity::Error => wit::Severity::Error,
                    engine::Severity::Warning => wit::Severity::Warning,
                    engine::Severity::Info => wit::Severity::Info,
                },
                message: f.message,
                object: None,
                path: f.path,
            })
            .collect()
    }
}

/// The WIT topology, validated.
fn parse(t: wit::Topology) -> Result<engine::Topology, wit::Error> {
    engine::Topology::parse(engine::Input {
        release: t.release,
        namespace: t.namespace,
        cluster_domain: t.cluster_domain,
        stateful_set: t.stateful_set,
        service: t.service,
        replicas: t.replicas,
        ports: t.ports.into_iter().map(|p| (p.name, p.port)).collect(),
        engine_version: t.engine_version,
        settings: t.settings,
    })
    .map_err(|e| match e {
        engine::PluginError::InvalidTopology(m) => wit::Error::InvalidTopology(m),
        engine::PluginError::InvalidSettings(m) => wit::Error::InvalidSettings(m),
        engine::PluginError::UnsupportedVersion(m) => wit::Error::UnsupportedVersion(m),
        engine::PluginError::Other(m) => wit::Error::Other(m),
    })
}

fn error_message(e: wit::Error) -> String {
    match e {
        wit::Error::InvalidTopology(m) => format!("invalid topology: {m}"),
        wit::Error::InvalidSettings(m) => format!("invalid settings: {m}"),
        wit::Error::UnsupportedVersion(m) => format!("unsupported version: {m}"),
        wit::Error::Other(m) => m,
    }
}

export!(Plugin);

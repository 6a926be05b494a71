//! `chartkit:engine@0.1.0`: bindings generated from the frozen `plugins/wit/engine.wit` and
//! conversions to [`crate::types`].

use wasmtime::Store;
use wasmtime::component::InstancePre;

use crate::sandbox::Sandbox;
use crate::types;

/// sha256 of `plugins/wit/engine.wit` as released: the file is frozen (a test checks it).
#[cfg_attr(not(test), allow(dead_code))]
pub const WIT_SHA256: &str = "ac5be823f14d0f6da062f6f56940c568cf2c95c9db748ccc82b608e2483bc80a";

mod bindings {
    wasmtime::component::bindgen!({
        path: "../../plugins/wit",
        world: "engine",
    });
}

use bindings::exports::chartkit::engine::plugin as wit;

/// A linked, type-checked 0.1.0 plugin.
pub(crate) struct Pre(bindings::EnginePre<Sandbox>);

impl Pre {
    /// Type-checks the component's export against 0.1.0.
    pub(crate) fn new(pre: InstancePre<Sandbox>) -> wasmtime::Result<Self> {
        bindings::EnginePre::new(pre).map(Self)
    }

    fn instantiate(&self, store: &mut Store<Sandbox>) -> wasmtime::Result<bindings::Engine> {
        self.0.instantiate(store)
    }

    /// Only creates an instance (health checks, benchmarks).
    pub(crate) fn instantiate_only(&self, store: &mut Store<Sandbox>) -> Outcome<()> {
        self.instantiate(store).map_err(Stage::Instantiate)?;
        Ok(Ok(()))
    }

    pub(crate) fn describe(&self, store: &mut Store<Sandbox>) -> Outcome<types::Info> {
        let e = self.instantiate(store).map_err(Stage::Instantiate)?;
        let i = e
            .chartkit_engine_plugin()
            .call_describe(&mut *store)
            .map_err(Stage::Call)?;
        Ok(Ok(types::Info {
            name: i.name,
            version: i.version,
            engines: i.engines,
            interface_version: i.interface_version,
            description: i.description,
        }))
    }

    pub(crate) fn seed_list(
        &self,
        store: &mut Store<Sandbox>,
        t: &types::Topology,
    ) -> Outcome<Vec<String>> {
        let e = self.instantiate(store).map_err(Stage::Instantiate)?;
        let r = e
            .chartkit_engine_plugin()
            .call_seed_list(&mut *store, &topology(t));
        Ok(r.map_err(Stage::Call)?.map_err(rejection))
    }

    pub(crate) fn configure(
        &self,
        store: &mut Store<Sandbox>,
        t: &types::Topology,
    ) -> Outcome<types::MemberConfig> {
        let e = self.instantiate(store).map_err(Stage::Instantiate)?;
        let r = e
            .chartkit_engine_plugin()
            .call_configure(&mut *store, &topology(t));
        Ok(r.map_err(Stage::Call)?
            .map(member_config)
            .map_err(rejection))
    }

    pub(crate) fn post_install(
        &self,
        store: &mut Store<Sandbox>,
        t: &types::Topology,
    ) -> Outcome<Vec<types::Step>> {
        let e = self.instantiate(store).map_err(Stage::Instantiate)?;
        let r = e
            .chartkit_engine_plugin()
            .call_post_install(&mut *store, &topology(t));
        Ok(r.map_err(Stage::Call)?
            .map(|s| s.into_iter().map(step).collect())
            .map_err(rejection))
    }

    pub(crate) fn lint(
        &self,
        store: &mut Store<Sandbox>,
        t: &types::Topology,
        objects_json: &str,
    ) -> Outcome<Vec<types::Finding>> {
        let e = self.instantiate(store).map_err(Stage::Instantiate)?;
        let r = e
            .chartkit_engine_plugin()
            .call_lint(&mut *store, &topology(t), objects_json);
        Ok(Ok(r
            .map_err(Stage::Call)?
            .into_iter()
            .map(finding)
            .collect()))
    }
}

/// Where a call failed, before the plugin could answer.
pub(crate) enum Stage {
    /// Creating the instance.
    Instantiate(wasmtime::Error),
    /// Running the call.
    Call(wasmtime::Error),
}

/// A call's outcome: the plugin's own answer (value or rejection), or a failure.
pub(crate) type Outcome<T> = Result<Result<T, types::Rejection>, Stage>;

fn topology(t: &types::Topology) -> wit::Topology {
    wit::Topology {
        release: t.release.clone(),
        namespace: t.namespace.clone(),
        cluster_domain: t.cluster_domain.clone(),
        stateful_set: t.stateful_set.clone(),
        service: t.service.clone(),
        replicas: t.replicas,
        ports: t
            .ports
            .iter()
            .map(|p| wit::Port {
                name: p.name.clone(),
                port: p.port,
            })
            .collect(),
        engine_version: t.engine_version.clone(),
        settings: t.settings_json(),
    }
}

fn rejection(e: wit::Error) -> types::Rejection {
    match e {
        wit::Error::InvalidTopology(m) => types::Rejection::InvalidTopology(m),
        wit::Error::InvalidSettings(m) => types::Rejection::InvalidSettings(m),
        wit::Error::UnsupportedVersion(m) => types::Rejection::UnsupportedVersion(m),
        wit::Error::Other(m) => types::Rejection::Other(m),
    }
}

fn env(e: wit::EnvVar) -> types::EnvVar {
    types::EnvVar {
        name: e.name,
        value: e.value,
    }
}

fn member_config(c: wit::MemberConfig) -> types::MemberConfig {
    types::MemberConfig {
        env: c.env.into_iter().map(env).collect(),
        args: c.args,
        config: c
            .config
            .into_iter()
            .map(|e| types::ConfigEntry {
                file: e.file,
                key: e.key,
                value: match e.value {
                    wit::ConfigValue::Text(s) => types::ConfigValue::Text(s),
                    wit::ConfigValue::Integer(i) => types::ConfigValue::Integer(i),
                    wit::ConfigValue::Boolean(b) => types::ConfigValue::Boolean(b),
                    wit::ConfigValue::TextList(l) => types::ConfigValue::TextList(l),
                },
                bootstrap_only: e.bootstrap_only,
            })
            .collect(),
    }
}

fn step(s: wit::Step) -> types::Step {
    types::Step {
        name: s.name,
        image: s.image,
        run: match s.run {
            wit::Run::Exec(argv) => types::Run::Exec(argv),
            wit::Run::Script(script) => types::Run::Script(script),
        },
        env: s.env.into_iter().map(env).collect(),
        hooks: s
            .hooks
            .into_iter()
            .map(|h| match h {
                wit::Hook::PostInstall => types::Hook::PostInstall,
                wit::Hook::PostUpgrade => types::Hook::PostUpgrade,
            })
            .collect(),
        hook_weight: s.hook_weight,
        backoff_limit: s.backoff_limit,
        timeout_seconds: s.timeout_seconds,
    }
}

fn finding(f: wit::Finding) -> types::Finding {
    types::Finding {
        rule: f.rule,
        severity: match f.severity {
            wit::Severity::Error => types::Severity::Error,
            wit::Severity::Warning => types::Severity::Warning,
            wit::Severity::Info => types::Severity::Info,
        },
        message: f.message,
        object: f.object.map(|o| types::ObjectRef {
            api_version: o.api_version,
            kind: o.kind,
            name: o.name,
            namespace: o.namespace,
        }),
        path: f.path,
    }
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    #[test]
    fn released_wit_is_frozen() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../plugins/wit/engine.wit");
        let text = std::fs::read(path).unwrap();
        let digest = format!("{:x}", Sha256::digest(&text));
        assert_eq!(
            digest,
            super::WIT_SHA256,
            "plugins/wit/engine.wit changed, but chartkit:engine@0.1.0 is released and frozen: \
             put changes in a new version (docs/plugins.md)"
        );
    }
}

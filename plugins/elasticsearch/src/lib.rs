//! chartkit engine plugin for Elasticsearch.
//!
//! - ES >= 7: `discovery.seed_hosts` is the headless Service (its DNS name resolves to every
//!   master-eligible pod), `cluster.initial_master_nodes` lists the pod names `<sts>-0..n-1`
//!   and is marked bootstrap-only.
//! - ES 6: `discovery.zen.ping.unicast.hosts` and `discovery.zen.minimum_master_nodes = n/2+1`.
//! - One replica: `discovery.type: single-node`, no seeds.
//!
//! The logic lives in plain Rust modules (tested natively with `cargo test`); this file only
//! adapts them to the generated WIT bindings.

mod discovery;
mod health;
mod lint;
mod model;

wit_bindgen::generate!({
    path: "../wit",
    world: "engine",
});

use exports::chartkit::engine::plugin as wit;

struct Plugin;

impl wit::Guest for Plugin {
    fn describe() -> wit::Info {
        wit::Info {
            name: "elasticsearch".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            engines: vec!["elasticsearch >=6 <10".into()],
            interface_version: "0.1.0".into(),
            description: "Elasticsearch discovery, bootstrap masters, cluster health wait, lint"
                .into(),
        }
    }

    fn seed_list(topology: wit::Topology) -> Result<Vec<String>, wit::Error> {
        let t = model::Topology::from_wit(topology)?;
        Ok(discovery::seed_hosts(&t))
    }

    fn configure(topology: wit::Topology) -> Result<wit::MemberConfig, wit::Error> {
        let t = model::Topology::from_wit(topology)?;
        let entries = discovery::configure(&t)?;
        Ok(wit::MemberConfig {
            env: Vec::new(),
            args: Vec::new(),
            config: entries.into_iter().map(model::Entry::into_wit).collect(),
        })
    }

    fn post_install(topology: wit::Topology) -> Result<Vec<wit::Step>, wit::Error> {
        let t = model::Topology::from_wit(topology)?;
        Ok(vec![health::wait_step(&t)?])
    }

    fn lint(topology: wit::Topology, objects_json: String) -> Vec<wit::Finding> {
        let t = match model::Topology::from_wit(topology) {
            Ok(t) => t,
            Err(e) => return vec![model::topology_finding(e)],
        };
        lint::run(&t, &objects_json)
    }
}

export!(Plugin);

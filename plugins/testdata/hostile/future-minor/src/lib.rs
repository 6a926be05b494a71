//! Exports chartkit:engine/plugin@0.2.0: newer than the host's 0.1.0.

wit_bindgen::generate!({
    path: "../wit-v0.2",
    world: "engine",
});

use exports::chartkit::engine::plugin::{self as wit, Guest};

struct Future;

impl Guest for Future {
    fn health() -> String {
        "ok".into()
    }

    fn describe() -> wit::Info {
        wit::Info {
            name: "future-minor".into(),
            version: "0.1.0".into(),
            engines: vec![],
            interface_version: "0.2.0".into(),
            description: "built against a newer interface".into(),
        }
    }

    fn seed_list(_: wit::Topology) -> Result<Vec<String>, wit::Error> {
        Ok(vec![])
    }

    fn configure(_: wit::Topology) -> Result<wit::MemberConfig, wit::Error> {
        Ok(wit::MemberConfig {
            env: vec![],
            args: vec![],
            config: vec![],
        })
    }

    fn post_install(_: wit::Topology) -> Result<Vec<wit::Step>, wit::Error> {
        Ok(vec![])
    }

    fn lint(_: wit::Topology, _: String) -> Vec<wit::Finding> {
        vec![]
    }
}

export!(Future);

//! Exports chartkit:engine/plugin@0.1.1: a newer patch of the host's 0.1.0 (same minor), which loads.

wit_bindgen::generate!({
    path: "../wit-v0.1.1",
    world: "engine",
});

use exports::chartkit::engine::plugin::{self as wit, Guest};

struct Patch;

impl Guest for Patch {
    fn describe() -> wit::Info {
        wit::Info {
            name: "newer-patch".into(),
            version: "0.1.0".into(),
            engines: vec![],
            interface_version: "0.1.1".into(),
            description: "built against a newer patch of the interface".into(),
        }
    }

    fn seed_list(_: wit::Topology) -> Result<Vec<String>, wit::Error> {
        Ok(vec!["seed".into()])
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

export!(Patch);

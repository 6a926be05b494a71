//! Interface evolution with real components (issue 9 item 4): what the host says about a plugin
//! built for an interface version it does not implement, and which versions it accepts. The
//! guests are in plugins/testdata/hostile (built by plugins/build.sh); missing ones skip.

mod common;

use chartkit_plugin_host::versions::supported_versions;
use chartkit_plugin_host::{Error, InterfaceProblem};
use common::{fixture, host, topology};

#[test]
fn unknown_major_message_names_plugin_version_and_supported_versions() {
    let Some(path) = fixture("future_major") else {
        return;
    };
    let err = host().load_file(&path).unwrap_err();
    let Error::Interface { origin, problem } = &err else {
        panic!("{err}")
    };
    assert!(
        matches!(problem, InterfaceProblem::UnknownMajor { .. }),
        "{err}"
    );
    let msg = err.to_string();
    // Which plugin, which version it implements, which versions this chartkit supports.
    assert!(origin.contains("future_major"), "{origin}");
    assert!(msg.starts_with(&format!("plugin {origin}: ")), "{msg}");
    assert!(msg.contains("chartkit:engine 9.0.0"), "{msg}");
    let supported: Vec<String> = supported_versions().iter().map(|v| v.to_string()).collect();
    assert!(
        msg.contains(&format!("supported: {}", supported.join(", "))),
        "{msg}"
    );
}

#[test]
fn newer_minor_message_names_plugin_version_and_newest_supported() {
    let Some(path) = fixture("future_minor") else {
        return;
    };
    let err = host().load_file(&path).unwrap_err();
    let Error::Interface {
        origin,
        problem: InterfaceProblem::TooNew { found, newest },
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(found.to_string(), "0.2.0");
    assert_eq!(Some(*newest), supported_versions().into_iter().max());
    assert!(origin.contains("future_minor"), "{origin}");
    let msg = err.to_string();
    assert!(
        msg.contains("0.2.0") && msg.contains(&newest.to_string()),
        "{msg}"
    );
}

#[test]
fn newer_patch_of_a_supported_minor_loads_and_runs() {
    // Exports chartkit:engine/plugin@0.1.1; the host implements 0.1.0. Same major and minor:
    // the 0.1.0 bindings serve it (patch releases only document, never change, the WIT).
    let Some(path) = fixture("newer_patch") else {
        return;
    };
    let p = host()
        .load_file(&path)
        .unwrap_or_else(|e| panic!("a 0.1.1 plugin must load: {e}"));
    assert_eq!(p.report().interface.to_string(), "0.1.1");
    assert_eq!(p.info().name, "newer-patch");
    assert_eq!(
        p.seed_list(&topology(
            3,
            "default",
            "cluster.local",
            "db",
            "db-headless",
            &[("peer", 2380)],
            None,
            serde_json::json!({}),
        ))
        .unwrap(),
        vec!["seed".to_string()]
    );
}

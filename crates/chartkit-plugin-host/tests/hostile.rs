//! Plugins that misbehave on purpose (`plugins/testdata/hostile`): each attack ends in a clear,
//! typed error within the deadline, and the host keeps working afterwards.

mod common;

use std::time::{Duration, Instant};

use chartkit_plugin_host::{
    CallFailure, Error, HostConfig, InterfaceProblem, Limits, Plugin, PluginHost, Topology,
};
use common::{fixture, host, plugin, topology};
use serde_json::json;

fn attack(name: &str) -> Topology {
    topology(
        3,
        "ns",
        "cluster.local",
        "s",
        "h",
        &[],
        None,
        json!({ "attack": name }),
    )
}

fn hostile() -> Option<Plugin> {
    let path = fixture("hostile_attacks")?;
    Some(
        host()
            .load_file(&path)
            .expect("the hostile plugin is a valid plugin"),
    )
}

/// After every attack a good plugin (and the attacker itself) still answers.
fn host_still_works(attacker: &Plugin) {
    if let Some(es) = plugin("elasticsearch") {
        let t = topology(
            3,
            "ns",
            "cluster.local",
            "es",
            "es-h",
            &[],
            Some("8.1.0"),
            json!({}),
        );
        assert_eq!(
            es.seed_list(&t).unwrap(),
            vec![
                "es-0.es-h.ns.svc.cluster.local",
                "es-1.es-h.ns.svc.cluster.local",
                "es-2.es-h.ns.svc.cluster.local"
            ]
        );
    }
    assert_eq!(attacker.describe().unwrap().name, "hostile");
    assert!(attacker.seed_list(&attack("probe")).is_ok());
}

/// Runs an attack; returns the failure and how long it took.
fn run(p: &Plugin, name: &str) -> (CallFailure, Error, Duration) {
    let started = Instant::now();
    let err = p.seed_list(&attack(name)).expect_err(name);
    let took = started.elapsed();
    let Error::Call {
        failure, plugin, ..
    } = &err
    else {
        panic!("{name}: {err}")
    };
    assert_eq!(plugin, "hostile");
    (failure.clone(), err, took)
}

#[test]
fn infinite_loop_hits_the_deadline() {
    let Some(p) = hostile() else { return };
    let (failure, err, took) = run(&p, "loop");
    assert_eq!(failure, CallFailure::Deadline(Duration::from_secs(2)));
    assert_eq!(
        err.to_string(),
        r#"plugin "hostile" (seed-list): exceeded the 2s deadline"#
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(4),
        "{took:?}"
    );
    host_still_works(&p);
}

#[test]
fn one_gib_allocation_hits_the_memory_cap() {
    let Some(p) = hostile() else { return };
    let (failure, err, took) = run(&p, "alloc");
    let CallFailure::Memory { limit, requested } = failure else {
        panic!("{err}")
    };
    assert_eq!(limit, 64 << 20);
    assert!(requested > 1 << 30, "{requested}");
    assert!(
        err.to_string()
            .starts_with(r#"plugin "hostile" (seed-list): exceeded the 64 MiB memory limit"#),
        "{err}"
    );
    assert!(took < Duration::from_secs(2), "{took:?}");
    host_still_works(&p);
}

#[test]
fn huge_outputs_hit_the_output_cap() {
    let Some(p) = hostile() else { return };
    for name in ["huge", "many"] {
        let (failure, err, took) = run(&p, name);
        let CallFailure::OutputTooLarge { size, limit } = failure else {
            panic!("{name}: {err}")
        };
        assert_eq!(limit, 1 << 20);
        assert!(size > 10 << 20, "{name}: {size}");
        assert!(err.to_string().contains("over the 1 MiB limit"), "{err}");
        assert!(took < Duration::from_secs(2), "{name}: {took:?}");
        host_still_works(&p);
    }
}

#[test]
fn panics_and_traps_are_reported_with_the_guest_message() {
    let Some(p) = hostile() else { return };
    let (failure, err, _) = run(&p, "panic");
    let CallFailure::Trap { stderr, .. } = &failure else {
        panic!("{err}")
    };
    assert!(
        stderr
            .as_deref()
            .is_some_and(|s| s.contains("hostile plugin panicked on purpose")),
        "{err}"
    );
    host_still_works(&p);
    for name in ["abort", "stack"] {
        let (failure, err, took) = run(&p, name);
        assert!(matches!(failure, CallFailure::Trap { .. }), "{name}: {err}");
        assert!(
            err.to_string()
                .starts_with(r#"plugin "hostile" (seed-list): trapped: "#),
            "{err}"
        );
        assert!(took < Duration::from_secs(2), "{name}: {took:?}");
        host_still_works(&p);
    }
    let (_, err, _) = run(&p, "stack");
    assert!(err.to_string().contains("call stack exhausted"), "{err}");
}

#[test]
fn files_env_and_network_are_denied() {
    let Some(p) = hostile() else { return };
    let (failure, err, _) = run(&p, "read-file");
    let CallFailure::Trap { stderr, .. } = &failure else {
        panic!("{err}")
    };
    assert!(
        stderr
            .as_deref()
            .is_some_and(|s| s.contains("reading /etc/passwd")),
        "{err}"
    );
    host_still_works(&p);

    let seen = p.seed_list(&attack("probe")).unwrap();
    let line = |prefix: &str| {
        seen.iter()
            .find(|l| l.starts_with(prefix))
            .cloned()
            .unwrap_or_else(|| panic!("{prefix}: {seen:#?}"))
    };
    for file_probe in [
        "read /etc/passwd",
        "read_dir /",
        "read_dir .",
        "write /tmp/x",
    ] {
        assert!(line(file_probe).contains("Err("), "{}", line(file_probe));
    }
    assert_eq!(line("env:"), "env: []");
    assert_eq!(line("args:"), "args: []");
    for net in ["tcp 127.0.0.1:22", "dns localhost", "udp bind"] {
        assert!(line(net).contains("Err("), "{}", line(net));
    }
    assert_eq!(
        line("wall clock"),
        format!(
            "wall clock: Ok({})",
            chartkit_plugin_host::FIXED_WALL_CLOCK_SECS
        )
    );
    // Same answer every time: clocks and randomness are fixed.
    assert_eq!(p.seed_list(&attack("probe")).unwrap(), seen);
}

#[test]
fn sleeping_cannot_outlast_the_deadline() {
    let Some(p) = hostile() else { return };
    let started = Instant::now();
    let result = p.seed_list(&attack("sleep"));
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(4),
        "a sleeping guest held the host for {took:?}"
    );
    if let Err(err) = result {
        assert!(
            err.to_string()
                .starts_with(r#"plugin "hostile" (seed-list): "#),
            "{err}"
        );
    }
    host_still_works(&p);
}

#[test]
fn deadline_and_memory_are_configurable() {
    let Some(path) = fixture("hostile_attacks") else {
        return;
    };
    let limits = Limits {
        memory: 16 << 20,
        deadline: Duration::from_millis(300),
        output: 300,
    };
    let h = PluginHost::new(HostConfig {
        limits,
        cache: Some(common::cache()),
    })
    .unwrap();
    let p = h.load_file(&path).unwrap();
    let started = Instant::now();
    let err = p.seed_list(&attack("loop")).unwrap_err();
    assert!(
        err.to_string().ends_with("exceeded the 300ms deadline"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let err = p.seed_list(&attack("probe")).unwrap_err();
    assert!(
        err.to_string().contains("over the 300 bytes limit"),
        "{err}"
    );
}

#[test]
fn unknown_major_interface_is_refused() {
    let Some(path) = fixture("future_major") else {
        return;
    };
    let err = host().load_file(&path).unwrap_err();
    let Error::Interface {
        problem: InterfaceProblem::UnknownMajor { found, .. },
        ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(found.to_string(), "9.0.0");
    assert!(
        err.to_string().ends_with(
            "it implements chartkit:engine 9.0.0, an interface major version this chartkit does \
             not know (supported: 0.1.0)"
        ),
        "{err}"
    );
}

#[test]
fn newer_minor_interface_needs_a_newer_chartkit() {
    let Some(path) = fixture("future_minor") else {
        return;
    };
    let err = host().load_file(&path).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Interface {
                problem: InterfaceProblem::TooNew { .. },
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("upgrade chartkit"), "{err}");
}

#[test]
fn garbage_is_not_a_component() {
    let err = host()
        .load_bytes("junk.wasm", b"\0asm\x01\0\0\0")
        .unwrap_err();
    // A core module is not a component.
    assert!(matches!(err, Error::Compile { .. }), "{err}");
    let err = host()
        .load_bytes("junk.wasm", b"not wasm at all")
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("plugin junk.wasm: not a valid WebAssembly component"),
        "{err}"
    );
}

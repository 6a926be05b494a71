//! Golden tests whose expectations were produced by the reference Helm
//! (tests/oracle/regen.sh): each case's values.yaml is loaded like Helm loads
//! a chart's values and printed through every encoder, and must match what
//! Helm's template functions printed, byte for byte. Broken values files must
//! fail with Helm's message.

use std::fs;
use std::path::Path;

use chartkit_yaml::json::JsonOptions;
use chartkit_yaml::{Value, json, load_values, to_yaml, to_yaml_pretty, toml};

/// Helm's template functions, as the engine wires them to this crate.
fn render(func: &str, v: &Value) -> String {
    let trim = |s: String| s.strip_suffix('\n').map(str::to_owned).unwrap_or(s);
    match func {
        // toYaml/toYamlPretty/toJson swallow errors into "".
        "toYaml" => to_yaml(v).map(trim).unwrap_or_default(),
        "toYamlPretty" => to_yaml_pretty(v).map(trim).unwrap_or_default(),
        "toJson" => json::to_string(v, JsonOptions::compact()).unwrap_or_default(),
        "toPrettyJson" => json::to_string(v, JsonOptions::pretty()).unwrap_or_default(),
        "toRawJson" => json::to_string(v, JsonOptions::raw()).unwrap_or_default(),
        // toToml prints the error text instead.
        "toToml" => toml::to_string(v).unwrap_or_else(|e| e.to_string()),
        other => panic!("unknown function {other}"),
    }
}

fn first_difference(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(0);
    format!(
        "first differing line {}:\n  ours: {:?}\n  helm: {:?}",
        line + 1,
        a.lines().nth(line).unwrap_or(""),
        b.lines().nth(line).unwrap_or("")
    )
}

#[test]
fn encoders_match_helm() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/cases");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let (mut passed, mut failed) = (0, Vec::new());
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(case.join("values.yaml")).unwrap();
        let values = Value::Map(load_values(&text).unwrap_or_else(|e| panic!("{name}: {e}")));
        for func in [
            "toYaml",
            "toYamlPretty",
            "toJson",
            "toPrettyJson",
            "toRawJson",
            "toToml",
        ] {
            let want = fs::read_to_string(case.join("expected").join(func)).unwrap();
            let got = render(func, &values);
            if got == want {
                passed += 1;
            } else {
                failed.push(format!("{name}/{func}: {}", first_difference(&got, &want)));
            }
        }
    }
    println!("{passed} passed, {} failed", failed.len());
    for f in &failed {
        println!("FAIL {f}");
    }
    assert!(
        failed.is_empty(),
        "{} oracle comparisons failed",
        failed.len()
    );
    assert!(passed >= 60, "expected the oracle cases to be present");
}

#[test]
fn values_errors_match_helm() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/errors");
    let mut files: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let (mut passed, mut failed) = (0, Vec::new());
    for file in &files {
        let text = fs::read(file).unwrap();
        let want = fs::read_to_string(file.with_extension("err")).unwrap();
        let got = match chartkit_yaml::load_values_bytes(&text) {
            Ok(v) => format!("no error: {v:?}"),
            // How Helm's chart loader reports a bad values.yaml.
            Err(e) => format!("Error: cannot load values.yaml: {e}\n"),
        };
        if got == want {
            passed += 1;
        } else {
            failed.push(format!(
                "{}:\n  ours: {got:?}\n  helm: {want:?}",
                file.display()
            ));
        }
    }
    println!("{passed} passed, {} failed", failed.len());
    for f in &failed {
        println!("FAIL {f}");
    }
    assert!(failed.is_empty(), "{} error cases differ", failed.len());
    assert!(passed >= 20);
}

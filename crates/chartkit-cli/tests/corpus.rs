//! The differential test: every case of `../shared/corpus/cases.json`
//! through `chartkit render`, compared with the golden output of Helm v4.1.4.
//!
//! Deterministic documents must match byte for byte; documents whose
//! `# Source:` is listed in `nondeterministic_sources` (random passwords,
//! generated certificates) are compared by structure. stderr (warnings and
//! errors) and the exit code must match too.
//!
//! Prints `corpus: N passed, N failed` and fails when fewer cases pass than
//! the floor in `MIN_PASSING`, so compatibility can only ratchet up.

use std::path::{Path, PathBuf};
use std::process::Command;

use chartkit_yaml::Value as Data;

/// Cases that must pass. Raise it when compatibility improves.
const MIN_PASSING: usize = 81;

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    dir.join("cases.json").is_file().then(|| dir.canonicalize().unwrap_or(dir))
}

struct Case {
    name: String,
    args: Vec<String>,
    deterministic: bool,
    nondeterministic_sources: Vec<String>,
}

fn load_cases(dir: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(dir.join("cases.json")).expect("cases.json is readable");
    let json: serde_json::Value = serde_json::from_str(&text).expect("cases.json is JSON");
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    json["cases"]
        .as_array()
        .expect("cases array")
        .iter()
        .map(|c| Case {
            name: c["case"].as_str().expect("case name").to_string(),
            args: strings(&c["args"]),
            deterministic: c["deterministic"].as_bool().unwrap_or(true),
            nondeterministic_sources: strings(&c["nondeterministic_sources"]),
        })
        .collect()
}

/// Splits a `helm template` stream into (source, document) pairs.
fn documents(stream: &str) -> Vec<(String, String)> {
    stream
        .split("---\n")
        .filter(|d| !d.is_empty())
        .map(|d| {
            let source = d
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# Source: "))
                .unwrap_or_default()
                .to_string();
            (source, d.to_string())
        })
        .collect()
}

/// Same shape: same keys, same lengths, same scalar kinds; scalar values may differ.
fn same_structure(a: &Data, b: &Data) -> bool {
    match (a, b) {
        (Data::Map(x), Data::Map(y)) => {
            x.len() == y.len()
                && x.iter().zip(y.iter()).all(|((ka, va), (kb, vb))| ka == kb && same_structure(va, vb))
        }
        (Data::Seq(x), Data::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_structure(p, q))
        }
        (Data::String(_), Data::String(_)) => true,
        (Data::Int(_) | Data::Float(_), Data::Int(_) | Data::Float(_)) => true,
        (Data::Bool(_), Data::Bool(_)) | (Data::Null, Data::Null) => true,
        _ => false,
    }
}

fn compare_stdout(case: &Case, golden: &str, actual: &str) -> Result<(), String> {
    if golden == actual {
        return Ok(());
    }
    if case.deterministic {
        return Err(first_difference(golden, actual));
    }
    let (g, a) = (documents(golden), documents(actual));
    if g.len() != a.len() {
        return Err(format!("{} documents expected, {} rendered", g.len(), a.len()));
    }
    for ((gs, gd), (as_, ad)) in g.iter().zip(&a) {
        if gs != as_ {
            return Err(format!("document from {gs} expected, got one from {as_}"));
        }
        if gd == ad {
            continue;
        }
        if !case.nondeterministic_sources.iter().any(|s| s == gs) {
            return Err(format!("in {gs}: {}", first_difference(gd, ad)));
        }
        let parse = |d: &str| {
            let body: String = d.lines().skip(1).map(|l| format!("{l}\n")).collect();
            chartkit_yaml::from_yaml_str(&body)
        };
        match (parse(gd), parse(ad)) {
            (Ok(x), Ok(y)) if same_structure(&x, &y) => {}
            _ => return Err(format!("in {gs}: structure differs: {}", first_difference(gd, ad))),
        }
    }
    Ok(())
}

fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    for i in 0..e.len().max(a.len()) {
        let (x, y) = (e.get(i), a.get(i));
        if x != y {
            return format!(
                "line {}: expected {:?}, got {:?}",
                i + 1,
                x.copied().unwrap_or("<end>"),
                y.copied().unwrap_or("<end>")
            );
        }
    }
    "outputs differ only in trailing newlines".into()
}

fn run_case(dir: &Path, home: &Path, case: &Case) -> Result<(), String> {
    let output = Command::new(env!("CARGO_BIN_EXE_chartkit"))
        .arg("render")
        .args(&case.args)
        .current_dir(dir)
        .env("HELM_CONFIG_HOME", home.join("c"))
        .env("HELM_CACHE_HOME", home.join("k"))
        .env("HELM_DATA_HOME", home.join("d"))
        .env_remove("HELM_NAMESPACE")
        .output()
        .map_err(|e| format!("could not run chartkit: {e}"))?;
    let golden_out = std::fs::read_to_string(dir.join("golden").join(format!("{}.yaml", case.name)))
        .map_err(|e| format!("golden output: {e}"))?;
    let golden_err = std::fs::read_to_string(dir.join("golden").join(format!("{}.err", case.name)))
        .map_err(|e| format!("golden stderr: {e}"))?;
    let (code_line, expected_stderr) = golden_err.split_once('\n').unwrap_or((&golden_err, ""));
    let expected_code: i32 = code_line
        .strip_prefix("exit_code: ")
        .and_then(|c| c.trim().parse().ok())
        .ok_or("malformed .err file")?;
    let code = output.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if code != expected_code {
        return Err(format!("exit code {code}, expected {expected_code}; stderr: {stderr}"));
    }
    if stderr != expected_stderr {
        return Err(format!("stderr: {}", first_difference(expected_stderr, &stderr)));
    }
    compare_stdout(case, &golden_out, &String::from_utf8_lossy(&output.stdout))
}

/// Runs every case of a suite directory (cases.json + golden/); returns the
/// number of cases and the failures.
fn run_suite(dir: &Path) -> (usize, Vec<String>) {
    let home = std::env::temp_dir().join(format!("chartkit-suite-{}", std::process::id()));
    let cases = load_cases(dir);
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(why) = run_case(dir, &home, case) {
            failures.push(format!("{}: {why}", case.name));
        }
    }
    let _ = std::fs::remove_dir_all(&home);
    (cases.len(), failures)
}

fn report(label: &str, total: usize, failures: &[String], floor: usize) {
    let passed = total - failures.len();
    for f in failures {
        println!("FAIL {f}");
    }
    println!("{label}: {passed} passed, {} failed", failures.len());
    assert!(
        passed >= floor,
        "only {passed} of {total} {label} cases pass (floor {floor}):\n{}",
        failures.join("\n")
    );
}

#[test]
fn corpus_matches_helm() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus: skipped, ../shared/corpus not found");
        return;
    };
    let (total, failures) = run_suite(&dir);
    report("corpus", total, &failures, MIN_PASSING);
}

/// Our own edge cases (tests/render): errors, flags, hooks, subcharts.
/// Goldens come from the reference Helm via tests/render/regen.sh.
#[test]
fn render_cases_match_helm() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/render");
    let (total, failures) = run_suite(&dir);
    report("render cases", total, &failures, total);
}

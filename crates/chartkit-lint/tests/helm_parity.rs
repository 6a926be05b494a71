//! Helm parity on the public corpus: `chartkit lint --format helm` against
//! the golden `helm lint` / `helm lint --strict` output of Helm v4.1.4 in
//! ../shared/corpus/lint (run with the corpus folder as working directory).
//! Compares stdout and the exit code byte for byte, and Helm's stderr
//! summary line; prints `N passed, N failed`.

use std::path::{Path, PathBuf};

use chartkit_chart::ValueOptions;
use chartkit_diagnostics::render::helm;
use chartkit_lint::{LintOptions, ValueSets, lint_charts};

struct Case {
    title: String,
    args: Vec<String>,
    exit_code: u8,
    stdout: String,
    stderr: String,
}

fn parse_golden(text: &str) -> Vec<Case> {
    let mut out = Vec::new();
    for block in text.split("### ").skip(1) {
        let (title, rest) = block.split_once('\n').unwrap_or((block, ""));
        let exit_code = rest
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("exit_code: "))
            .and_then(|c| c.trim().parse().ok())
            .unwrap_or(255);
        let stdout = rest.split_once("--- stdout\n").map_or("", |x| x.1);
        let (stdout, stderr) = stdout.split_once("--- stderr\n").unwrap_or((stdout, ""));
        let stderr = stderr.strip_suffix('\n').unwrap_or(stderr);
        out.push(Case {
            title: title.to_string(),
            args: title.split_whitespace().skip(2).map(str::to_string).collect(),
            exit_code,
            stdout: stdout.to_string(),
            stderr: stderr.to_string(),
        });
    }
    out
}

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    p.join("lint").is_dir().then_some(p)
}

fn run_case(case: &Case) -> (String, String, u8) {
    let mut opts = LintOptions {
        value_sets: ValueSets::None,
        helm_only: true,
        namespace: "default".into(),
        ..Default::default()
    };
    let mut values = ValueOptions::default();
    let mut paths = Vec::new();
    let mut it = case.args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--strict" => opts.strict = true,
            "--set" => values.values.extend(it.next().cloned()),
            "-f" | "--values" => values.value_files.extend(it.next().cloned()),
            other => paths.push(other.to_string()),
        }
    }
    opts.values = values;
    match lint_charts(&paths, &opts) {
        Ok(out) => {
            let o = helm::render(&out.run);
            (o.stdout, o.stderr, o.exit_code)
        }
        Err(e) => (String::new(), format!("Error: {e}\n"), 1),
    }
}

#[test]
fn corpus_helm_lint_parity() {
    let Some(corpus) = corpus() else {
        eprintln!("corpus not found; skipping");
        return;
    };
    std::env::set_current_dir(&corpus).expect("cd corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir("lint")
        .expect("lint dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let (mut passed, mut failed, mut stderr_ok) = (0, 0, 0);
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("golden");
        for case in parse_golden(&text) {
            let (stdout, stderr, code) = run_case(&case);
            // Helm's stderr also carries log lines; the summary line must match.
            let want_err = case.stderr.lines().filter(|l| l.starts_with("Error: ")).collect::<Vec<_>>();
            let got_err = stderr.lines().filter(|l| l.starts_with("Error: ")).collect::<Vec<_>>();
            if stderr == case.stderr {
                stderr_ok += 1;
            }
            if stdout == case.stdout && code == case.exit_code && want_err == got_err {
                passed += 1;
            } else {
                failed += 1;
                failures.push(format!(
                    "--- {}\nwant (exit {}):\n{}{}\ngot (exit {code}):\n{stdout}{stderr}",
                    case.title, case.exit_code, case.stdout, case.stderr
                ));
            }
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!("helm lint parity: stderr identical in {stderr_ok} cases");
    println!("helm-lint-parity: {passed} passed, {failed} failed");
    assert!(passed > 0, "no corpus case ran");
    assert_eq!(failed, 0, "chartkit lint --format helm differs from helm lint");
}

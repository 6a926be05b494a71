//! Shared by the Helm parity tests: the golden format of
//! ../shared/corpus/lint and tests/lint/helm-oracle, and a runner.

#![allow(dead_code)]

use chartkit_chart::ValueOptions;
use chartkit_diagnostics::render::helm;
use chartkit_lint::{LintOptions, ValueSets, lint_charts};

/// One `helm lint` invocation and what Helm printed.
pub struct Case {
    pub title: String,
    pub args: Vec<String>,
    pub exit_code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// Parses a golden file.
pub fn parse_golden(text: &str) -> Vec<Case> {
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

/// Runs a case through chartkit (`--format helm`).
pub fn run_case(case: &Case) -> (String, String, u8) {
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

/// Compares every case; returns (passed, failed, report of failures).
pub fn compare(cases: &[Case], fix: &dyn Fn(&str) -> String) -> (usize, usize, Vec<String>) {
    let (mut passed, mut failed) = (0, 0);
    let mut failures = Vec::new();
    for case in cases {
        let (stdout, stderr, code) = run_case(case);
        let (want_out, want_err) = (fix(&case.stdout), fix(&case.stderr));
        if stdout == want_out && stderr == want_err && code == case.exit_code {
            passed += 1;
        } else {
            failed += 1;
            failures.push(format!(
                "--- {}\nwant (exit {}):\n{want_out}{want_err}\ngot (exit {code}):\n{stdout}{stderr}",
                case.title, case.exit_code
            ));
        }
    }
    (passed, failed, failures)
}

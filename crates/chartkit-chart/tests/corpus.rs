//! Every case of the shared corpus through the chart pipeline `helm
//! template` runs before rendering: values flags, load, dependency
//! processing, coalescing and schema validation. Checks the outcomes Helm
//! recorded in `golden/<case>.err`: schema failures byte for byte, and the
//! log lines this crate is responsible for.

use std::path::{Path, PathBuf};

use chartkit_chart::{LogRecord, ValueOptions, loader, prepare_chart, to_render_values};

fn corpus() -> Option<PathBuf> {
    let p = match std::env::var_os("CHARTKIT_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    p.join("cases.json")
        .exists()
        .then(|| p.canonicalize().unwrap_or(p))
}

struct Outcome {
    logs: Vec<LogRecord>,
    error: Option<String>,
    templates: usize,
    charts: usize,
}

fn run_case(root: &Path, args: &[String]) -> Outcome {
    let mut opts = ValueOptions::default();
    let mut chart = None;
    let mut skip_schema = false;
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let mut take = || {
            i += 1;
            args[i].clone()
        };
        match a.as_str() {
            "-f" | "--values" => opts.value_files.push(take()),
            "--set" => opts.values.push(take()),
            "--set-string" => opts.string_values.push(take()),
            "--set-file" => opts.file_values.push(take()),
            "--set-json" => opts.json_values.push(take()),
            "--set-literal" => opts.literal_values.push(take()),
            "--namespace" | "-n" | "--show-only" | "-s" | "--kube-version" | "--api-versions"
            | "-a" => {
                take();
            }
            "--skip-schema-validation" => skip_schema = true,
            s if s.starts_with('-') => {}
            _ => positional.push(a.clone()),
        }
        i += 1;
    }
    if positional.len() >= 2 {
        chart = Some(positional[1].clone());
    }
    let chart_path = root.join(chart.expect("chart argument"));
    let user = opts.merge(root).expect("values");
    let loaded = loader::load(&chart_path).expect("load");
    let mut logs = loaded.logs;
    let mut chart = loaded.chart;
    let mut error = None;
    if let Err(e) = prepare_chart(&mut chart, &user, &mut logs) {
        error = Some(e.to_string());
    } else if let Err(e) = to_render_values(&chart, &user, skip_schema, &mut logs) {
        error = Some(e.to_string());
    }
    let walk = chart.walk();
    Outcome {
        templates: walk.iter().map(|(_, c)| c.templates.len()).sum(),
        charts: walk.len(),
        logs,
        error,
    }
}

#[test]
fn corpus_cases_prepare_like_helm() {
    let Some(root) = corpus() else {
        eprintln!("corpus not found; skipping");
        return;
    };
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("cases.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for case in cases["cases"].as_array().unwrap() {
        let name = case["case"].as_str().unwrap();
        let args: Vec<String> = case["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        let err_file =
            std::fs::read_to_string(root.join("golden").join(format!("{name}.err"))).unwrap();
        let mut lines = err_file.lines();
        let exit = lines
            .next()
            .unwrap()
            .trim_start_matches("exit_code: ")
            .to_string();
        let rest: Vec<&str> = lines.collect();
        let out = run_case(&root, &args);
        n += 1;
        assert!(
            out.charts >= 1 && out.templates >= 1,
            "{name}: nothing loaded"
        );
        let want_logs: Vec<&str> = rest
            .iter()
            .copied()
            .filter(|l| l.starts_with("level="))
            .collect();
        let got_logs: Vec<String> = out.logs.iter().map(|l| l.to_string()).collect();
        if exit == "0" {
            if let Some(e) = &out.error {
                failures.push(format!("{name}: unexpected error {e}"));
            }
            if got_logs != want_logs {
                failures.push(format!("{name}: logs {got_logs:?} != {want_logs:?}"));
            }
        } else if rest
            .first()
            .is_some_and(|l| l.starts_with("Error: values don't meet"))
        {
            let want = rest.join("\n");
            let got = format!("Error: {}", out.error.clone().unwrap_or_default());
            if got.trim_end() != want.trim_end() {
                failures.push(format!("{name}: error {got:?} != {want:?}"));
            }
        } else if let Some(e) = &out.error {
            // Errors raised while rendering templates are not ours.
            failures.push(format!("{name}: unexpected error {e}"));
        }
    }
    assert!(n >= 81, "only {n} cases");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

//! Engine oracle tests: every template of the oracle charts is parsed and
//! executed by `chartkit_gotemplate` with Sprig's and Helm's functions, the
//! way Helm runs it (`missingkey=zero`, `.Values` from the chart's
//! `values.yaml`, `<no value>` removed from the output), and the output is
//! compared with what the reference Helm printed (`expected.out`), line by
//! line and byte for byte.
//!
//! Lines whose output depends on the clock end their template line with
//! `# shape`; the chart's `shapes.txt` holds `key|regex` for them, and the
//! regex must match both Helm's line and ours (whole line).
//!
//! Error charts (`errors/*`) must fail with the message Helm printed after
//! `Error: ` (those Helm rewrites itself, such as `fail`, are skipped).
//!
//! `known-divergences.txt` lists lines known to differ for reasons outside
//! this crate; they must still differ (so the list cannot go stale).

use std::fs;
use std::path::{Path, PathBuf};

use chartkit_gotemplate::{FuncMap, Map, MissingKey, TemplateSet, Value};
use regex::Regex;

fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle")
}

fn funcs() -> FuncMap {
    let mut m = chartkit_sprig::sprig_funcs();
    m.extend(chartkit_sprig::helm_funcs());
    m
}

/// The data Helm gives a chart's templates, as far as the oracle charts use it.
fn chart_data(chart: &Path) -> Value {
    let values = match fs::read_to_string(chart.join("values.yaml")) {
        Ok(text) => match chartkit_yaml::load_values(&text) {
            Ok(m) => chartkit_sprig::convert::from_data(chartkit_yaml::Value::Map(m)),
            Err(e) => panic!("{}: values.yaml: {e}", chart.display()),
        },
        Err(_) => Value::Map(Map::new()),
    };
    let release = Map::new();
    release.insert("Name", Value::from("rel"));
    release.insert("Namespace", Value::from("default"));
    release.insert("Service", Value::from("Helm"));
    let data = Map::new();
    data.insert("Values", values);
    data.insert("Release", Value::Map(release));
    Value::Map(data)
}

fn chart_name(chart: &Path) -> String {
    chart
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Renders `templates/FILE` of a chart as Helm names and runs it.
fn render(chart: &Path, file: &str) -> Result<String, Box<chartkit_gotemplate::Error>> {
    let text = fs::read_to_string(chart.join("templates").join(file)).unwrap_or_default();
    let name = format!("{}/templates/{file}", chart_name(chart));
    let mut set = TemplateSet::new(funcs());
    set.set_name("gotpl");
    set.set_missing_key(MissingKey::Zero);
    set.parse(&name, &text)?;
    let out = set.execute(&name, &chart_data(chart))?;
    Ok(out.replace("<no value>", ""))
}

/// `key|regex` lines of a chart's `shapes.txt`.
fn shapes(chart: &Path) -> Vec<(String, Regex)> {
    let text = fs::read_to_string(chart.join("shapes.txt")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('|'))
        .map(|(k, re)| {
            let re = Regex::new(&format!("^(?:{re})$"))
                .unwrap_or_else(|e| panic!("{}: bad shape {k}: {e}", chart.display()));
            (k.to_string(), re)
        })
        .collect()
}

/// Helm's `---` / `# Source:` header lines are not template output.
fn body_lines(expected: &str) -> Vec<&str> {
    expected
        .lines()
        .filter(|l| *l != "---" && !l.starts_with("# Source:"))
        .collect()
}

/// Whether `time.Local` here is UTC, as when the expected outputs were made.
fn local_zone_is_utc() -> bool {
    let mut set = TemplateSet::new(funcs());
    set.parse("z", r#"{{ date "-0700 MST" 0 }}"#).is_ok()
        && set
            .execute("z", &Value::Nil)
            .is_ok_and(|s| s == "+0000 UTC")
}

/// `chart:key` entries of `known-divergences.txt`.
fn known_divergences() -> Vec<String> {
    let text = fs::read_to_string(oracle_dir().join("known-divergences.txt")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('|').next().unwrap_or_default().to_string())
        .collect()
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: Vec<String>,
    skipped: Vec<String>,
    known: Vec<String>,
}

fn check_chart(chart: &Path, known: &[String], tally: &mut Tally) {
    let Ok(expected) = fs::read_to_string(chart.join("expected.out")) else {
        return;
    };
    let want = body_lines(&expected);
    let mut files: Vec<String> = fs::read_dir(chart.join("templates"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let shapes = shapes(chart);
    let mut got_all = Vec::new();
    let mut template_lines = Vec::new();
    for file in &files {
        match render(chart, file) {
            Ok(out) => got_all.extend(out.trim_end_matches('\n').lines().map(str::to_string)),
            Err(e) => {
                tally
                    .failed
                    .push(format!("{}/{file}: {}", chart.display(), e.go_message));
                return;
            }
        }
        let text = fs::read_to_string(chart.join("templates").join(file)).unwrap_or_default();
        template_lines.extend(text.lines().map(str::to_string));
    }
    if got_all.len() != want.len() {
        tally.failed.push(format!(
            "{}: {} lines, Helm printed {}",
            chart.display(),
            got_all.len(),
            want.len()
        ));
        return;
    }
    for (i, (got, want)) in got_all.iter().zip(&want).enumerate() {
        let is_shape = template_lines
            .get(i)
            .is_some_and(|t| t.trim_end().ends_with("# shape"));
        let key = want.trim_start().split(':').next().unwrap_or_default();
        let id = format!("{}:{key}", chart_name(chart));
        if known.contains(&id) {
            if got == want {
                tally.failed.push(format!(
                    "{id} matches Helm now: remove it from known-divergences.txt"
                ));
            } else {
                tally.known.push(id);
            }
            continue;
        }
        if is_shape {
            let Some((_, re)) = shapes.iter().find(|(k, _)| k == key) else {
                tally
                    .failed
                    .push(format!("{}: no shape for {key}", chart.display()));
                continue;
            };
            if !re.is_match(want) {
                tally.failed.push(format!(
                    "{}: shape {key} does not match Helm's line {want:?}",
                    chart.display()
                ));
            } else if !re.is_match(got) {
                tally
                    .failed
                    .push(format!("{}: shape {key}:\n  got  {got:?}", chart.display()));
            } else {
                tally.passed += 1;
            }
        } else if got == want {
            tally.passed += 1;
        } else {
            tally.failed.push(format!(
                "{}:\n  want {want:?}\n  got  {got:?}",
                chart.display()
            ));
        }
    }
}

/// The Go error text behind Helm's message. Helm prints `error calling`
/// failures as Go does, and rewrites other execution errors as
/// `NAME:L:C` / `  executing "NAME" at <NODE>:` / `    CAUSE`.
fn go_error_text(helm: &str) -> Option<String> {
    let mut lines = helm.lines();
    let first = lines.next()?.strip_prefix("Error: ")?;
    if first.starts_with("template: ") {
        return Some(first.to_string());
    }
    let executing = lines
        .next()?
        .strip_prefix("  executing ")?
        .strip_suffix(':')?;
    let cause = lines.next()?.strip_prefix("    ")?;
    Some(format!("template: {first}: executing {executing}: {cause}"))
}

fn check_error_chart(chart: &Path, known: &[String], tally: &mut Tally) {
    let Ok(err) = fs::read_to_string(chart.join("expected.err")) else {
        return;
    };
    let Some(want) = go_error_text(&err) else {
        let first = err.lines().next().unwrap_or_default();
        tally.skipped.push(format!(
            "{} (Helm rewrites this error: {first})",
            chart.display()
        ));
        return;
    };
    let id = format!("errors/{}", chart_name(chart));
    match render(chart, "t.yaml") {
        Ok(out) => tally.failed.push(format!(
            "{}: rendered {out:?}, Helm failed with {want:?}",
            chart.display()
        )),
        Err(e) if e.go_message == want && known.contains(&id) => {
            tally.failed.push(format!(
                "{id} matches Helm now: remove it from known-divergences.txt"
            ));
        }
        Err(e) if e.go_message == want => tally.passed += 1,
        Err(_) if known.contains(&id) => tally.known.push(id),
        Err(e) => tally.failed.push(format!(
            "{}:\n  want {want:?}\n  got  {:?}",
            chart.display(),
            e.go_message
        )),
    }
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn oracle_charts_through_the_engine() {
    let utc = local_zone_is_utc();
    let known = known_divergences();
    let mut tally = Tally::default();
    for chart in sorted_dirs(&oracle_dir()) {
        if chart.ends_with("errors") {
            for e in sorted_dirs(&chart) {
                check_error_chart(&e, &known, &mut tally);
            }
        } else if chart.ends_with("dates") && !utc {
            tally.skipped.push(format!(
                "{} (expected outputs assume time.Local is UTC)",
                chart.display()
            ));
        } else {
            check_chart(&chart, &known, &mut tally);
        }
    }
    for s in &tally.skipped {
        eprintln!("skipped: {s}");
    }
    for k in &tally.known {
        eprintln!("known divergence: {k}");
    }
    eprintln!("{} passed, {} failed", tally.passed, tally.failed.len());
    assert_eq!(
        tally.known.len(),
        known.len(),
        "known-divergences.txt names lines that were not checked"
    );
    assert!(
        tally.failed.is_empty(),
        "{} failed:\n{}",
        tally.failed.len(),
        tally.failed.join("\n")
    );
    assert!(tally.passed > 0);
}

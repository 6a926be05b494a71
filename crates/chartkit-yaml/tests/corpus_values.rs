//! For each of the 45 corpus charts, `toYaml .Values` and `toJson .Values`
//! of the chart's own values.yaml must be byte-identical to what the
//! reference Helm printed (tests/corpus_values/regen.sh recorded it).

use std::fs;
use std::path::{Path, PathBuf};

use chartkit_yaml::json::JsonOptions;
use chartkit_yaml::{Value, json, load_values, to_yaml};

fn corpus_charts() -> PathBuf {
    // The workspace lives in main/, the shared corpus beside it.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/charts")
}

#[test]
fn corpus_values_match_helm() {
    let expected_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_values");
    let mut charts: Vec<PathBuf> = fs::read_dir(&expected_root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    charts.sort();
    let corpus = corpus_charts();
    assert!(corpus.is_dir(), "corpus not found at {}", corpus.display());
    let (mut passed, mut failed) = (0, Vec::new());
    for expected in &charts {
        let name = expected.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read(corpus.join(&name).join("values.yaml")).unwrap();
        let values = match chartkit_yaml::load_values_bytes(&text) {
            Ok(m) => Value::Map(m),
            Err(e) => {
                failed.push(format!("{name}: load failed: {e}"));
                continue;
            }
        };
        let want_yaml = fs::read_to_string(expected.join("toYaml")).unwrap();
        let want_json = fs::read_to_string(expected.join("toJson")).unwrap();
        let got_yaml = to_yaml(&values).map(|s| s.trim_end_matches('\n').to_owned());
        let got_json = json::to_string(&values, JsonOptions::compact());
        let mut ok = true;
        match got_yaml {
            Ok(y) if y == want_yaml.strip_suffix('\n').unwrap_or(&want_yaml) || y == want_yaml => {}
            Ok(y) => {
                ok = false;
                let line = y
                    .lines()
                    .zip(want_yaml.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                failed.push(format!(
                    "{name}/toYaml line {}: ours {:?} helm {:?}",
                    line + 1,
                    y.lines().nth(line),
                    want_yaml.lines().nth(line)
                ));
            }
            Err(e) => {
                ok = false;
                failed.push(format!("{name}/toYaml: {e}"));
            }
        }
        match got_json {
            Ok(j) if j == want_json => {}
            Ok(j) => {
                ok = false;
                let at = j
                    .bytes()
                    .zip(want_json.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                let lo = at.saturating_sub(40);
                failed.push(format!(
                    "{name}/toJson byte {at}: ours {:?} helm {:?}",
                    j.get(lo..(at + 40).min(j.len())),
                    want_json.get(lo..(at + 40).min(want_json.len()))
                ));
            }
            Err(e) => {
                ok = false;
                failed.push(format!("{name}/toJson: {e}"));
            }
        }
        if ok {
            passed += 1;
        }
    }
    println!("{passed} passed, {} failed", failed.len());
    for f in &failed {
        println!("FAIL {f}");
    }
    assert!(failed.is_empty());
    assert_eq!(passed, 45, "all 45 corpus charts must be checked");
}

#[test]
fn toyaml_round_trips_through_the_loader() {
    // What toYaml prints must load back to the same values (Helm relies on
    // this when templates feed toYaml output to YAML parsers).
    let corpus = corpus_charts();
    for entry in fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path().join("values.yaml");
        let text = fs::read(&path).unwrap();
        let values = Value::Map(chartkit_yaml::load_values_bytes(&text).unwrap());
        let printed = to_yaml(&values).unwrap();
        let reloaded = Value::Map(load_values(&printed).unwrap());
        assert_eq!(reloaded, values, "{}", path.display());
    }
}

//! `--set` family behaviour checked against the reference Helm: each line of
//! `oracle/strvals.tsv` (made by `oracle/gen-strvals.sh`) holds a flag, its
//! argument and what `helm template` made of it (`toJson .Values`, quoted)
//! or the error line it printed.

use chartkit_chart::{Chart, ValueOptions, to_render_values};
use chartkit_yaml::Value;
use chartkit_yaml::json::{JsonOptions, to_string};

#[test]
fn strvals_match_reference_helm() {
    let data = include_str!("oracle/strvals.tsv");
    let mut chart = Chart::default();
    chart.metadata.name = "c".into();
    let mut failures = Vec::new();
    for line in data.lines().filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.splitn(4, '\t').collect();
        let (flag, arg, status, want) = (cols[0], cols[1], cols[2], cols[3]);
        let mut opts = ValueOptions::default();
        let slot = match flag {
            "--set" => &mut opts.values,
            "--set-string" => &mut opts.string_values,
            "--set-json" => &mut opts.json_values,
            "--set-literal" => &mut opts.literal_values,
            other => panic!("unknown flag {other}"),
        };
        slot.push(arg.to_string());
        let got = opts
            .merge(std::path::Path::new("."))
            .map_err(|e| format!("Error: {e}"))
            .and_then(|user| {
                to_render_values(&chart, &user, false, &mut Vec::new())
                    .map_err(|e| format!("Error: {e}"))
            });
        match (status, got) {
            ("ok", Ok(vals)) => {
                let json = to_string(&Value::Map(vals), JsonOptions::compact()).unwrap();
                let want: String = serde_json::from_str(want).unwrap();
                if json != want {
                    failures.push(format!("{flag} {arg}: got {json}, want {want}"));
                }
            }
            ("err", Err(e)) => {
                if e != want {
                    failures.push(format!("{flag} {arg}: got error {e:?}, want {want:?}"));
                }
            }
            (_, got) => failures.push(format!("{flag} {arg}: got {got:?}, want {status} {want}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

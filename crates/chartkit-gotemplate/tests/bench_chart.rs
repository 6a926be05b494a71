//! The benchmark chart renders exactly as Go's text/template renders it
//! (benches/data/expected.out, written by tools/gotemplate-conformance).

#[path = "../benches/helmish.rs"]
mod helmish;

#[test]
fn benchmark_chart_matches_go() {
    let chart = helmish::load();
    let set = helmish::parse(&chart);
    let got = set
        .execute("statefulset.yaml", &chart.data)
        .expect("execute");
    let want =
        std::fs::read_to_string(helmish::data_dir().join("expected.out")).expect("expected.out");
    assert!(
        got == want,
        "benchmark chart output differs from Go's (got {} bytes, want {})",
        got.len(),
        want.len()
    );
}

//! Parse and execute a large Helm-like chart (nested defines, include,
//! range over maps and lists, printf, many fields). The same workload runs
//! in Go with `go run ./tools/gotemplate-conformance render -dir
//! crates/chartkit-gotemplate/benches/data -n 300`.

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "helmish.rs"]
mod helmish;

fn bench(c: &mut Criterion) {
    let chart = helmish::load();
    c.bench_function("parse", |b| {
        b.iter(|| helmish::parse(std::hint::black_box(&chart)))
    });
    let set = helmish::parse(&chart);
    c.bench_function("execute", |b| {
        b.iter(|| {
            set.execute("statefulset.yaml", std::hint::black_box(&chart.data))
                .expect("execute")
        })
    });
    c.bench_function("parse+execute", |b| {
        b.iter(|| {
            helmish::parse(&chart)
                .execute("statefulset.yaml", &chart.data)
                .expect("execute")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! `dependency-in-charts-dir` (Helm parity): declared dependencies are present.

crate::declare_rule! {
    /// ## What it does
    /// Reports dependencies declared in Chart.yaml but missing from `charts/`.
    ///
    /// ## Why is this bad?
    /// Install fails until `helm dependency build` runs.
    ///
    /// ## Example
    /// `dependencies: [{name: redis}]` and no `charts/redis*`
    ///
    /// ## Fix
    /// Run `helm dependency build` (or `chartkit` equivalent).
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "dependency-in-charts-dir",
    severity: Warning,
    scope: Chart,
    group: Helm,
    summary: "declared dependencies are present",
}

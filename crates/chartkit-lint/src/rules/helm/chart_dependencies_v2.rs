//! `chart-dependencies-v2` (Helm parity): dependencies only in apiVersion v2.

crate::declare_rule! {
    /// ## What it does
    /// Reports `dependencies` in Chart.yaml of a v1 chart.
    ///
    /// ## Why is this bad?
    /// v1 charts declare dependencies in requirements.yaml.
    ///
    /// ## Example
    /// `apiVersion: v1` with `dependencies:`
    ///
    /// ## Fix
    /// Move the chart to `apiVersion: v2`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-dependencies-v2",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "dependencies only in apiVersion v2",
}

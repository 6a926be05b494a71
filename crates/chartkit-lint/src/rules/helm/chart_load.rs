//! `chart-load` (Helm parity): the chart loads.

crate::declare_rule! {
    /// ## What it does
    /// Reports errors loading the chart (bad subcharts, invalid files).
    ///
    /// ## Why is this bad?
    /// Nothing can be rendered.
    ///
    /// ## Example
    /// a corrupt `charts/x.tgz`
    ///
    /// ## Fix
    /// Fix or rebuild the offending file.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-load",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "the chart loads",
}

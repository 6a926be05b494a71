//! `chart-name` (Helm parity): the chart name is required and valid.

crate::declare_rule! {
    /// ## What it does
    /// Reports a missing chart name or one containing a path separator.
    ///
    /// ## Why is this bad?
    /// Helm refuses to package or install such a chart.
    ///
    /// ## Example
    /// `name: charts/db`
    ///
    /// ## Fix
    /// Use a plain name matching the chart directory.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-name",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "the chart name is required and valid",
}

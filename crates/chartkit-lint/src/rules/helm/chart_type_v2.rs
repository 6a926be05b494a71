//! `chart-type-v2` (Helm parity): type only in apiVersion v2.

crate::declare_rule! {
    /// ## What it does
    /// Reports `type` in a v1 chart.
    ///
    /// ## Why is this bad?
    /// v1 charts have no types; Helm ignores it.
    ///
    /// ## Example
    /// `apiVersion: v1` with `type: library`
    ///
    /// ## Fix
    /// Move the chart to `apiVersion: v2`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-type-v2",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "type only in apiVersion v2",
}

//! `chart-api-version` (Helm parity): apiVersion is v1 or v2.

crate::declare_rule! {
    /// ## What it does
    /// Reports a missing `apiVersion` or one other than `v1`/`v2`.
    ///
    /// ## Why is this bad?
    /// Helm 4 only installs v1 and v2 charts.
    ///
    /// ## Example
    /// `apiVersion: v3`
    ///
    /// ## Fix
    /// Use `apiVersion: v2`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-api-version",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "apiVersion is v1 or v2",
}

//! `chart-app-version-type` (Helm parity): appVersion is a string.

crate::declare_rule! {
    /// ## What it does
    /// Reports a non-string `appVersion`.
    ///
    /// ## Why is this bad?
    /// `appVersion: 8.10` becomes `8.1`.
    ///
    /// ## Example
    /// `appVersion: 8.10`
    ///
    /// ## Fix
    /// Quote it: `appVersion: "8.10"`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-app-version-type",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "appVersion is a string",
}

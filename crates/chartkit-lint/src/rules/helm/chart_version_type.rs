//! `chart-version-type` (Helm parity): version is a string.

crate::declare_rule! {
    /// ## What it does
    /// Reports a non-string `version` as YAML typed it.
    ///
    /// ## Why is this bad?
    /// `version: 1.10` is the number 1.1: the published version silently changes.
    ///
    /// ## Example
    /// `version: 1.10`
    ///
    /// ## Fix
    /// Quote it: `version: "1.10.0"`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-version-type",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "version is a string",
}

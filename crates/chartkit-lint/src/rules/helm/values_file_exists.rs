//! `values-file-exists` (Helm parity): values.yaml exists.

crate::declare_rule! {
    /// ## What it does
    /// Reports a chart without values.yaml.
    ///
    /// ## Why is this bad?
    /// Users expect documented defaults there.
    ///
    /// ## Example
    /// (no values.yaml)
    ///
    /// ## Fix
    /// Add a values.yaml, even an empty one with comments.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "values-file-exists",
    severity: Info,
    scope: Chart,
    group: Helm,
    summary: "values.yaml exists",
}

//! `dependencies-load` (Helm parity): the chart loads for dependency checks.

crate::declare_rule! {
    /// ## What it does
    /// Reports a chart directory that cannot be loaded when checking dependencies.
    ///
    /// ## Why is this bad?
    /// Dependencies cannot be checked.
    ///
    /// ## Example
    /// an unreadable subchart
    ///
    /// ## Fix
    /// Fix the chart so it loads.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "dependencies-load",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "the chart loads for dependency checks",
}

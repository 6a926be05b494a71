//! `templates-dir-exists` (Helm parity): templates/ exists.

crate::declare_rule! {
    /// ## What it does
    /// Reports a chart without a `templates/` directory.
    ///
    /// ## Why is this bad?
    /// A chart without templates installs nothing.
    ///
    /// ## Example
    /// (no templates/)
    ///
    /// ## Fix
    /// Add templates, or make the chart a library.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "templates-dir-exists",
    severity: Warning,
    scope: Chart,
    group: Helm,
    summary: "templates/ exists",
}

//! `templates-dir-valid` (Helm parity): templates is a directory.

crate::declare_rule! {
    /// ## What it does
    /// Reports a `templates` that is not a directory.
    ///
    /// ## Why is this bad?
    /// Helm cannot load templates from it.
    ///
    /// ## Example
    /// a file named `templates`
    ///
    /// ## Fix
    /// Make it a directory.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "templates-dir-valid",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "templates is a directory",
}

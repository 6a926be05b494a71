//! `crds-dir` (Helm parity): crds is a directory.

crate::declare_rule! {
    /// ## What it does
    /// Reports a `crds` that is not a directory.
    ///
    /// ## Why is this bad?
    /// CRDs cannot be installed.
    ///
    /// ## Example
    /// a file named `crds`
    ///
    /// ## Fix
    /// Make it a directory.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "crds-dir",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "crds is a directory",
}

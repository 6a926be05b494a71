//! `chart-yaml-not-dir` (Helm parity): Chart.yaml must be a file.

crate::declare_rule! {
    /// ## What it does
    /// Reports a `Chart.yaml` that is a directory.
    ///
    /// ## Why is this bad?
    /// Helm cannot read the chart's metadata.
    ///
    /// ## Example
    /// `Chart.yaml/` created by mistake as a folder.
    ///
    /// ## Fix
    /// Replace the directory with the metadata file.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-yaml-not-dir",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "Chart.yaml must be a file",
}

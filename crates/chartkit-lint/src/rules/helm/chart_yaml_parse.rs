//! `chart-yaml-parse` (Helm parity): Chart.yaml must parse.

crate::declare_rule! {
    /// ## What it does
    /// Reports a `Chart.yaml` that is not valid YAML or whose fields have the wrong types (`unable to parse YAML`).
    ///
    /// ## Why is this bad?
    /// Nothing else about the chart can be checked or installed.
    ///
    /// ## Example
    /// `version: [1, 2]`
    ///
    /// ## Fix
    /// Fix the YAML; field types are those of Helm's `Metadata`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-yaml-parse",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "Chart.yaml must parse",
}

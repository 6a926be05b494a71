//! `chart-yaml-strict` (Helm parity): Chart.yaml has no unknown fields.

crate::declare_rule! {
    /// ## What it does
    /// Reports fields Helm's `Metadata` does not have (`failed to strictly parse chart metadata file`).
    ///
    /// ## Why is this bad?
    /// Unknown fields are silently dropped; usually a typo (`appversion`) or a field meant for `annotations`.
    ///
    /// ## Example
    /// `engine: gotpl`
    ///
    /// ## Fix
    /// Remove the field or move it under `annotations`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-yaml-strict",
    severity: Warning,
    scope: Chart,
    group: Helm,
    summary: "Chart.yaml has no unknown fields",
}

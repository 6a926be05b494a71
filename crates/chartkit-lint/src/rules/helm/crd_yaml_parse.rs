//! `crd-yaml-parse` (Helm parity): files in crds/ are YAML.

crate::declare_rule! {
    /// ## What it does
    /// Reports files in crds/ that do not parse (including templates: crds/ is not rendered).
    ///
    /// ## Why is this bad?
    /// Helm applies crds/ verbatim; template syntax there fails.
    ///
    /// ## Example
    /// `{{ .Values.x }}` in crds/
    ///
    /// ## Fix
    /// Move templated CRDs to templates/.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "crd-yaml-parse",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "files in crds/ are YAML",
}

//! `template-yaml-parse` (Helm parity): rendered templates are valid YAML.

crate::declare_rule! {
    /// ## What it does
    /// Reports rendered output that is not YAML.
    ///
    /// ## Why is this bad?
    /// The API server rejects the manifest.
    ///
    /// ## Example
    /// `foo: {{ .Values.list }}` printing `[a b]`
    ///
    /// ## Fix
    /// Use `toYaml`/`quote`, fix indentation.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "template-yaml-parse",
    severity: Error,
    scope: Rendered,
    group: Helm,
    summary: "rendered templates are valid YAML",
}

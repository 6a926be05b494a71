//! `template-render` (Helm parity): templates render.

crate::declare_rule! {
    /// ## What it does
    /// Reports template parse and execution errors (in lint mode: `required` and `fail` only log).
    ///
    /// ## Why is this bad?
    /// The chart cannot be installed with these values.
    ///
    /// ## Example
    /// `{{ .Values.x | b64enc }}` with `x` missing
    ///
    /// ## Fix
    /// Fix the template or provide the value.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "template-render",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "templates render",
}

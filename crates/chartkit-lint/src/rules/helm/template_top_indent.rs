//! `template-top-indent` (Helm parity): no indentation at the top of a document.

crate::declare_rule! {
    /// ## What it does
    /// Reports rendered documents whose first line is indented.
    ///
    /// ## Why is this bad?
    /// Parsers differ on such documents; usually a stray `{{ ... }}` left whitespace.
    ///
    /// ## Example
    /// `  apiVersion: v1`
    ///
    /// ## Fix
    /// Use `{{-` to trim, or fix the indentation.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "template-top-indent",
    severity: Warning,
    scope: Rendered,
    group: Helm,
    summary: "no indentation at the top of a document",
}

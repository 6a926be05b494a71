//! `template-extension` (Helm parity): template file extensions.

crate::declare_rule! {
    /// ## What it does
    /// Reports files in templates/ whose extension is not .yaml, .yml, .tpl or .txt.
    ///
    /// ## Why is this bad?
    /// Other files are rendered as manifests by accident or ignored by tools.
    ///
    /// ## Example
    /// `templates/notes.md`
    ///
    /// ## Fix
    /// Rename the file or move it out of templates/.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "template-extension",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "template file extensions",
}

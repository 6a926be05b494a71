//! `list-resource-policy` (Helm parity): no resource-policy inside List.

crate::declare_rule! {
    /// ## What it does
    /// Reports `helm.sh/resource-policy` on items of a `List`.
    ///
    /// ## Why is this bad?
    /// Helm ignores annotations inside List items: the resource is deleted on uninstall.
    ///
    /// ## Example
    /// a List whose item has `helm.sh/resource-policy: keep`
    ///
    /// ## Fix
    /// Render the items as separate documents.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "list-resource-policy",
    severity: Error,
    scope: Rendered,
    group: Helm,
    summary: "no resource-policy inside List",
}

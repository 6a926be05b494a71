//! `metadata-name` (Helm parity): metadata.name is a valid name for its kind.

crate::declare_rule! {
    /// ## What it does
    /// Checks metadata.name against the kind's naming rule (DNS subdomain, DNS-1035 label for Services, path segment for RBAC).
    ///
    /// ## Why is this bad?
    /// The API server rejects invalid names at install time.
    ///
    /// ## Example
    /// a Service named `My_Svc`
    ///
    /// ## Fix
    /// Lowercase the name; use `-` instead of `_`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "metadata-name",
    severity: Warning,
    scope: Rendered,
    group: Helm,
    summary: "metadata.name is a valid name for its kind",
}

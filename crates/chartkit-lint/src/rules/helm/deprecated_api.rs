//! `deprecated-api` (Helm parity): no deprecated apiVersions.

crate::declare_rule! {
    /// ## What it does
    /// Reports apiVersions deprecated at the target Kubernetes version (`--kube-version`, default 1.35), with Helm's message.
    ///
    /// ## Why is this bad?
    /// Deprecated APIs are removed in later releases; the chart stops installing.
    ///
    /// ## Example
    /// `apiVersion: apps/v1beta2` StatefulSet
    ///
    /// ## Fix
    /// Use the replacement named in the message (`apps/v1`).
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "deprecated-api",
    severity: Warning,
    scope: Rendered,
    group: Helm,
    summary: "no deprecated apiVersions",
}

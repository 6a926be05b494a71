//! `crd-api-version` (Helm parity): crds/ documents are apiextensions.k8s.io.

crate::declare_rule! {
    /// ## What it does
    /// Reports documents in crds/ whose apiVersion is not in `apiextensions.k8s.io`.
    ///
    /// ## Why is this bad?
    /// Helm installs crds/ before anything else and never upgrades them: only CRDs belong there.
    ///
    /// ## Example
    /// a ConfigMap in crds/
    ///
    /// ## Fix
    /// Move the object to templates/.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "crd-api-version",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "crds/ documents are apiextensions.k8s.io",
}

//! `crd-kind` (Helm parity): crds/ documents are CustomResourceDefinitions.

crate::declare_rule! {
    /// ## What it does
    /// Reports documents in crds/ whose kind is not CustomResourceDefinition.
    ///
    /// ## Why is this bad?
    /// Same as crd-api-version.
    ///
    /// ## Example
    /// `kind: ConfigMap` in crds/
    ///
    /// ## Fix
    /// Move the object to templates/.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "crd-kind",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "crds/ documents are CustomResourceDefinitions",
}

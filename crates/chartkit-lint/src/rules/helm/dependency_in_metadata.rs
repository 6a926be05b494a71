//! `dependency-in-metadata` (Helm parity): subcharts are declared.

crate::declare_rule! {
    /// ## What it does
    /// Reports charts under `charts/` that Chart.yaml does not declare.
    ///
    /// ## Why is this bad?
    /// Undeclared subcharts are installed without conditions, tags or version pinning.
    ///
    /// ## Example
    /// `charts/redis/` without a `redis` dependency
    ///
    /// ## Fix
    /// Declare it in `dependencies` or remove it.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "dependency-in-metadata",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "subcharts are declared",
}

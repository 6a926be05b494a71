//! `workload-selector-present` (Helm parity): workloads have a selector.

crate::declare_rule! {
    /// ## What it does
    /// Reports Deployments, ReplicaSets, DaemonSets and StatefulSets without `matchLabels` or `matchExpressions`.
    ///
    /// ## Why is this bad?
    /// apps/v1 requires a selector; the install fails.
    ///
    /// ## Example
    /// a StatefulSet without `spec.selector`
    ///
    /// ## Fix
    /// Add `spec.selector.matchLabels` matching the pod labels.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "workload-selector-present",
    severity: Error,
    scope: Rendered,
    group: Helm,
    summary: "workloads have a selector",
}

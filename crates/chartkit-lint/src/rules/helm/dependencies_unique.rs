//! `dependencies-unique` (Helm parity): dependency names and aliases are unique.

crate::declare_rule! {
    /// ## What it does
    /// Reports two dependencies with the same name or alias.
    ///
    /// ## Why is this bad?
    /// One silently shadows the other.
    ///
    /// ## Example
    /// two `redis` entries without aliases
    ///
    /// ## Fix
    /// Give each an `alias`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "dependencies-unique",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "dependency names and aliases are unique",
}

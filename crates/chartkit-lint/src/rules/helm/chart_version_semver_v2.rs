//! `chart-version-semver-v2` (Helm parity): version is strict SemVer 2.

crate::declare_rule! {
    /// ## What it does
    /// Reports versions Helm accepts loosely but strict SemVer 2 does not (`v1.2`, `1.2`).
    ///
    /// ## Why is this bad?
    /// OCI registries and other tools require strict SemVer.
    ///
    /// ## Example
    /// `version: v1.2`
    ///
    /// ## Fix
    /// Use `1.2.0`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-version-semver-v2",
    severity: Warning,
    scope: Chart,
    group: Helm,
    summary: "version is strict SemVer 2",
}

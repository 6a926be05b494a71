//! `chart-version` (Helm parity): version is SemVer.

crate::declare_rule! {
    /// ## What it does
    /// Reports a missing or non-SemVer `version`.
    ///
    /// ## Why is this bad?
    /// Repositories, dependencies and upgrades compare versions as SemVer.
    ///
    /// ## Example
    /// `version: latest`
    ///
    /// ## Fix
    /// Use SemVer: `version: 1.2.3`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-version",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "version is SemVer",
}

//! `chart-icon-present` (Helm parity): icon is recommended.

crate::declare_rule! {
    /// ## What it does
    /// Reports a chart without `icon`.
    ///
    /// ## Why is this bad?
    /// Chart repositories and hubs show the icon.
    ///
    /// ## Example
    /// (no `icon:` key)
    ///
    /// ## Fix
    /// Add `icon: https://.../logo.svg`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-icon-present",
    severity: Info,
    scope: Chart,
    group: Helm,
    summary: "icon is recommended",
}

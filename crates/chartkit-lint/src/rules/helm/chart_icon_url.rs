//! `chart-icon-url` (Helm parity): icon is a URL.

crate::declare_rule! {
    /// ## What it does
    /// Reports an `icon` that is not an absolute URL.
    ///
    /// ## Why is this bad?
    /// Hubs cannot load it.
    ///
    /// ## Example
    /// `icon: logo.png`
    ///
    /// ## Fix
    /// Use an absolute URL.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-icon-url",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "icon is a URL",
}

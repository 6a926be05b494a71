//! `chart-sources` (Helm parity): sources are URLs.

crate::declare_rule! {
    /// ## What it does
    /// Reports entries of `sources` that are not absolute URLs.
    ///
    /// ## Why is this bad?
    /// Chart indexes link to them.
    ///
    /// ## Example
    /// `sources: [github.com/x]`
    ///
    /// ## Fix
    /// Use full URLs: `https://github.com/x`.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-sources",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "sources are URLs",
}

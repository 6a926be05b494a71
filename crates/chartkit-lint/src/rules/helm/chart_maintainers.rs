//! `chart-maintainers` (Helm parity): maintainers have a name and valid email/url.

crate::declare_rule! {
    /// ## What it does
    /// Reports empty maintainer entries, maintainers without a name, and invalid emails or URLs.
    ///
    /// ## Why is this bad?
    /// Tools that index charts rely on these fields.
    ///
    /// ## Example
    /// `maintainers: [{email: nope}]`
    ///
    /// ## Fix
    /// Give every maintainer a name, a valid email and URL.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "chart-maintainers",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "maintainers have a name and valid email/url",
}

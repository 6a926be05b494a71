//! `values-render` (Helm parity): the final values meet every chart's schema.

crate::declare_rule! {
    /// ## What it does
    /// Coalesces values for the whole chart tree and validates them against every chart's values.schema.json, as an install would.
    ///
    /// ## Why is this bad?
    /// Installs with these values fail.
    ///
    /// ## Example
    /// a subchart schema requiring `auth.password`
    ///
    /// ## Fix
    /// Provide the value or relax the schema.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "values-render",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "the final values meet every chart's schema",
}

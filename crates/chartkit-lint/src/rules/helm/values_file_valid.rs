//! `values-file-valid` (Helm parity): values.yaml parses and meets values.schema.json.

crate::declare_rule! {
    /// ## What it does
    /// Parses values.yaml, merges the user's values over it and validates the result against values.schema.json.
    ///
    /// ## Why is this bad?
    /// Invalid values fail every install.
    ///
    /// ## Example
    /// `port: "eighty"` with a schema asking for an integer
    ///
    /// ## Fix
    /// Fix the value or the schema.
    ///
    /// Message and severity are `helm lint`'s (Helm v4.1.4).
    id: "values-file-valid",
    severity: Error,
    scope: Chart,
    group: Helm,
    summary: "values.yaml parses and meets values.schema.json",
}

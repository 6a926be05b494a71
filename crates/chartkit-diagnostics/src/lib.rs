//! Diagnostics for `chartkit lint`: the model (rule id, severity, message,
//! labelled spans, the Kubernetes object, help and fix), a source map for
//! excerpts, and renderers that know nothing about rules:
//! [`render::human`] (caret excerpts into the template line),
//! [`render::helm`] (exactly what `helm lint` prints), [`render::json`],
//! [`render::sarif`] (SARIF 2.1.0) and [`render::github`] (workflow
//! annotations).

#![forbid(unsafe_code)]

pub mod diagnostic;
pub mod render;
pub mod report;
pub mod source;

pub use diagnostic::{Diagnostic, Label, Location, ObjectRef, Severity};
pub use render::{Format, Output, RuleInfo};
pub use report::{ChartReport, Counts, LintRun};
pub use source::{SourceFile, SourceMap};

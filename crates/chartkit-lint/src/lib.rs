//! `chartkit lint`: Helm's lint rules with Helm's messages, chartkit's
//! StatefulSet, storage and quorum rules, and strict schema checks of every
//! rendered object — with diagnostics that point at the template line that
//! produced the offending value.
//!
//! Entry points: [`lint_charts`] for chart directories (renders each chart
//! once per value set, in Helm's lint mode), [`lint_manifests`] for
//! pre-rendered YAML. Rules live one per file under [`rules`] and are
//! listed in [`registry`]; external findings (engine plugins) come in
//! through [`FindingSource`].

#![forbid(unsafe_code)]

pub mod config;
pub mod context;
pub mod docs;
pub mod engine;
pub mod helm;
pub mod kube;
pub mod mapping;
pub mod objects;
pub mod registry;
pub mod render;
pub mod rules;
pub mod validators;

pub use config::{ConfigError, LintConfig};
pub use engine::{
    ExternalFinding, FindingSource, IGNORE_ANNOTATION, LintError, LintOptions, LintOutput,
    ValueSets, lint_charts, lint_manifests,
};
pub use registry::{Group, RuleMeta, Scope};

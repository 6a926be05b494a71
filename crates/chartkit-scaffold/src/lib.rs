//! Project skeletons for chartkit, rendered from templates compiled into the binary:
//!
//! - [`chart`]: `chartkit create NAME --engine X`, a datastore chart (headless Service,
//!   StatefulSet, PDB, ...) that plain Helm renders;
//! - [`plugin`]: `chartkit plugin new NAME --lang rust|python|js`, an engine plugin project
//!   implementing `chartkit:engine`.
//!
//! The templates use minijinja with their own delimiters (`<< >>`, `<% %>`, `<# #>`, see
//! `src/template.rs`) because what they generate is full of `{{ }}` and braces. Nothing is ever
//! overwritten: the destination must be absent or an empty directory.

pub mod chart;
mod error;
pub mod names;
pub mod plugin;
mod template;
pub mod write;

pub use chart::{Engine, chart_files, create_chart};
pub use error::Error;
pub use plugin::{Lang, create_plugin, plugin_files};

/// One file of a generated project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path inside the project, `/`-separated.
    pub path: String,
    /// The file's text.
    pub contents: String,
    /// Whether it is written with the executable bit.
    pub executable: bool,
}

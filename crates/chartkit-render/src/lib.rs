//! Helm's rendering, reproduced: the template context (`.Values`,
//! `.Release`, `.Chart`, `.Capabilities`, `.Files`, `.Template`,
//! `.Subcharts`), Helm's template functions (include, tpl, required, fail,
//! lookup), template ordering, and the manifest stream `helm template`
//! prints. The template engine itself knows nothing of Helm; this crate
//! injects Helm's behaviour as functions and host objects.

pub mod capabilities;
pub mod engine;
pub mod files;
mod glob;
pub mod manifest;
pub mod output;
pub mod template;

pub use capabilities::{Capabilities, KubeVersion};
pub use engine::{ChartNode, EngineError};
pub use files::Files;
pub use output::{OutputOptions, Release};

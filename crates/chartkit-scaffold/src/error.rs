//! Errors of the scaffolders.

use std::path::PathBuf;

/// Why a project could not be scaffolded.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The chart name is not one `helm create` accepts.
    #[error("invalid chart name {name:?}: {reason}")]
    InvalidChartName {
        /// The rejected name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The plugin name is not one the plugin manifest accepts.
    #[error("invalid plugin name {name:?}: {reason}")]
    InvalidPluginName {
        /// The rejected name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The destination exists and holds files: scaffolding never overwrites anything.
    #[error(
        "{} already exists and is not empty; choose another name or directory (nothing was written)",
        path.display()
    )]
    DestinationNotEmpty {
        /// The destination directory.
        path: PathBuf,
    },
    /// The destination exists and is not a directory.
    #[error("{} already exists and is not a directory", path.display())]
    DestinationNotDirectory {
        /// The destination path.
        path: PathBuf,
    },
    /// Reading or writing the file system failed.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done (`writing`, `creating`, `reading`).
        what: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An embedded template failed to render (a bug in chartkit: the templates are tested).
    #[error("scaffold template {template}: {message}")]
    Template {
        /// The template's name.
        template: String,
        /// minijinja's message, with its detail.
        message: String,
    },
}

impl Error {
    pub(crate) fn template(template: &str, e: &minijinja::Error) -> Self {
        let mut message = e.to_string();
        if let Some(detail) = e.detail()
            && !message.contains(detail)
        {
            message.push_str(": ");
            message.push_str(detail);
        }
        Self::Template {
            template: template.to_string(),
            message,
        }
    }
}

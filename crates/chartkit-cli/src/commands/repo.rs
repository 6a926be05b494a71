//! `chartkit repo index`: `helm repo index`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

/// Work with chart repositories.
#[derive(Debug, Args)]
pub struct RepoArgs {
    #[command(subcommand)]
    pub command: RepoCommand,
}

/// `repo` subcommands.
#[derive(Debug, Subcommand)]
pub enum RepoCommand {
    /// Generate an index file given a directory containing packaged charts.
    Index(RepoIndexArgs),
}

/// Read DIR, generate an index file from the chart archives found there
/// (and one level of subdirectories) and write it to DIR/index.yaml.
/// `created`/`generated` come from SOURCE_DATE_EPOCH when it is set.
#[derive(Debug, Args)]
pub struct RepoIndexArgs {
    /// The directory holding the chart archives.
    pub dir: PathBuf,

    /// URL of the chart repository.
    #[arg(long, default_value = "")]
    pub url: String,

    /// Merge the generated index into the given index.
    #[arg(long)]
    pub merge: Option<PathBuf>,

    /// Output in JSON format.
    #[arg(long)]
    pub json: bool,
}

/// Runs `chartkit repo ...`.
pub fn run(args: RepoArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        RepoCommand::Index(a) => {
            let opts = chartkit_package::index::IndexOptions {
                url: a.url,
                merge: a.merge,
                json: a.json,
                now: None,
            };
            let mut warnings = Vec::new();
            let result = chartkit_package::index::repo_index(&a.dir, &opts, &mut warnings);
            for w in &warnings {
                eprintln!("level=WARN msg={w:?}");
            }
            result?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

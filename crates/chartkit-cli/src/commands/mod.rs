//! Subcommands. Each lives in its own module; this one only dispatches.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod create;
mod lint;
mod package;
#[cfg(feature = "plugins")]
mod plugin;
#[cfg(feature = "plugins")]
mod plugin_new;
mod pull;
mod push;
mod render;
mod repo;
mod show;

/// chartkit: render, lint, package and publish Helm charts for stateful datastores.
#[derive(Debug, Parser)]
#[command(name = "chartkit", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Locally render templates, exactly as `helm template` does.
    #[command(alias = "template")]
    Render(render::RenderArgs),
    /// Lint charts and their rendered manifests.
    Lint(lint::LintArgs),
    /// Create a new datastore chart (headless Service, StatefulSet, PDB, seeds from replicas).
    Create(create::CreateArgs),
    /// Build, inspect, run and publish engine plugins.
    #[cfg(feature = "plugins")]
    Plugin(plugin::PluginArgs),
    /// Package a chart directory into a chart archive (reproducible).
    Package(package::PackageArgs),
    /// Work with chart repositories (`repo index`).
    Repo(repo::RepoArgs),
    /// Push a chart archive to an OCI registry.
    Push(push::PushArgs),
    /// Pull a chart from an OCI registry.
    Pull(pull::PullArgs),
    /// Show information of a chart, as `helm show` does.
    Show(show::ShowArgs),
}

/// Runs a command; errors print as `Error: ...` with exit code 1.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Render(args) => render::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Create(args) => create::run(args),
        #[cfg(feature = "plugins")]
        Command::Plugin(args) => plugin::run(args),
        Command::Package(args) => package::run(args),
        Command::Repo(args) => repo::run(args),
        Command::Push(args) => push::run(args),
        Command::Pull(args) => pull::run(args),
        Command::Show(args) => show::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

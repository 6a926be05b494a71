//! Subcommands. Each lives in its own module; this one only dispatches.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod create;
#[cfg(feature = "plugins")]
mod engine;
mod lint;
#[cfg(feature = "plugins")]
mod lint_plugins;
mod package;
#[cfg(feature = "plugins")]
mod plugin;
#[cfg(feature = "plugins")]
mod plugin_new;
#[cfg(feature = "plugins")]
mod post_render;
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
    /// Apply the chart's engine plugin to a manifest stream on stdin (a Helm post-renderer).
    #[cfg(feature = "plugins")]
    PostRender(post_render::PostRenderArgs),
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
        #[cfg(feature = "plugins")]
        Command::PostRender(args) => post_render::run(args),
        Command::Package(args) => package::run(args),
        Command::Repo(args) => repo::run(args),
        Command::Push(args) => push::run(args),
        Command::Pull(args) => pull::run(args),
        Command::Show(args) => show::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Error: {}", error_text(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes joined with `: ` (anyhow's `{:#}`), except causes the message
/// already spells out: library errors carry Helm's full text, cause included, so the chain
/// would print it twice.
fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::error_text;

    /// Like the loader's errors: the cause is in the message and is also the source.
    #[derive(Debug)]
    struct Outer {
        source: std::io::Error,
    }

    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "error unpacking subchart sub in parent: {}", self.source)
        }
    }

    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.source)
        }
    }

    #[test]
    fn causes_already_in_the_message_print_once() {
        let inner = std::io::Error::other("validation: chart.metadata.name is required");
        let e = anyhow::Error::new(Outer { source: inner });
        assert_eq!(
            error_text(&e),
            "error unpacking subchart sub in parent: validation: chart.metadata.name is required"
        );
        let e = anyhow::anyhow!("disk full").context("writing dist/x.tgz");
        assert_eq!(error_text(&e), "writing dist/x.tgz: disk full");
    }
}

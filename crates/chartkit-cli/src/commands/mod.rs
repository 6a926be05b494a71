//! Subcommands. Each lives in its own module; this one only dispatches.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// chartkit: render, lint, package and publish Helm charts for stateful datastores.
#[derive(Debug, Parser)]
#[command(name = "chartkit", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {}
}

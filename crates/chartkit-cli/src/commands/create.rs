//! `chartkit create NAME [--engine elasticsearch|consul|mongodb|generic]`: scaffolds a
//! datastore chart (see chartkit-scaffold). Like `helm create`, NAME may be a path: the chart
//! is named after its last component. Without --engine the chart is the generic datastore
//! chart (SEED_HOSTS from `replicas`, paired with `chartkit plugin new NAME`), not Helm's
//! nginx Deployment. Unlike `helm create`, nothing is overwritten: the directory must be
//! absent or empty.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use chartkit_scaffold::{Engine, create_chart};
use clap::{Args, ValueEnum};

/// The engines `create` scaffolds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    /// Elasticsearch 8 (discovery.seed_hosts, cluster.initial_master_nodes).
    Elasticsearch,
    /// Consul servers (-bootstrap-expect, -retry-join).
    Consul,
    /// MongoDB replica set (--replSet, members for rs.initiate).
    Mongodb,
    /// Any engine: SEED_HOSTS lists every member (pairs with `chartkit plugin new NAME`).
    Generic,
}

impl From<EngineArg> for Engine {
    fn from(e: EngineArg) -> Self {
        match e {
            EngineArg::Elasticsearch => Engine::Elasticsearch,
            EngineArg::Consul => Engine::Consul,
            EngineArg::Mongodb => Engine::Mongodb,
            EngineArg::Generic => Engine::Generic,
        }
    }
}

/// `chartkit create NAME`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The chart's directory; its last component is the chart name (`[a-zA-Z0-9._-]+`).
    pub name: PathBuf,
    /// The engine the chart runs.
    #[arg(long, value_enum, default_value = "generic")]
    pub engine: EngineArg,
}

/// Runs `chartkit create`.
pub fn run(a: CreateArgs) -> Result<ExitCode> {
    let Some(name) = a.name.file_name().and_then(|n| n.to_str()) else {
        bail!("{}: no chart name in this path", a.name.display());
    };
    let name = name.to_string();
    println!("Creating {}", a.name.display());
    create_chart(&a.name, &name, a.engine.into())?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        args: CreateArgs,
    }

    #[test]
    fn engine_defaults_to_generic() {
        let cli = Cli::try_parse_from(["create", "charts/kv"]).unwrap();
        assert_eq!(cli.args.engine, EngineArg::Generic);
        let cli = Cli::try_parse_from(["create", "x", "--engine", "consul"]).unwrap();
        assert_eq!(Engine::from(cli.args.engine), Engine::Consul);
        let e = Cli::try_parse_from(["create", "x", "--engine", "etcd"]).unwrap_err();
        assert!(e.to_string().contains("elasticsearch"), "{e}");
    }
}

//! `chartkit push`: `helm push` to an OCI registry.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::pull::RegistryFlags;

/// Push a chart archive to a registry (`oci://HOST/REPO`), as `helm push`:
/// Helm's media types and annotations, tag = chart version with `+` as `_`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The chart archive (.tgz); `ARCHIVE.prov` is pushed too when present.
    pub chart: PathBuf,

    /// The remote, `oci://HOST[:PORT]/REPO`.
    pub remote: String,

    #[command(flatten)]
    pub registry: RegistryFlags,
}

/// Runs `chartkit push`.
pub fn run(args: PushArgs) -> anyhow::Result<ExitCode> {
    let client = args.registry.client()?;
    let result = chartkit_package::oci::push_chart(
        &client,
        &args.chart,
        &args.remote,
        &chartkit_package::oci::PushOptions::default(),
    )?;
    eprint!("{}", result.helm_output());
    Ok(ExitCode::SUCCESS)
}

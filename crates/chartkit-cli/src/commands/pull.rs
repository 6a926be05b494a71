//! `chartkit pull`: `helm pull` from an OCI registry, every blob verified
//! against its digest.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Registry connection flags shared by `push` and `pull` (Helm's names).
#[derive(Debug, Clone, Args)]
pub struct RegistryFlags {
    /// Use insecure HTTP connections.
    #[arg(long = "plain-http")]
    pub plain_http: bool,

    /// Skip TLS certificate checks.
    #[arg(long = "insecure-skip-tls-verify")]
    pub insecure_skip_tls_verify: bool,

    /// Verify certificates of HTTPS-enabled servers using this CA bundle.
    #[arg(long = "ca-file")]
    pub ca_file: Option<PathBuf>,

    /// Identify the registry client using this SSL certificate file.
    #[arg(long = "cert-file")]
    pub cert_file: Option<PathBuf>,

    /// Identify the registry client using this SSL key file.
    #[arg(long = "key-file")]
    pub key_file: Option<PathBuf>,

    /// Registry username (else Helm's and Docker's config files).
    #[arg(long)]
    pub username: Option<String>,

    /// Registry password or identity token.
    #[arg(long)]
    pub password: Option<String>,
}

impl RegistryFlags {
    /// A registry client with these settings.
    pub fn client(&self) -> anyhow::Result<chartkit_package::oci::Client> {
        Ok(chartkit_package::oci::Client::new(chartkit_package::oci::ClientOptions {
            plain_http: self.plain_http,
            username: self.username.clone(),
            password: self.password.clone(),
            insecure_skip_tls_verify: self.insecure_skip_tls_verify,
            ca_file: self.ca_file.clone(),
            cert_file: self.cert_file.clone(),
            key_file: self.key_file.clone(),
            credentials: None,
        })?)
    }
}

/// Download a chart from a registry (`oci://HOST/REPO/NAME`), as `helm pull`.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// The chart reference, `oci://HOST[:PORT]/REPO/NAME[:TAG]`.
    pub chart: String,

    /// A version or semver constraint; default: the reference's tag, else the highest version.
    #[arg(long)]
    pub version: Option<String>,

    /// Location to write the chart.
    #[arg(short = 'd', long = "destination", default_value = ".")]
    pub destination: PathBuf,

    /// Expand the chart after downloading it.
    #[arg(long)]
    pub untar: bool,

    /// With --untar: the directory to expand into (relative to --destination).
    #[arg(long, default_value = ".")]
    pub untardir: PathBuf,

    /// Also fetch the provenance file.
    #[arg(long)]
    pub prov: bool,

    #[command(flatten)]
    pub registry: RegistryFlags,
}

/// Runs `chartkit pull`.
pub fn run(args: PullArgs) -> anyhow::Result<ExitCode> {
    let client = args.registry.client()?;
    let result = chartkit_package::oci::pull_chart(
        &client,
        &args.chart,
        &chartkit_package::oci::PullOptions {
            version: args.version,
            dest: Some(args.destination),
            untar: args.untar,
            untar_dir: Some(args.untardir),
            prov: args.prov,
        },
    )?;
    eprint!("{}", result.helm_output());
    Ok(ExitCode::SUCCESS)
}

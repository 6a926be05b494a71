//! `chartkit package`: `helm package`, with reproducible archives.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Package chart directories into versioned chart archives (as `helm
/// package`; archives are bit-for-bit reproducible: every entry's mtime is
/// `SOURCE_DATE_EPOCH`, or 1970-01-01 when unset).
#[derive(Debug, Args)]
pub struct PackageArgs {
    /// Chart directories to package.
    #[arg(value_name = "CHART_PATH", required = true)]
    pub charts: Vec<PathBuf>,

    /// Location to write the chart.
    #[arg(short = 'd', long = "destination", default_value = ".")]
    pub destination: PathBuf,

    /// Set the version on the chart to this semver version.
    #[arg(long)]
    pub version: Option<String>,

    /// Set the appVersion on the chart to this version.
    #[arg(long = "app-version")]
    pub app_version: Option<String>,
}

/// Runs `chartkit package`.
pub fn run(args: PackageArgs) -> anyhow::Result<ExitCode> {
    for chart in &args.charts {
        let opts = chartkit_package::PackageOptions {
            dest: Some(args.destination.clone()),
            version: args.version.clone(),
            app_version: args.app_version.clone(),
            mtime: None,
        };
        let mut logs = Vec::new();
        let packaged = chartkit_package::package_logged(chart, &opts, &mut logs);
        // Helm logs while loading, before any error.
        for log in &logs {
            eprintln!("{log}");
        }
        let path = packaged?;
        println!(
            "Successfully packaged chart and saved it to: {}",
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

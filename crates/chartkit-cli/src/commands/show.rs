//! `chartkit show chart|values|readme|crds|all CHART`: what `helm show` prints, byte for byte.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

/// `chartkit show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(subcommand)]
    pub what: ShowCommand,
}

/// What to show.
#[derive(Debug, Subcommand)]
pub enum ShowCommand {
    /// Show all information of the chart.
    All(ChartRef),
    /// Show the chart's definition (Chart.yaml as Helm re-encodes it).
    Chart(ChartRef),
    /// Show the chart's values (values.yaml as written).
    Values(ChartRef),
    /// Show the chart's README.
    Readme(ChartRef),
    /// Show the chart's CRDs (its own and its subcharts').
    Crds(ChartRef),
}

/// A chart directory or archive.
#[derive(Debug, Args)]
pub struct ChartRef {
    /// Chart directory or .tgz archive.
    #[arg(value_name = "CHART")]
    pub chart: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    All,
    Chart,
    Values,
    Readme,
    Crds,
}

/// Helm's `readmeFileNames`, matched case-insensitively.
const README_NAMES: [&str; 3] = ["readme.md", "readme.txt", "readme"];

pub fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let (part, chart) = match args.what {
        ShowCommand::All(c) => (Part::All, c.chart),
        ShowCommand::Chart(c) => (Part::Chart, c.chart),
        ShowCommand::Values(c) => (Part::Values, c.chart),
        ShowCommand::Readme(c) => (Part::Readme, c.chart),
        ShowCommand::Crds(c) => (Part::Crds, c.chart),
    };
    let path = chartkit_chart::locate(&chart).map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let mut logs = Vec::new();
    let loaded = chartkit_chart::load_logged(&path, &mut logs);
    // Helm logs while it loads (symbolic links followed...), before any error.
    for line in &logs {
        eprintln!("{line}");
    }
    // `helm show` prints apiVersion v3 charts too.
    let chart = match loaded {
        Ok(chart) => chart,
        Err(chartkit_chart::LoadError::V3Chart(chart)) => *chart,
        // Helm's text already includes the cause; anyhow's `{:#}` would repeat it.
        Err(e) => return Err(anyhow::anyhow!(e.to_string())),
    };
    let out = show(&chart, part)?;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Helm's `action.Show.Run` for a loaded chart.
fn show(chart: &chartkit_chart::Chart, part: Part) -> anyhow::Result<String> {
    let all = part == Part::All;
    let mut out = String::new();
    if all || part == Part::Chart {
        let yaml = chartkit_package::chartfile::metadata_json(&chart.metadata, true)
            .to_yaml()
            .context("encoding Chart.yaml")?;
        out.push_str(&yaml);
        out.push('\n');
    }
    // Helm's Values map exists only when values.yaml was loaded.
    let values: Vec<_> = chart
        .raw
        .iter()
        .filter(|f| f.name == "values.yaml")
        .collect();
    if (all || part == Part::Values) && !values.is_empty() {
        if all {
            out.push_str("---\n");
        }
        for f in values {
            out.push_str(&String::from_utf8_lossy(&f.data));
            out.push('\n');
        }
    }
    if all || part == Part::Readme {
        let readme = chart
            .files
            .iter()
            .find(|f| README_NAMES.iter().any(|n| f.name.eq_ignore_ascii_case(n)));
        if let Some(readme) = readme {
            if all {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&readme.data));
            out.push('\n');
        }
    }
    if all || part == Part::Crds {
        for (_, crd) in chart.crd_objects() {
            if !crd.data.starts_with(b"---") {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&crd.data));
            out.push('\n');
        }
    }
    Ok(out)
}

//! Helm v4.1.4's chart model for chartkit: loading (directory and archive
//! feed one in-memory loader), `.helmignore`, Chart.yaml, dependencies,
//! values coalescing, the `--set` family and values.schema.json
//! validation — with Helm's behaviour and error texts.
//!
//! The path `helm template` takes, and the functions to call for it:
//! 1. [`ValueOptions::merge`] — user values from `-f`/`--set*`;
//! 2. [`loader::load`] — the chart (plus log lines to print on stderr);
//! 3. [`prepare_chart`] — installable check, deprecation warning, missing
//!    dependencies, then [`dependencies::process_dependencies`];
//! 4. [`to_render_values`] — the final `.Values` tree (coalesced, schema
//!    validated unless skipped).
//!
//! Every subchart's `.Values` is the map found under its name in the
//! parent's values (see [`scoped_values`]).

pub mod archive;
pub mod chart;
pub mod dependencies;
pub mod gofmt;
pub mod ignore;
pub mod loader;
pub mod locate;
pub mod log;
pub mod metadata;
pub mod options;
pub mod schema;
pub mod semver;
pub mod strvals;
pub mod values;

pub use chart::{Chart, File};
pub use chartkit_yaml::{Mapping, Value};
pub use loader::{LoadError, Loaded, load, load_logged};
pub use locate::{LocateError, locate};
pub use log::{Level, LogRecord};
pub use metadata::{Dependency, Lock, Maintainer, Metadata};
pub use options::{OptionsError, ValueOptions};

use thiserror::Error;

/// Errors between loading and rendering, with Helm's texts.
#[derive(Debug, Error)]
pub enum PrepareError {
    /// `type: library` (or anything but application) at the top.
    #[error("{0} charts are not installable")]
    NotInstallable(String),
    /// Declared dependencies missing from `charts/`.
    #[error("{0}")]
    MissingDependencies(String),
    /// Dependency processing failed.
    #[error("chart dependencies processing failed: {0}")]
    Dependencies(values::CoalesceError),
    /// An `apiVersion: v3` chart passed the checks `helm template` runs before refusing it.
    #[error("invalid chart apiVersion")]
    V3Chart,
    /// An `apiVersion: v3` chart listing more dependencies than it has subcharts: Helm v4.1.4
    /// panics (index out of range) on it.
    #[error(
        "apiVersion v3 chart {0:?} lists more dependencies in Chart.yaml than charts/ holds (Helm v4.1.4 crashes on this chart)"
    )]
    V3TooManyDependencies(String),
}

const DEPENDENCY_CHECK: &str = "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies";

/// What `helm template` does with an `apiVersion: v3` chart it loaded (Helm 4 loads them,
/// then refuses to install them): the installable and deprecation checks, its dependency check
/// — which pairs the i-th subchart with the i-th Chart.yaml dependency and fails on a subchart
/// without one (`unsupported chart dependency type`) —, then `invalid chart apiVersion`.
/// Always an error: the one Helm reports.
pub fn refuse_v3_chart(chart: &Chart, logs: &mut Vec<LogRecord>) -> PrepareError {
    match chart.metadata.chart_type.as_str() {
        "" | "application" => {}
        other => return PrepareError::NotInstallable(other.to_string()),
    }
    if chart.metadata.deprecated {
        logs.push(LogRecord::warn("this chart is deprecated", &[]));
    }
    let declared = chart.metadata.dependencies.as_deref().unwrap_or_default();
    let subcharts = chart.dependencies.len();
    if declared.len() > subcharts && subcharts > 0 {
        return PrepareError::V3TooManyDependencies(chart.name().to_string());
    }
    let mut missing = Vec::new();
    for i in 0..subcharts {
        match declared.get(i) {
            Some(Some(d)) => {
                if !chart.dependencies.iter().any(|sc| sc.name() == d.name) {
                    missing.push(d.name.as_str());
                }
            }
            _ => {
                return PrepareError::MissingDependencies(format!(
                    "{DEPENDENCY_CHECK}: unsupported chart dependency type"
                ));
            }
        }
    }
    if !missing.is_empty() {
        return PrepareError::MissingDependencies(format!(
            "{DEPENDENCY_CHECK}: found in Chart.yaml, but missing in charts/ directory: {}",
            missing.join(", ")
        ));
    }
    PrepareError::V3Chart
}

/// Errors computing the render values.
#[derive(Debug, Error)]
pub enum RenderValuesError {
    /// Coalescing failed (`type mismatch on x: ...`).
    #[error(transparent)]
    Coalesce(#[from] values::CoalesceError),
    /// Schema validation failed; holds the per-chart report.
    #[error(
        "values don't meet the specifications of the schema(s) in the following chart(s):\n{0}"
    )]
    Schema(String),
}

/// What `helm template` does to a loaded chart before computing values:
/// refuses non-application charts, warns about deprecated ones, checks
/// that declared dependencies are present, then processes dependencies
/// (conditions, tags, aliases, import-values) with the user's values.
/// Log lines go to `logs` in Helm's order.
pub fn prepare_chart(
    chart: &mut Chart,
    user_values: &Mapping,
    logs: &mut Vec<LogRecord>,
) -> Result<(), PrepareError> {
    match chart.metadata.chart_type.as_str() {
        "" | "application" => {}
        other => return Err(PrepareError::NotInstallable(other.to_string())),
    }
    if chart.metadata.deprecated {
        logs.push(LogRecord::warn("this chart is deprecated", &[]));
    }
    if chart.metadata.dependency_list().next().is_some() {
        dependencies::check_dependencies(chart).map_err(PrepareError::MissingDependencies)?;
    }
    dependencies::process_dependencies(chart, user_values, logs).map_err(PrepareError::Dependencies)
}

/// Helm's `ToRenderValuesWithSchemaValidation`, values part: coalesces the
/// user's values with the (processed) chart's defaults and validates them
/// against every chart's values.schema.json unless `skip_schema_validation`.
/// The result is the root chart's `.Values`.
pub fn to_render_values(
    chart: &Chart,
    user_values: &Mapping,
    skip_schema_validation: bool,
    logs: &mut Vec<LogRecord>,
) -> Result<Mapping, RenderValuesError> {
    let vals = values::coalesce_values_for(chart, user_values, logs)?;
    if !skip_schema_validation && let Some(report) = schema::validate_against_schema(chart, &vals) {
        return Err(RenderValuesError::Schema(report));
    }
    Ok(vals)
}

/// A subchart's `.Values`: the map under its name (or alias) in its
/// parent's values; empty when absent or not a map.
pub fn scoped_values(parent_values: &Mapping, subchart: &Chart) -> Mapping {
    match parent_values.get(subchart.name()) {
        Some(Value::Map(m)) => m.clone(),
        _ => Mapping::new(),
    }
}

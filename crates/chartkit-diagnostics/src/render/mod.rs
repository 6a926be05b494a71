//! Renderers: each turns a [`LintRun`] into text. They never reorder
//! findings; the lint engine makes the order deterministic.

pub mod github;
pub mod helm;
pub mod human;
pub mod json;
pub mod sarif;

use std::fmt;
use std::str::FromStr;

use crate::diagnostic::Severity;
use crate::report::LintRun;
use crate::source::SourceMap;

/// An output format of `chartkit lint --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Caret excerpts into the template line (the default).
    Human,
    /// Exactly what `helm lint` prints.
    Helm,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=..,line=..::msg`).
    Github,
}

impl Format {
    /// Every format, in help order.
    pub const ALL: [Format; 5] = [
        Format::Human,
        Format::Helm,
        Format::Json,
        Format::Sarif,
        Format::Github,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Helm => "helm",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                format!("unknown format {s:?} (expected human, helm, json, sarif or github)")
            })
    }
}

/// What a rule is, for formats that describe rules (SARIF).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// The rule id.
    pub id: String,
    /// One-line summary.
    pub summary: String,
    /// Default severity.
    pub severity: Severity,
    /// Longer documentation (markdown).
    pub docs: String,
}

/// What to print and how the process ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Text for stdout.
    pub stdout: String,
    /// Text for stderr.
    pub stderr: String,
    /// The process exit code.
    pub exit_code: u8,
}

/// Options shared by the renderers.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colours in human output.
    pub color: bool,
    /// Rule descriptions for SARIF's `tool.driver.rules`.
    pub rules: Vec<RuleInfo>,
    /// The tool version for SARIF.
    pub tool_version: String,
}

/// Renders `run` in `format`.
pub fn render(format: Format, run: &LintRun, sources: &SourceMap, opts: &RenderOptions) -> Output {
    match format {
        Format::Helm => helm::render(run),
        other => {
            let stdout = match other {
                Format::Human => human::render(run, sources, opts.color),
                Format::Json => json::render(run),
                Format::Sarif => sarif::render(run, &opts.rules, &opts.tool_version),
                _ => github::render(run),
            };
            let stderr = run
                .charts
                .iter()
                .filter_map(|c| {
                    c.load_error
                        .as_ref()
                        .map(|e| format!("Error: {}: {e}\n", c.path))
                })
                .collect();
            Output {
                stdout,
                stderr,
                exit_code: run.exit_code(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        assert!("xml".parse::<Format>().is_err());
    }
}

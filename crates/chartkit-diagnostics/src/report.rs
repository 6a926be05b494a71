//! What one lint run produced, grouped by chart, and how it ends.

use crate::diagnostic::{Diagnostic, Severity};

/// The findings for one chart argument.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartReport {
    /// The chart path as the user gave it (`helm lint` prints it verbatim).
    pub path: String,
    /// Findings, in the order they were produced.
    pub diagnostics: Vec<Diagnostic>,
    /// The chart could not be linted at all (no Chart.yaml, unreadable
    /// archive); `helm lint` prints `Error <this>`.
    pub load_error: Option<String>,
    /// Log lines Helm writes on stderr while linting this chart
    /// (`level=WARN msg="missing required value" ...`).
    pub logs: Vec<String>,
}

impl ChartReport {
    /// A report for `path` with no findings yet.
    pub fn new(path: impl Into<String>) -> Self {
        ChartReport {
            path: path.into(),
            ..Default::default()
        }
    }

    /// True when this chart fails the run: a load error, an error, or a
    /// warning under `strict`.
    pub fn failed(&self, strict: bool) -> bool {
        let tolerance = if strict {
            Severity::Warning
        } else {
            Severity::Error
        };
        self.load_error.is_some() || self.diagnostics.iter().any(|d| d.severity >= tolerance)
    }
}

/// A whole run over one or more charts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LintRun {
    /// One report per chart argument, in argument order.
    pub charts: Vec<ChartReport>,
    /// `--strict`: warnings fail the run.
    pub strict: bool,
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
}

impl LintRun {
    /// How many charts failed.
    pub fn failed_charts(&self) -> usize {
        self.charts.iter().filter(|c| c.failed(self.strict)).count()
    }

    /// Findings by severity, over all charts.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for d in self.charts.iter().flat_map(|r| &r.diagnostics) {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }

    /// chartkit's exit code: 2 when a chart could not be loaded, 1 when a
    /// chart failed, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.charts.iter().any(|c| c.load_error.is_some()) {
            2
        } else if self.failed_charts() > 0 {
            1
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_promotes_warnings() {
        let mut r = ChartReport::new("c");
        r.diagnostics
            .push(Diagnostic::new("x", Severity::Warning, "w"));
        assert!(!r.failed(false));
        assert!(r.failed(true));
        let run = LintRun {
            charts: vec![r.clone()],
            strict: false,
        };
        assert_eq!(run.exit_code(), 0);
        let run = LintRun {
            charts: vec![r],
            strict: true,
        };
        assert_eq!(run.exit_code(), 1);
        let mut bad = ChartReport::new("d");
        bad.load_error = Some("nope".into());
        assert_eq!(
            LintRun {
                charts: vec![bad],
                strict: false
            }
            .exit_code(),
            2
        );
    }
}

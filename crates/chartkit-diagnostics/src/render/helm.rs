//! `helm lint`'s output (Helm v4.1.4 `pkg/cmd/lint.go`), byte for byte:
//! `==> Linting <path>`, one `[SEVERITY] <path>: <message>` line per
//! message, a blank line, then the summary on stdout — or, when a chart
//! failed, `Error: <summary>` on stderr and exit code 1.
//!
//! Only findings of Helm's own rules (those with a `helm_path`) are printed.

use std::fmt::Write as _;

use crate::render::Output;
use crate::report::LintRun;

/// Renders `run` as `helm lint` does.
pub fn render(run: &LintRun) -> Output {
    let mut stdout = String::new();
    let mut stderr = String::new();
    for chart in &run.charts {
        for log in &chart.logs {
            stderr.push_str(log);
            stderr.push('\n');
        }
        let _ = writeln!(stdout, "==> Linting {}", chart.path);
        let messages: Vec<_> = chart
            .diagnostics
            .iter()
            .filter(|d| d.helm_path.is_some())
            .collect();
        if messages.is_empty()
            && let Some(err) = &chart.load_error
        {
            let _ = writeln!(stdout, "Error {err}");
        }
        for d in &messages {
            let path = d.helm_path.as_deref().unwrap_or_default();
            let _ = writeln!(
                stdout,
                "[{}] {}: {}",
                d.severity.helm_name(),
                path,
                d.message
            );
        }
        stdout.push('\n');
    }
    let failed = run
        .charts
        .iter()
        .filter(|c| {
            let tolerance = if run.strict {
                crate::Severity::Warning
            } else {
                crate::Severity::Error
            };
            c.load_error.is_some()
                || c.diagnostics
                    .iter()
                    .any(|d| d.helm_path.is_some() && d.severity >= tolerance)
        })
        .count();
    let summary = format!(
        "{} chart(s) linted, {} chart(s) failed",
        run.charts.len(),
        failed
    );
    let exit_code = if failed > 0 {
        let _ = writeln!(stderr, "Error: {summary}");
        1
    } else {
        let _ = writeln!(stdout, "{summary}");
        0
    };
    Output {
        stdout,
        stderr,
        exit_code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChartReport, Diagnostic, Severity};

    fn helm(rule: &str, sev: Severity, path: &str, msg: &str) -> Diagnostic {
        let mut d = Diagnostic::new(rule, sev, msg);
        d.helm_path = Some(path.into());
        d
    }

    #[test]
    fn clean_chart() {
        let run = LintRun {
            charts: vec![ChartReport::new("charts/x")],
            strict: false,
        };
        let out = render(&run);
        assert_eq!(
            out.stdout,
            "==> Linting charts/x\n\n1 chart(s) linted, 0 chart(s) failed\n"
        );
        assert_eq!((out.stderr.as_str(), out.exit_code), ("", 0));
    }

    #[test]
    fn strict_fails_on_warning_and_skips_own_rules() {
        let mut r = ChartReport::new("c");
        r.diagnostics.push(helm(
            "chart-icon-present",
            Severity::Info,
            "Chart.yaml",
            "icon is recommended",
        ));
        r.diagnostics
            .push(helm("x", Severity::Warning, "templates/a.yaml", "w"));
        r.diagnostics.push(Diagnostic::new(
            "sts-probes",
            Severity::Error,
            "not printed",
        ));
        let out = render(&LintRun {
            charts: vec![r.clone()],
            strict: true,
        });
        assert_eq!(
            out.stdout,
            "==> Linting c\n[INFO] Chart.yaml: icon is recommended\n[WARNING] templates/a.yaml: w\n\n"
        );
        assert_eq!(out.stderr, "Error: 1 chart(s) linted, 1 chart(s) failed\n");
        assert_eq!(out.exit_code, 1);
        let out = render(&LintRun {
            charts: vec![r],
            strict: false,
        });
        assert_eq!(out.exit_code, 0);
    }

    #[test]
    fn load_error_without_messages() {
        let mut r = ChartReport::new("nochart");
        r.load_error = Some("unable to check Chart.yaml file in chart: stat nochart/Chart.yaml: no such file or directory".into());
        let out = render(&LintRun {
            charts: vec![r],
            strict: false,
        });
        assert_eq!(
            out.stdout,
            "==> Linting nochart\nError unable to check Chart.yaml file in chart: stat nochart/Chart.yaml: no such file or directory\n\n"
        );
        assert_eq!(out.exit_code, 1);
    }
}

//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! line per finding, with `file`, `line`, `col` and `title` (the rule id).

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};
use crate::report::LintRun;

/// Escapes a command's message (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn line(d: &Diagnostic, chart: &str) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut props = Vec::new();
    let file = d
        .display_file()
        .map(str::to_string)
        .or_else(|| Some(chart.to_string()));
    if let Some(f) = file {
        props.push(format!("file={}", escape_property(&f)));
    }
    if let Some(loc) = d.location() {
        props.push(format!("line={}", loc.line));
        props.push(format!("col={}", loc.column));
    }
    props.push(format!("title={}", escape_property(&d.rule)));
    let mut msg = d.message.clone();
    if let Some(o) = &d.object {
        let _ = write!(msg, " ({o})");
    }
    if let Some(vs) = &d.value_set {
        let _ = write!(msg, " [values: {vs}]");
    }
    format!("::{level} {}::{}\n", props.join(","), escape_data(&msg))
}

/// Renders `run` as workflow commands.
pub fn render(run: &LintRun) -> String {
    let mut out = String::new();
    for chart in &run.charts {
        if let Some(e) = &chart.load_error {
            let _ = writeln!(
                out,
                "::error file={},title=load::{}",
                escape_property(&chart.path),
                escape_data(e)
            );
        }
        for d in &chart.diagnostics {
            out.push_str(&line(d, &chart.path));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChartReport, Location};

    #[test]
    fn escapes_and_locates() {
        let mut r = ChartReport::new("charts/db");
        r.diagnostics.push(
            Diagnostic::new("latest-tag", Severity::Warning, "100% bad\nreally").with_primary(
                Location {
                    file: "charts/db/templates/a,b.yaml".into(),
                    line: 3,
                    column: 7,
                    range: 0..1,
                },
                None,
            ),
        );
        r.diagnostics.push(Diagnostic::new(
            "chart-icon-present",
            Severity::Info,
            "icon is recommended",
        ));
        let out = render(&LintRun {
            charts: vec![r],
            strict: false,
        });
        assert_eq!(
            out,
            "::warning file=charts/db/templates/a%2Cb.yaml,line=3,col=7,title=latest-tag::100%25 bad%0Areally\n\
             ::notice file=charts/db,title=chart-icon-present::icon is recommended\n"
        );
    }
}

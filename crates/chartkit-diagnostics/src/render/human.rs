//! Human output: one annotate-snippets report per finding, with carets
//! under the template text that produced the offending value, then a
//! summary line.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::report::LintRun;
use crate::source::SourceMap;

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// Renders one diagnostic (no trailing newline).
pub fn render_diagnostic(d: &Diagnostic, chart: &str, sources: &SourceMap, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let lvl = level(d.severity);
    let mut title_group = lvl
        .clone()
        .primary_title(d.message.as_str())
        .id(d.rule.as_str());
    let mut group: Option<Group<'_>> = None;

    // Labels grouped by file, the primary label's file first.
    let mut files: Vec<&str> = Vec::new();
    if let Some(loc) = d.location() {
        files.push(loc.file.as_str());
    }
    for l in &d.labels {
        if !files.contains(&l.location.file.as_str()) {
            files.push(l.location.file.as_str());
        }
    }
    let mut elements: Vec<annotate_snippets::Element<'_>> = Vec::new();
    for file in &files {
        let labels: Vec<_> = d
            .labels
            .iter()
            .filter(|l| l.location.file == *file)
            .collect();
        match sources.get(file) {
            Some(src) => {
                let len = src.text().len();
                let mut snippet = Snippet::source(src.text())
                    .line_start(1)
                    .path(*file)
                    .fold(true);
                for l in labels {
                    let start = l.location.range.start.min(len);
                    let end = l.location.range.end.clamp(start, len);
                    let kind = if l.primary {
                        AnnotationKind::Primary
                    } else {
                        AnnotationKind::Context
                    };
                    let ann = kind.span(start..end);
                    let ann = match &l.message {
                        Some(m) => ann.label(m.as_str()),
                        None => ann,
                    };
                    snippet = snippet.annotation(ann);
                }
                elements.push(snippet.into());
            }
            None => {
                if let Some(l) = labels.first() {
                    elements.push(
                        Origin::path(*file)
                            .line(l.location.line)
                            .char_column(l.location.column.saturating_sub(1))
                            .into(),
                    );
                }
            }
        }
    }
    if files.is_empty() {
        let file = d.file.as_deref().unwrap_or(chart);
        elements.push(Origin::path(file).into());
    }
    let mut notes = Vec::new();
    if let Some(o) = &d.object {
        notes.push(format!("object: {o}"));
    }
    if let Some(vs) = &d.value_set {
        notes.push(format!("values: {vs}"));
    }
    for n in &notes {
        elements.push(Level::NOTE.message(n.as_str()).into());
    }
    if let Some(h) = &d.help {
        elements.push(Level::HELP.message(h.as_str()).into());
    }
    if let Some(f) = &d.fix {
        elements.push(Level::HELP.with_name("fix").message(f.as_str()).into());
    }
    for e in elements {
        group = Some(match group.take() {
            None => std::mem::replace(&mut title_group, Level::INFO.primary_title("")).element(e),
            Some(g) => g.element(e),
        });
    }
    let group = group.unwrap_or_else(|| Group::with_title(title_group));
    renderer.render(&[group])
}

/// Renders `run` for a terminal.
pub fn render(run: &LintRun, sources: &SourceMap, color: bool) -> String {
    let mut out = String::new();
    for chart in &run.charts {
        if let Some(e) = &chart.load_error {
            let _ = writeln!(out, "error[load]: {}: {e}\n", chart.path);
        }
        for d in &chart.diagnostics {
            out.push_str(&render_diagnostic(d, &chart.path, sources, color));
            out.push_str("\n\n");
        }
    }
    let c = run.counts();
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    let _ = writeln!(
        out,
        "{}: {}, {}, {} in {}{}",
        if run.exit_code() == 0 { "ok" } else { "failed" },
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(c.infos, "info"),
        plural(run.charts.len(), "chart"),
        if run.strict { " (strict)" } else { "" },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChartReport, ObjectRef};

    #[test]
    fn caret_under_template_text() {
        let mut sources = SourceMap::new();
        let src = sources.insert(
            "c/templates/sts.yaml",
            "kind: StatefulSet\nspec:\n  serviceName: {{ .Values.svc }}\n",
        );
        let start = src.text().find("{{").unwrap();
        let end = src.text().find("}}").unwrap() + 2;
        let loc = src.location("c/templates/sts.yaml", start..end);
        let d = Diagnostic::new(
            "sts-service-exists",
            Severity::Error,
            "no Service \"x\" in the render",
        )
        .with_primary(loc, Some("rendered as `x`".into()))
        .with_object(ObjectRef {
            api_version: "apps/v1".into(),
            kind: "StatefulSet".into(),
            namespace: String::new(),
            name: "db".into(),
        })
        .with_help("add a headless Service");
        let text = render_diagnostic(&d, "c", &sources, false);
        assert!(
            text.starts_with("error[sts-service-exists]: no Service \"x\" in the render"),
            "{text}"
        );
        assert!(text.contains("--> c/templates/sts.yaml:3:16"), "{text}");
        assert!(text.contains("serviceName: {{ .Values.svc }}"), "{text}");
        assert!(text.contains("^^^^^^^^^^^^^^^^ rendered as `x`"), "{text}");
        assert!(text.contains("note: object: StatefulSet/db"), "{text}");
        let run = LintRun {
            charts: vec![ChartReport {
                diagnostics: vec![d],
                ..ChartReport::new("c")
            }],
            strict: false,
        };
        assert!(
            render(&run, &sources, false)
                .ends_with("failed: 1 error, 0 warnings, 0 infos in 1 chart\n")
        );
    }
}

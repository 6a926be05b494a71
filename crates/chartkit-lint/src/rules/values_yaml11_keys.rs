//! `values-yaml11-keys`.

use chartkit_yaml::{SpannedKind, SpannedNode, Style};

use crate::context::{Ctx, Findings, Target};

crate::declare_rule! {
    /// ## What it does
    /// Reports keys in values.yaml that YAML 1.1 reads as booleans (`y`,
    /// `yes`, `on`, `off`, `no`, `n`, `true`, ...: Helm turns them into the
    /// keys `"true"`/`"false"`) and integers of a million or more (Helm
    /// stores numbers as float64: they print as `1e+06` in templates).
    ///
    /// ## Why is this bad?
    /// `{{ .Values.on }}` finds nothing; `--max-connections={{ .Values.max }}`
    /// renders `1e+06` and the engine refuses to start.
    ///
    /// ## Example
    /// ```yaml
    /// on: true
    /// maxBytes: 1048576
    /// ```
    ///
    /// ## Fix
    /// Quote such keys (`"on": true`); quote big numbers or print them
    /// with `int64`/`printf "%d"`.
    id: "values-yaml11-keys",
    severity: Warning,
    scope: Chart,
    group: Values,
    summary: "no YAML 1.1 boolean keys or exponent-printed numbers",
}

const BOOL_WORDS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
];

fn byte(text: &str, char_offset: usize) -> usize {
    if text.is_ascii() {
        return char_offset.min(text.len());
    }
    text.char_indices()
        .nth(char_offset)
        .map_or(text.len(), |(i, _)| i)
}

fn walk(
    n: &SpannedNode,
    text: &str,
    path: &str,
    out: &mut Vec<(usize, usize, String)>,
    depth: usize,
) {
    if depth > 100 {
        return;
    }
    match &n.kind {
        SpannedKind::Map(pairs) => {
            for (k, v) in pairs {
                let key = k.as_str().unwrap_or("");
                let kp = if path.is_empty() {
                    key.to_string()
                } else {
                    format!("{path}.{key}")
                };
                if let SpannedKind::Scalar {
                    style: Style::Plain,
                    value,
                } = &k.kind
                    && BOOL_WORDS.contains(&value.as_str())
                {
                    let as_bool = if [
                        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
                    ]
                    .contains(&value.as_str())
                    {
                        "true"
                    } else {
                        "false"
                    };
                    out.push((byte(text, k.start.offset), byte(text, k.end.offset), format!("key {kp:?} is a YAML 1.1 boolean: Helm reads it as the key \"{as_bool}\"")));
                }
                walk(v, text, &kp, out, depth + 1);
            }
        }
        SpannedKind::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                walk(it, text, &format!("{path}[{i}]"), out, depth + 1);
            }
        }
        SpannedKind::Scalar {
            value,
            style: Style::Plain,
        } => {
            if let Some(chartkit_yaml::Value::Float(f)) = n.scalar_value()
                && f.fract() == 0.0
                && f.abs() >= 1e6
                && !value.contains(['e', 'E'])
            {
                out.push((byte(text, n.start.offset), byte(text, n.end.offset), format!("{path} = {value} prints as {} in templates (Helm keeps numbers as float64)", chartkit_yaml::go_format_float(f))));
            }
        }
        _ => {}
    }
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let Some(chart) = ctx.chart else { return };
    let Some(f) = chart.raw.iter().find(|f| f.name == "values.yaml") else {
        return;
    };
    let text = String::from_utf8_lossy(&f.data);
    let Ok(docs) = chartkit_yaml::parse_spanned(&text) else {
        return;
    };
    let mut found = Vec::new();
    for d in &docs {
        walk(d, &text, "", &mut found, 0);
    }
    for (s, e, msg) in found {
        out.push(&RULE, Target::File("values.yaml".into(), s..e), msg);
    }
}

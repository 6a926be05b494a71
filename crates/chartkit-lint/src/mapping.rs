//! From a line of rendered output back to the template line that produced it.
//!
//! A rendered line is produced by one template line with its actions
//! (`{{ ... }}`) replaced, by an action that expands to several lines
//! (`toYaml ... | nindent`), or by an included define. The mapper scores
//! every line of the template source:
//!
//! * **text**: the literal fragments between the line's actions must appear
//!   in the rendered line in order (the first as a prefix, modulo
//!   indentation); an identical line scores highest; a line made only of
//!   actions may have produced anything and scores low;
//! * **keys**: the line's key path, recovered from the template's literal
//!   indentation (`spec:` → `template:` → `containers:`), compared with the
//!   field path of the rendered node: the same path, or a prefix of it (the
//!   action under `resources:` that printed the whole block);
//! * **document**: when the template has as many literal `---` sections as
//!   the rendered file has documents, only the matching section counts.
//!
//! Ties go to the line whose relative position in its section is closest to
//! the rendered line's. The span inside the chosen line is the literal text
//! of the value when the template has it, else the action that sits where
//! the value was printed, else the line without its indentation.

use std::ops::Range;

/// One line of template source, analysed once.
#[derive(Clone, Debug)]
struct TemplateLine {
    /// Byte range of the line (without newline) in the source.
    range: Range<usize>,
    /// Literal text fragments between actions (trim markers applied to
    /// nothing: fragments are matched loosely).
    fragments: Vec<String>,
    /// Byte ranges (relative to the line) of the actions on this line.
    actions: Vec<Range<usize>>,
    /// True when the line contains actions only (and whitespace).
    only_actions: bool,
    /// The key path recovered from literal indentation.
    keys: Vec<String>,
    /// The literal key this line defines, if any.
    own_key: Option<String>,
    /// Which `---` section of the template the line is in.
    section: usize,
    /// Line index within its section.
    index_in_section: usize,
}

/// Maps rendered positions of one template back to its source.
#[derive(Clone, Debug)]
pub struct TemplateMapper {
    source: String,
    lines: Vec<TemplateLine>,
    sections: usize,
    section_lens: Vec<usize>,
}

/// The answer of [`TemplateMapper::locate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapped {
    /// Byte range in the template source.
    pub range: Range<usize>,
    /// 1-based template line.
    pub line: usize,
    /// How sure the mapper is (0 = fallback to the first line).
    pub score: u32,
}

/// Splits a template line into literal fragments and action ranges. Actions
/// may span lines; an unterminated `{{` swallows the rest of the line.
fn scan_actions(line: &str, in_action: &mut bool) -> (Vec<String>, Vec<Range<usize>>) {
    let mut fragments = Vec::new();
    let mut actions = Vec::new();
    let mut i = 0;
    let mut lit_start = 0;
    let b = line.as_bytes();
    let mut action_start = 0;
    if *in_action {
        action_start = 0;
    }
    while i < b.len() {
        if *in_action {
            if b[i] == b'}' && b.get(i + 1) == Some(&b'}') {
                actions.push(action_start..i + 2);
                i += 2;
                lit_start = i;
                *in_action = false;
                continue;
            }
            // Skip string literals inside actions so `"}}"` does not close.
            if b[i] == b'"' || b[i] == b'`' {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    if q == b'"' && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            i += 1;
        } else if b[i] == b'{' && b.get(i + 1) == Some(&b'{') {
            fragments.push(line[lit_start..i].to_string());
            action_start = i;
            *in_action = true;
            i += 2;
        } else {
            i += 1;
        }
    }
    if *in_action {
        actions.push(action_start..line.len());
    } else {
        fragments.push(line[lit_start..].to_string());
    }
    (fragments, actions)
}

/// The literal key a line starts with (`  - name: x` → `name`), if any.
fn literal_key(line: &str) -> Option<(usize, String)> {
    let indent = line.len() - line.trim_start().len();
    let mut rest = &line[indent..];
    let mut col = indent;
    while let Some(r) = rest.strip_prefix("- ") {
        let extra = r.len() - r.trim_start().len();
        col += 2 + extra;
        rest = r.trim_start();
    }
    let (key, after) = if let Some(r) = rest.strip_prefix('"') {
        let end = r.find('"')?;
        (&r[..end], &r[end + 1..])
    } else if let Some(r) = rest.strip_prefix('\'') {
        let end = r.find('\'')?;
        (&r[..end], &r[end + 1..])
    } else {
        let end = rest.find(':')?;
        (&rest[..end], &rest[end..])
    };
    if key.is_empty() || key.contains("{{") || key.contains(' ') || key.starts_with('#') {
        return None;
    }
    if !(after.starts_with(": ") || after == ":" || after.starts_with(":\t")) {
        return None;
    }
    Some((col, key.to_string()))
}

impl TemplateMapper {
    /// Analyses a template source.
    pub fn new(source: &str) -> Self {
        let mut lines = Vec::new();
        let mut stack: Vec<(usize, String)> = Vec::new();
        let mut in_action = false;
        let mut offset = 0;
        let mut section = 0;
        let mut index_in_section = 0;
        let mut section_lens = Vec::new();
        for raw in source.split_inclusive('\n') {
            let line = raw.trim_end_matches(['\n', '\r']);
            let range = offset..offset + line.len();
            offset += raw.len();
            let was_in_action = in_action;
            let (fragments, actions) = scan_actions(line, &mut in_action);
            let literal: String = fragments.concat();
            let only_actions = !actions.is_empty() && literal.trim().is_empty();
            if !was_in_action && actions.is_empty() && line.trim_end() == "---" {
                section_lens.push(index_in_section);
                section += 1;
                index_in_section = 0;
                lines.push(TemplateLine {
                    range,
                    fragments,
                    actions,
                    only_actions: false,
                    keys: Vec::new(),
                    own_key: None,
                    section,
                    index_in_section: 0,
                });
                stack.clear();
                continue;
            }
            let trimmed = line.trim_start();
            let own = if was_in_action || trimmed.starts_with('#') || trimmed.starts_with("{{") {
                None
            } else {
                literal_key(line)
            };
            if let Some((col, key)) = &own {
                while stack.last().is_some_and(|(c, _)| *c >= *col) {
                    stack.pop();
                }
                stack.push((*col, key.clone()));
            } else if !only_actions && !trimmed.is_empty() && !trimmed.starts_with('#') {
                // A literal line that is not a key (a list scalar, a block
                // scalar line): pops deeper keys.
                let col = line.len() - trimmed.len();
                while stack.last().is_some_and(|(c, _)| *c > col) {
                    stack.pop();
                }
            }
            lines.push(TemplateLine {
                range,
                fragments,
                actions,
                only_actions,
                keys: stack.iter().map(|(_, k)| k.clone()).collect(),
                own_key: own.map(|(_, k)| k),
                section,
                index_in_section,
            });
            index_in_section += 1;
        }
        section_lens.push(index_in_section);
        TemplateMapper {
            source: source.to_string(),
            lines,
            sections: section + 1,
            section_lens,
        }
    }

    /// Number of literal `---` sections.
    pub fn sections(&self) -> usize {
        self.sections
    }

    fn text_score(line: &TemplateLine, rendered: &str) -> u32 {
        if line.actions.is_empty() {
            let t = line.fragments.concat();
            if t.trim().is_empty() {
                return 0;
            }
            if t.trim_end() == rendered.trim_end() {
                return 100;
            }
            if t.trim() == rendered.trim() {
                return 90;
            }
            return 0;
        }
        if line.only_actions {
            return 10;
        }
        // Fragments in order; the first must be a prefix modulo indentation.
        let r = rendered.trim_start();
        let mut pos = 0;
        let mut matched = 0usize;
        for (i, frag) in line.fragments.iter().enumerate() {
            let f = if i == 0 {
                frag.trim_start()
            } else {
                frag.as_str()
            };
            if f.is_empty() {
                continue;
            }
            let f_cmp = if i + 1 == line.fragments.len() {
                f.trim_end()
            } else {
                f
            };
            if f_cmp.is_empty() {
                continue;
            }
            if i == 0 {
                if !r.starts_with(f_cmp) {
                    return 0;
                }
                pos = f_cmp.len();
            } else {
                match r[pos..].find(f_cmp) {
                    Some(p) => pos += p + f_cmp.len(),
                    None => return 0,
                }
            }
            matched += f_cmp.trim().len();
        }
        if matched == 0 {
            return 10;
        }
        50 + matched.min(40) as u32
    }

    fn key_score(line: &TemplateLine, keys: &[&str]) -> u32 {
        if line.keys.is_empty() || keys.is_empty() {
            return 0;
        }
        let lk: Vec<&str> = line.keys.iter().map(String::as_str).collect();
        if lk == keys {
            return 4 + 2 * lk.len() as u32;
        }
        if lk.len() < keys.len() && keys[..lk.len()] == lk[..] {
            return lk.len() as u32;
        }
        // Indentation hidden by nindent: compare from the end.
        let common = lk
            .iter()
            .rev()
            .zip(keys.iter().rev())
            .take_while(|(a, b)| a == b)
            .count() as u32;
        if common > 0 && line.own_key.as_deref() == keys.last().copied() {
            return common;
        }
        0
    }

    /// Finds the template span for a rendered line.
    ///
    /// `rendered_line` is the full text of the rendered line, `value` the
    /// rendered text of the value (to find it literally), `value_col` its
    /// byte column in the rendered line, `keys` the field path's keys,
    /// `doc` the document index and `docs` the document count of the
    /// rendered file, and `rel` the rendered line's relative position (0..1)
    /// in its document.
    #[allow(clippy::too_many_arguments)]
    pub fn locate(
        &self,
        rendered_line: &str,
        value: &str,
        value_col: usize,
        keys: &[&str],
        doc: usize,
        docs: usize,
        rel: f64,
    ) -> Mapped {
        let restrict = self.sections == docs && docs > 1;
        let mut best: Option<(u32, f64, usize)> = None;
        for (i, line) in self.lines.iter().enumerate() {
            if restrict && line.section != doc {
                continue;
            }
            let t = Self::text_score(line, rendered_line);
            let k = Self::key_score(line, keys);
            if t == 0 && k == 0 {
                continue;
            }
            if t == 0 && !line.only_actions && line.own_key.as_deref() != keys.last().copied() {
                // A literal line whose text does not match only helps as a
                // parent key; never pick it over a producing line.
                if k < 2 {
                    continue;
                }
            }
            let score = t + 5 * k;
            let len = self
                .section_lens
                .get(line.section)
                .copied()
                .unwrap_or(1)
                .max(1) as f64;
            let dist = (line.index_in_section as f64 / len - rel).abs();
            let better = match best {
                None => true,
                Some((s, d, _)) => score > s || (score == s && dist < d),
            };
            if better {
                best = Some((score, dist, i));
            }
        }
        let Some((score, _, i)) = best else {
            let first = self
                .lines
                .iter()
                .position(|l| !l.fragments.concat().trim().is_empty() || !l.actions.is_empty())
                .unwrap_or(0);
            return self.whole_line(first, 0);
        };
        let line = &self.lines[i];
        let text = &self.source[line.range.clone()];
        // A literal line identical to the rendered one: same column.
        let v = value.trim();
        if line.actions.is_empty() && !v.is_empty() && text.trim() == rendered_line.trim() {
            let indent_t = text.len() - text.trim_start().len();
            let indent_r = rendered_line.len() - rendered_line.trim_start().len();
            let col = (value_col + indent_t).saturating_sub(indent_r);
            if text.get(col..col + v.len()) == Some(v) {
                let start = line.range.start + col;
                return Mapped {
                    range: start..start + v.len(),
                    line: i + 1,
                    score,
                };
            }
        }
        // The value verbatim in the template line.
        if !v.is_empty() && v.len() > 1 {
            let lit_ranges = self.literal_ranges(line);
            if let Some(p) = text.find(v)
                && lit_ranges
                    .iter()
                    .any(|r| r.start <= p && p + v.len() <= r.end)
            {
                let start = line.range.start + p;
                return Mapped {
                    range: start..start + v.len(),
                    line: i + 1,
                    score,
                };
            }
        }
        // The action printed at the value's column (or the first one after it).
        if !line.actions.is_empty() {
            let indent_t = text.len() - text.trim_start().len();
            let indent_r = rendered_line.len() - rendered_line.trim_start().len();
            let col_in_t = (value_col + indent_t).saturating_sub(indent_r);
            let act = line
                .actions
                .iter()
                .find(|a| a.end > col_in_t)
                .or(line.actions.last())
                .cloned()
                .unwrap_or(0..text.len());
            let start = line.range.start + act.start;
            let end = line.range.start + act.end.min(text.len());
            return Mapped {
                range: start..end,
                line: i + 1,
                score,
            };
        }
        self.whole_line(i, score)
    }

    fn literal_ranges(&self, line: &TemplateLine) -> Vec<Range<usize>> {
        let len = line.range.len();
        let mut out = Vec::new();
        let mut pos = 0;
        for a in &line.actions {
            out.push(pos..a.start);
            pos = a.end;
        }
        out.push(pos..len);
        out
    }

    fn whole_line(&self, i: usize, score: u32) -> Mapped {
        let Some(line) = self.lines.get(i) else {
            return Mapped {
                range: 0..0,
                line: 1,
                score: 0,
            };
        };
        let text = &self.source[line.range.clone()];
        let indent = text.len() - text.trim_start().len();
        let start = line.range.start + indent;
        let end = line.range.start + text.trim_end().len().max(indent);
        Mapped {
            range: start..end,
            line: i + 1,
            score,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(
        src: &str,
        rendered_line: &str,
        value: &str,
        keys: &str,
        doc: usize,
        docs: usize,
    ) -> String {
        let m = TemplateMapper::new(src);
        let keys: Vec<&str> = keys.split('.').filter(|s| !s.is_empty()).collect();
        let col = rendered_line.find(value).unwrap_or(0);
        let r = m.locate(rendered_line, value, col, &keys, doc, docs, 0.5);
        format!("{}:{}", r.line, &src[r.range])
    }

    const STS: &str = r#"apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ include "db.fullname" . }}
  labels:
    {{- include "db.labels" . | nindent 4 }}
spec:
  serviceName: {{ include "db.fullname" . }}-headless
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
        - name: db
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          volumeMounts:
            - name: data
              mountPath: /data
"#;

    #[test]
    fn value_from_an_action() {
        assert_eq!(
            loc(
                STS,
                "  serviceName: db-headless",
                "db-headless",
                "spec.serviceName",
                0,
                1
            ),
            "8:{{ include \"db.fullname\" . }}"
        );
        assert_eq!(
            loc(STS, "  replicas: 3", "3", "spec.replicas", 0, 1),
            "9:{{ .Values.replicas }}"
        );
    }

    #[test]
    fn literal_value() {
        assert_eq!(
            loc(
                STS,
                "        - name: data",
                "data",
                "spec.template.spec.containers.volumeMounts.name",
                0,
                1
            ),
            "18:data"
        );
        assert_eq!(
            loc(
                STS,
                "          mountPath: /data",
                "/data",
                "spec.template.spec.containers.volumeMounts.mountPath",
                0,
                1
            ),
            "19:/data"
        );
    }

    #[test]
    fn expanded_block_maps_to_the_action() {
        assert_eq!(
            loc(
                STS,
                "              memory: 1Gi",
                "1Gi",
                "spec.template.spec.containers.resources.limits.memory",
                0,
                1
            ),
            "16:{{- toYaml .Values.resources | nindent 12 }}"
        );
        assert_eq!(
            loc(
                STS,
                "    app.kubernetes.io/name: db",
                "db",
                "metadata.labels.app.kubernetes.io/name",
                0,
                1
            ),
            "6:{{- include \"db.labels\" . | nindent 4 }}"
        );
    }

    #[test]
    fn image_with_two_actions() {
        let r = loc(
            STS,
            "        image: \"mongo:latest\"",
            "mongo:latest",
            "spec.template.spec.containers.image",
            0,
            1,
        );
        assert!(r.starts_with("14:{{ .Values.image"), "{r}");
    }

    #[test]
    fn sections_pick_the_document() {
        let src = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  clusterIP: None\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  clusterIP: {{ .Values.ip }}\n";
        assert_eq!(loc(src, "  name: a", "a", "metadata.name", 0, 2), "4:a");
        assert_eq!(
            loc(
                src,
                "  clusterIP: 10.0.0.1",
                "10.0.0.1",
                "spec.clusterIP",
                1,
                2
            ),
            "13:{{ .Values.ip }}"
        );
        assert_eq!(
            loc(src, "kind: Service", "Service", "kind", 1, 2),
            "9:Service"
        );
    }

    #[test]
    fn unknown_line_falls_back() {
        let m = TemplateMapper::new("{{ include \"x\" . }}\n");
        let r = m.locate("kind: Foo", "Foo", 6, &["kind"], 0, 1, 0.0);
        assert_eq!(r.line, 1);
    }

    #[test]
    fn literal_keys() {
        assert_eq!(literal_key("  - name: x"), Some((4, "name".into())));
        assert_eq!(literal_key("  \"a.b\": 1"), Some((2, "a.b".into())));
        assert_eq!(
            literal_key("  image: \"{{ x }}\""),
            Some((2, "image".into()))
        );
        assert_eq!(literal_key("  http://x"), None);
        assert_eq!(literal_key("  {{ .x }}: 1"), None);
    }
}

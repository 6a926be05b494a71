//! Rendered documents as objects: each document of each rendered template
//! is parsed once with positions, turned into JSON (what the API server
//! would receive), and keeps a map from every field path to its span in the
//! rendered text, so findings can point back at template lines.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use chartkit_diagnostics::ObjectRef;
use chartkit_yaml::{SpannedKind, SpannedNode, Style};
use regex::Regex;
use serde_json::{Map, Number, Value as Json};

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A field path inside an object (`spec.template.spec.containers[0].name`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// The empty path (the object itself).
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// Parses `a.b[0].c` (keys may be quoted: `metadata.annotations["a.b/c"]`).
    pub fn parse(s: &str) -> Self {
        let mut segs = Vec::new();
        let mut rest = s;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                rest = r;
                continue;
            }
            if let Some(r) = rest.strip_prefix("[\"") {
                let end = r.find("\"]").unwrap_or(r.len());
                segs.push(Seg::Key(r[..end].to_string()));
                rest = r.get(end + 2..).unwrap_or("");
                continue;
            }
            if let Some(r) = rest.strip_prefix('[') {
                let end = r.find(']').unwrap_or(r.len());
                if let Ok(i) = r[..end].parse() {
                    segs.push(Seg::Index(i));
                }
                rest = r.get(end + 1..).unwrap_or("");
                continue;
            }
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            segs.push(Seg::Key(rest[..end].to_string()));
            rest = &rest[end..];
        }
        FieldPath(segs)
    }

    /// This path with a key appended.
    pub fn key(&self, k: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        FieldPath(v)
    }

    /// This path with an index appended.
    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        FieldPath(v)
    }

    /// The keys only (indices dropped), for matching against template lines.
    pub fn keys(&self) -> Vec<&str> {
        self.0
            .iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) => None,
            })
            .collect()
    }

    /// The path without its last step.
    pub fn parent(&self) -> Option<Self> {
        let mut v = self.0.clone();
        v.pop().map(|_| FieldPath(v))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for s in &self.0 {
            match s {
                Seg::Key(k) if k.contains(['.', '[', ']', '"']) || k.is_empty() => {
                    write!(f, "[{k:?}]")?
                }
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// Where a field is in the rendered text (byte ranges in the rendered file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpan {
    /// The key (for map entries; equals `value` for sequence items and the root).
    pub key: Range<usize>,
    /// The value.
    pub value: Range<usize>,
}

/// One rendered document.
#[derive(Clone, Debug)]
pub struct RenderedObject {
    /// The template that produced it (`chart/templates/x.yaml`).
    pub template: String,
    /// Index of the document within that template's output.
    pub doc_index: usize,
    /// Byte range of the document in the template's rendered text.
    pub doc_range: Range<usize>,
    /// The object as JSON (integers as integers).
    pub json: Json,
    /// Field path → span in the rendered text of `template`.
    pub spans: BTreeMap<FieldPath, FieldSpan>,
    /// A Helm hook (`helm.sh/hook` annotation) — hooks are linted too.
    pub hook: Option<String>,
}

impl RenderedObject {
    /// `apiVersion` (empty when absent).
    pub fn api_version(&self) -> &str {
        self.json
            .get("apiVersion")
            .and_then(Json::as_str)
            .unwrap_or("")
    }

    /// `kind` (empty when absent).
    pub fn kind(&self) -> &str {
        self.json.get("kind").and_then(Json::as_str).unwrap_or("")
    }

    /// `metadata.name` (empty when absent).
    pub fn name(&self) -> &str {
        self.json
            .pointer("/metadata/name")
            .and_then(Json::as_str)
            .unwrap_or("")
    }

    /// `metadata.namespace` (empty when absent).
    pub fn namespace(&self) -> &str {
        self.json
            .pointer("/metadata/namespace")
            .and_then(Json::as_str)
            .unwrap_or("")
    }

    /// The namespace the object lands in: its own, else the release's.
    pub fn effective_namespace<'a>(&'a self, release_ns: &'a str) -> &'a str {
        let ns = self.namespace();
        if ns.is_empty() { release_ns } else { ns }
    }

    /// An annotation of the object.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.json
            .get("metadata")?
            .get("annotations")?
            .get(key)?
            .as_str()
    }

    /// The reference diagnostics carry.
    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef {
            api_version: self.api_version().to_string(),
            kind: self.kind().to_string(),
            namespace: self.namespace().to_string(),
            name: self.name().to_string(),
        }
    }

    /// True for test hooks (`helm.sh/hook: test` / `test-success`).
    pub fn is_test_hook(&self) -> bool {
        self.hook.as_deref().is_some_and(|h| {
            h.split(',')
                .any(|e| matches!(e.trim(), "test" | "test-success"))
        })
    }

    /// The span of `path`, or of its nearest existing ancestor.
    pub fn span_of(&self, path: &FieldPath) -> Option<(&FieldPath, &FieldSpan)> {
        let mut p = path.clone();
        loop {
            if let Some((k, v)) = self.spans.get_key_value(&p) {
                return Some((k, v));
            }
            p = p.parent()?;
        }
    }
}

/// Helm's document separator (`releaseutil.SplitManifests`).
fn separator() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Invariant: the pattern is a constant that compiles.
        Regex::new(r"(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*").expect("constant regex")
    })
}

/// Splits a rendered file into documents as Helm does, returning each
/// (trimmed) document's byte range in `text`. Empty documents are dropped.
pub fn split_documents(text: &str) -> Vec<Range<usize>> {
    let lead = text.len() - text.trim_start().len();
    let s = text.trim();
    let mut out = Vec::new();
    let mut beg = 0;
    let mut end = 0;
    let mut push = |r: Range<usize>| {
        let part = &s[r.clone()];
        let t = part.trim();
        if !t.is_empty() {
            let off = part.len() - part.trim_start().len();
            let start = lead + r.start + off;
            out.push(start..start + t.len());
        }
    };
    for m in separator().find_iter(s) {
        end = m.start();
        if m.end() != 0 {
            push(beg..end);
        }
        beg = m.end();
    }
    if end != s.len() || beg == 0 {
        push(beg..s.len());
    }
    out
}

/// Why a document could not become an object.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct DocError {
    /// go-yaml's message.
    pub message: String,
    /// Byte offset in the rendered file.
    pub offset: usize,
}

/// Converts character offsets of a document into byte offsets.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    base: usize,
}

impl Offsets<'_> {
    fn byte(&self, char_offset: usize) -> usize {
        if self.ascii {
            return self.base + char_offset.min(self.text.len());
        }
        self.base
            + self
                .text
                .char_indices()
                .nth(char_offset)
                .map_or(self.text.len(), |(i, _)| i)
    }
}

struct Builder<'a> {
    offsets: Offsets<'a>,
    spans: BTreeMap<FieldPath, FieldSpan>,
    anchors: BTreeMap<String, Json>,
}

impl Builder<'_> {
    fn range(&self, n: &SpannedNode) -> Range<usize> {
        let s = self.offsets.byte(n.start.offset);
        let e = self.offsets.byte(n.end.offset).max(s);
        s..e
    }

    fn scalar(&self, n: &SpannedNode) -> Json {
        let SpannedKind::Scalar { value, style } = &n.kind else {
            return Json::Null;
        };
        match n.scalar_value() {
            Some(chartkit_yaml::Value::Float(f)) => {
                let int_like = *style == Style::Plain
                    && f.fract() == 0.0
                    && f.abs() < 9.0e15
                    && !value.contains(['.', 'e', 'E']);
                if int_like {
                    Json::Number(Number::from(f as i64))
                } else {
                    Number::from_f64(f).map_or(Json::Null, Json::Number)
                }
            }
            Some(chartkit_yaml::Value::Int(i)) => Json::Number(Number::from(i)),
            Some(chartkit_yaml::Value::Bool(b)) => Json::Bool(b),
            Some(chartkit_yaml::Value::String(s)) => Json::String(s),
            Some(chartkit_yaml::Value::Null) => Json::Null,
            Some(_) | None => Json::String(value.clone()),
        }
    }

    fn key_string(&self, k: &SpannedNode) -> String {
        match self.scalar(k) {
            Json::String(s) => s,
            Json::Null => "null".into(),
            other => other.to_string(),
        }
    }

    fn build(&mut self, n: &SpannedNode, path: &FieldPath, depth: usize) -> Json {
        if depth > 200 {
            return Json::Null;
        }
        let v = match &n.kind {
            SpannedKind::Scalar { .. } => self.scalar(n),
            SpannedKind::Alias { name } => self.anchors.get(name).cloned().unwrap_or(Json::Null),
            SpannedKind::Seq(items) => Json::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let p = path.index(i);
                        let r = self.range(item);
                        self.spans.insert(
                            p.clone(),
                            FieldSpan {
                                key: r.clone(),
                                value: r,
                            },
                        );
                        self.build(item, &p, depth + 1)
                    })
                    .collect(),
            ),
            SpannedKind::Map(pairs) => {
                let mut m = Map::new();
                for (k, val) in pairs {
                    let key = self.key_string(k);
                    if key == "<<" {
                        if let Json::Object(merged) = self.build(val, path, depth + 1) {
                            for (mk, mv) in merged {
                                m.entry(mk).or_insert(mv);
                            }
                        }
                        continue;
                    }
                    let p = path.key(&key);
                    let kr = self.range(k);
                    let vr = self.range(val);
                    self.spans
                        .insert(p.clone(), FieldSpan { key: kr, value: vr });
                    let child = self.build(val, &p, depth + 1);
                    m.insert(key, child);
                }
                Json::Object(m)
            }
        };
        if let Some(a) = &n.anchor {
            self.anchors.insert(a.clone(), v.clone());
        }
        v
    }
}

/// Parses one rendered template into objects. `text` is the whole rendered
/// file; documents that are empty or null are skipped. A YAML error stops
/// at the failing document (Helm does the same).
pub fn parse_rendered(template: &str, text: &str) -> (Vec<RenderedObject>, Option<DocError>) {
    let mut out = Vec::new();
    for (doc_index, range) in split_documents(text).into_iter().enumerate() {
        let doc = &text[range.clone()];
        let nodes = match chartkit_yaml::parse_spanned(doc) {
            Ok(n) => n,
            Err(e) => {
                let offset = e.position().map_or(range.start, |p| {
                    Offsets {
                        text: doc,
                        ascii: doc.is_ascii(),
                        base: range.start,
                    }
                    .byte(p.offset)
                });
                return (
                    out,
                    Some(DocError {
                        message: e.to_string(),
                        offset,
                    }),
                );
            }
        };
        let Some(root) = nodes.first() else { continue };
        let mut b = Builder {
            offsets: Offsets {
                text: doc,
                ascii: doc.is_ascii(),
                base: range.start,
            },
            spans: BTreeMap::new(),
            anchors: BTreeMap::new(),
        };
        let r = b.range(root);
        b.spans.insert(
            FieldPath::root(),
            FieldSpan {
                key: r.clone(),
                value: r,
            },
        );
        let json = b.build(root, &FieldPath::root(), 0);
        if !json.is_object() {
            continue;
        }
        let hook = json
            .pointer("/metadata/annotations")
            .and_then(|a| a.get("helm.sh/hook"))
            .and_then(Json::as_str)
            .map(str::to_string);
        out.push(RenderedObject {
            template: template.to_string(),
            doc_index,
            doc_range: range,
            json,
            spans: b.spans,
            hook,
        });
    }
    (out, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_helm() {
        let text = "\n---\n# c\na: 1\n---\n\n---\nb: 2\n  \n";
        let docs: Vec<&str> = split_documents(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        // Helm's separator regex consumes the newline before a second `---`.
        assert_eq!(docs, vec!["# c\na: 1", "---\nb: 2"]);
        let one = "a: 1\n";
        assert_eq!(split_documents(one), vec![0..4]);
    }

    #[test]
    fn json_and_spans() {
        let text = "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  annotations:\n    helm.sh/hook: test\nspec:\n  replicas: 3\n  x: \"3\"\n  f: 1.5\n  containers:\n  - name: a\n";
        let (objs, err) = parse_rendered("c/templates/s.yaml", text);
        assert!(err.is_none());
        let o = &objs[0];
        assert_eq!(o.kind(), "StatefulSet");
        assert_eq!(o.json["spec"]["replicas"], serde_json::json!(3));
        assert_eq!(o.json["spec"]["x"], serde_json::json!("3"));
        assert_eq!(o.json["spec"]["f"], serde_json::json!(1.5));
        assert!(o.is_test_hook());
        let p = FieldPath::parse("spec.containers[0].name");
        let span = &o.spans[&p];
        assert_eq!(&text[span.value.clone()], "a");
        assert_eq!(&text[span.key.clone()], "name");
        let (found, _) = o
            .span_of(&FieldPath::parse("spec.containers[0].image"))
            .unwrap();
        assert_eq!(found.to_string(), "spec.containers[0]");
    }

    #[test]
    fn path_display_and_parse() {
        let p = FieldPath::parse("metadata.annotations[\"helm.sh/hook\"]");
        assert_eq!(p.0.len(), 3);
        assert_eq!(p.to_string(), "metadata.annotations[\"helm.sh/hook\"]");
        let q = FieldPath::parse("spec.containers[2].ports[0].containerPort");
        assert_eq!(q.to_string(), "spec.containers[2].ports[0].containerPort");
        assert_eq!(
            q.keys(),
            vec!["spec", "containers", "ports", "containerPort"]
        );
    }

    #[test]
    fn yaml_error_offset() {
        let text = "a: 1\n---\nb: [1\n";
        let (objs, err) = parse_rendered("t", text);
        assert_eq!(objs.len(), 1);
        assert!(err.unwrap().message.contains("did not find expected"));
    }
}

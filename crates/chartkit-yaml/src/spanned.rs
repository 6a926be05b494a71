//! A YAML document as nodes that know where they came from, for linters and
//! manifest tooling that must point at lines.

pub use crate::compose::Style;
use crate::compose::{Document, NodeKind, all_documents};
use crate::error::{Error, Position};
use crate::resolve::{Dialect, Scalar, resolve};
use crate::value::Value;

/// One node of a parsed document, with its source span.
#[derive(Clone, Debug, PartialEq)]
pub struct SpannedNode {
    /// Where the node starts (for a mapping value: the value, not the key).
    pub start: Position,
    /// Where it ends (exclusive).
    pub end: Position,
    /// The explicit tag in long form (`tag:yaml.org,2002:str`, `!custom`), if any.
    pub tag: Option<String>,
    /// The anchor defined on this node, if any.
    pub anchor: Option<String>,
    /// What the node is.
    pub kind: SpannedKind,
}

/// The shape of a [`SpannedNode`].
#[derive(Clone, Debug, PartialEq)]
pub enum SpannedKind {
    /// A scalar as written (after escapes and folding), with its style.
    Scalar { value: String, style: Style },
    /// A sequence.
    Seq(Vec<SpannedNode>),
    /// A mapping: keys and values in document order (duplicates kept).
    Map(Vec<(SpannedNode, SpannedNode)>),
    /// `*name`; the aliased node is not copied.
    Alias { name: String },
}

impl SpannedNode {
    /// The value of the last entry whose key is the plain string `key`.
    pub fn get(&self, key: &str) -> Option<&SpannedNode> {
        match &self.kind {
            SpannedKind::Map(pairs) => pairs
                .iter()
                .rev()
                .find(|(k, _)| matches!(&k.kind, SpannedKind::Scalar { value, .. } if value == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            SpannedKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// What a scalar means to Helm (go-yaml v2 resolution, numbers as
    /// float64, timestamps as strings). `None` for collections, aliases and
    /// scalars go-yaml would reject or JSON cannot hold.
    pub fn scalar_value(&self) -> Option<Value> {
        let SpannedKind::Scalar { value, style } = &self.kind else {
            return None;
        };
        let tag = self.tag.as_deref().unwrap_or("");
        if tag.is_empty() && *style != Style::Plain {
            return Some(Value::String(value.clone()));
        }
        let (rtag, scalar) = resolve(tag, value, Dialect::V2).ok()?;
        if rtag == crate::resolve::TIMESTAMP_TAG {
            return Some(Value::String(value.clone()));
        }
        Some(match scalar {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(i) => Value::Float(i as f64),
            Scalar::Uint(u) => Value::Float(u as f64),
            Scalar::Float(f) if f.is_finite() => Value::Float(f),
            Scalar::Float(_) => return None,
            Scalar::Str(s) => Value::String(s),
            Scalar::Merge => Value::String("<<".into()),
        })
    }
}

fn build(doc: &Document, id: usize) -> SpannedNode {
    let node = &doc.nodes[id];
    let kind = match &node.kind {
        NodeKind::Scalar { value, style, .. } => SpannedKind::Scalar {
            value: value.clone(),
            style: *style,
        },
        NodeKind::Seq(children) => {
            SpannedKind::Seq(children.iter().map(|&c| build(doc, c)).collect())
        }
        NodeKind::Map(children) => SpannedKind::Map(
            children
                .chunks(2)
                .filter_map(|p| match p {
                    [k, v] => Some((build(doc, *k), build(doc, *v))),
                    _ => None,
                })
                .collect(),
        ),
        NodeKind::Alias { name, .. } => SpannedKind::Alias { name: name.clone() },
    };
    SpannedNode {
        start: node.start,
        end: node.end,
        tag: (!node.tag.is_empty()).then(|| node.tag.clone()),
        anchor: node.anchor.clone(),
        kind,
    }
}

/// Parses every document of a YAML stream into spanned nodes (one root per
/// document; an empty document is a null scalar). Syntax errors are go-yaml's.
pub fn parse_spanned(text: &str) -> Result<Vec<SpannedNode>, Error> {
    let docs = all_documents(text.as_bytes())?;
    let depth = docs.iter().map(|d| d.max_depth).max().unwrap_or(0);
    crate::with_stack(depth, || {
        Ok(docs
            .iter()
            .filter_map(|d| d.root.map(|r| build(d, r)))
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_point_at_keys_and_values() {
        let docs = parse_spanned("a: 1\nb:\n  - x\n  - 'y'\n---\nc: yes\n").unwrap();
        assert_eq!(docs.len(), 2);
        let b = docs[0].get("b").unwrap();
        assert_eq!((b.start.line, b.start.column), (3, 3));
        let SpannedKind::Seq(items) = &b.kind else {
            panic!("not a seq")
        };
        assert_eq!((items[1].start.line, items[1].start.column), (4, 5));
        assert_eq!(items[1].scalar_value(), Some(Value::String("y".into())));
        assert_eq!(
            docs[1].get("c").unwrap().scalar_value(),
            Some(Value::Bool(true))
        );
        assert_eq!(
            docs[0].get("a").unwrap().scalar_value(),
            Some(Value::Float(1.0))
        );
    }

    #[test]
    fn syntax_errors_are_go_yamls() {
        // Measured with Helm v4.1.4 (see tests/oracle/errors).
        let err = parse_spanned("a: 1\nb:\n  c: [1, 2\n  d: 3\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "yaml: line 3: did not find expected ',' or ']'"
        );
    }
}

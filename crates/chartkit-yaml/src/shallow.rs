//! A fast, event-level reading of the top of a document.
//!
//! Reading only a few fields of a large document (the `apiVersion`, `kind`
//! and `metadata` of a rendered manifest) through [`crate::from_yaml_str_typed`]
//! builds go-yaml's node tree, decodes it, converts it to JSON and back: most
//! of the work of rendering a chart with big CRDs. [`shallow_document`] runs
//! the same libyaml event parser over the whole document, so it accepts and
//! rejects exactly the same input, but keeps only the scalars of the first
//! few levels and builds nothing else.
//!
//! It answers only for documents whose meaning cannot depend on what it
//! skips: no anchors, aliases, explicit tags or merge keys, only scalar keys
//! that resolve to strings, no non-finite numbers (sigs.k8s.io/yaml rejects
//! them), and no error. Anything else returns `None`, and the caller takes
//! the full path, which then produces the value or Helm's error text.

use libyaml_safer::{EventData, Parser};

use crate::resolve::{Dialect, Scalar, resolve};

/// A scalar of the top levels, typed as go-yaml v2 resolves it for an
/// `interface{}` target.
#[derive(Clone, Debug, PartialEq)]
pub enum ShallowScalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
}

/// A node of the top levels of a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Shallow {
    Scalar(ShallowScalar),
    /// A sequence (its items are not kept).
    Seq,
    /// A mapping within the kept depth: entries in document order, duplicate
    /// keys included (go-yaml keeps the last).
    Map(Vec<(String, Shallow)>),
    /// A collection below the kept depth (its contents are not kept).
    Deep,
}

/// Deeper nesting is left to the full path (go-yaml's own limit is 10000).
const MAX_FAST_DEPTH: usize = 512;

/// Reads the first document of `text` keeping mappings and scalars down to
/// `keep_depth` levels (1 = the root's entries). `Ok(None)`-like cases are
/// folded into `None`: an empty stream is `Some(None)`, a document the fast
/// path cannot vouch for (see the module docs) or that has an error is `None`.
pub fn shallow_document(text: &str, keep_depth: usize) -> Option<Option<Shallow>> {
    let bytes = text.as_bytes();
    // UTF-16 input is transcoded by the full path; empty input is trivial there.
    if bytes.is_empty() || bytes.starts_with(&[0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE]) {
        return None;
    }
    let mut input = bytes;
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    // libyaml-safer panicked on some inputs before vendor/ patches; the full
    // path guards against that and reports an error, so defer to it.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        scan(&mut parser, keep_depth)
    }))
    .ok()
    .flatten()
}

/// An open collection: `Some(entries)` when kept, `None` when below the
/// kept depth. For kept mappings, `pending_key` holds a key awaiting its value.
struct Open {
    is_map: bool,
    kept: Option<Vec<(String, Shallow)>>,
    pending_key: Option<String>,
    /// For mappings: whether the next scalar/collection is a key.
    expect_key: bool,
}

fn scan<R: std::io::BufRead>(parser: &mut Parser<R>, keep_depth: usize) -> Option<Option<Shallow>> {
    let mut next = || parser.parse().ok();
    if !matches!(next()?.data, EventData::StreamStart { .. }) {
        return None;
    }
    match next()?.data {
        EventData::StreamEnd => return Some(None),
        EventData::DocumentStart { .. } => {}
        _ => return None,
    }
    let mut stack: Vec<Open> = Vec::new();
    let root: Shallow;
    loop {
        let ev = next()?;
        // The finished node, if this event completes one.
        let finished: Option<Shallow> = match ev.data {
            EventData::Scalar {
                anchor,
                tag,
                value,
                plain_implicit,
                ..
            } => {
                if anchor.is_some() || tag.is_some() {
                    return None;
                }
                let in_key = stack.last().is_some_and(|o| o.is_map && o.expect_key);
                if in_key {
                    // Keys: strings only (quoted, or plain resolving to a string).
                    if plain_implicit {
                        if value == "<<" {
                            return None;
                        }
                        match resolve("", &value, Dialect::V2).ok()?.1 {
                            Scalar::Str(_) => {}
                            _ => return None,
                        }
                    }
                    // Invariant: `in_key` implies a top of stack.
                    let top = stack.last_mut()?;
                    top.expect_key = false;
                    if top.kept.is_some() {
                        top.pending_key = Some(value);
                    }
                    continue;
                }
                let keep = stack.last().is_none_or(|o| o.kept.is_some());
                let scalar = if plain_implicit {
                    // Only numbers and .inf/.nan can resolve to a non-finite
                    // float; other plain scalars matter only when kept.
                    let numeric = value
                        .as_bytes()
                        .first()
                        .is_some_and(|b| matches!(b, b'+' | b'-' | b'.' | b'0'..=b'9'));
                    if keep || numeric {
                        match resolve("", &value, Dialect::V2).ok()?.1 {
                            Scalar::Null => ShallowScalar::Null,
                            Scalar::Bool(b) => ShallowScalar::Bool(b),
                            Scalar::Int(i) => ShallowScalar::Int(i),
                            Scalar::Uint(u) => ShallowScalar::Uint(u),
                            Scalar::Float(f) if f.is_finite() => ShallowScalar::Float(f),
                            Scalar::Float(_) | Scalar::Merge => return None,
                            Scalar::Str(s) => ShallowScalar::Str(s),
                        }
                    } else {
                        ShallowScalar::Null
                    }
                } else {
                    ShallowScalar::Str(value)
                };
                Some(Shallow::Scalar(scalar))
            }
            EventData::Alias { .. } => return None,
            EventData::SequenceStart {
                ref anchor,
                ref tag,
                ..
            }
            | EventData::MappingStart {
                ref anchor,
                ref tag,
                ..
            } => {
                if anchor.is_some() || tag.is_some() || stack.len() >= MAX_FAST_DEPTH {
                    return None;
                }
                let is_map = matches!(ev.data, EventData::MappingStart { .. });
                if stack.last().is_some_and(|o| o.is_map && o.expect_key) {
                    // A collection as a mapping key: not a JSON object key.
                    return None;
                }
                let parent_kept = stack.last().is_none_or(|o| o.kept.is_some());
                let kept = (parent_kept && is_map && stack.len() < keep_depth).then(Vec::new);
                stack.push(Open {
                    is_map,
                    kept,
                    pending_key: None,
                    expect_key: is_map,
                });
                None
            }
            EventData::SequenceEnd | EventData::MappingEnd => {
                let open = stack.pop()?;
                Some(match open.kept {
                    Some(entries) => Shallow::Map(entries),
                    None if open.is_map => Shallow::Deep,
                    None => Shallow::Seq,
                })
            }
            _ => return None,
        };
        let Some(node) = finished else { continue };
        match stack.last_mut() {
            None => {
                root = node;
                break;
            }
            Some(parent) => {
                if parent.is_map {
                    parent.expect_key = true;
                    if let (Some(entries), Some(key)) =
                        (&mut parent.kept, parent.pending_key.take())
                    {
                        entries.push((key, node));
                    }
                }
            }
        }
    }
    if !matches!(next()?.data, EventData::DocumentEnd { .. }) {
        return None;
    }
    match root {
        Shallow::Scalar(_) => None,
        other => Some(Some(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Shallow {
        Shallow::Scalar(ShallowScalar::Str(v.into()))
    }

    #[test]
    fn keeps_the_top_levels_only() {
        let doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    a: b\n  \
                   annotations:\n    w: 5\ndata:\n  k: v\nlist: [1, 2]\n";
        let got = shallow_document(doc, 2).unwrap().unwrap();
        assert_eq!(
            got,
            Shallow::Map(vec![
                ("apiVersion".into(), s("v1")),
                ("kind".into(), s("ConfigMap")),
                (
                    "metadata".into(),
                    Shallow::Map(vec![
                        ("name".into(), s("x")),
                        ("labels".into(), Shallow::Deep),
                        ("annotations".into(), Shallow::Deep),
                    ])
                ),
                ("data".into(), Shallow::Map(vec![("k".into(), s("v"))])),
                ("list".into(), Shallow::Seq),
            ])
        );
        let got = shallow_document(doc, 3).unwrap().unwrap();
        let Shallow::Map(root) = got else {
            panic!("map")
        };
        let Shallow::Map(meta) = &root[2].1 else {
            panic!("metadata")
        };
        assert_eq!(
            meta[2].1,
            Shallow::Map(vec![("w".into(), Shallow::Scalar(ShallowScalar::Int(5)))])
        );
    }

    #[test]
    fn declines_what_it_cannot_vouch_for() {
        for doc in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "<<: {a: 1}\n",
            "? [a]\n: 1\n",
            "1: one\n",
            "a: .inf\n",
            "a: [1, -.Inf]\n",
            "a: b: c\n",
            "just a scalar\n",
            "a: 1\n---\nb: 2\n",
        ] {
            let got = shallow_document(doc, 3);
            if doc.contains("---") {
                // Only the first document is read, as go-yaml's Unmarshal does.
                assert!(got.is_some(), "{doc:?}");
            } else {
                assert_eq!(got, None, "{doc:?}");
            }
        }
    }

    #[test]
    fn empty_stream_is_no_document() {
        assert_eq!(shallow_document("# only a comment\n", 3), Some(None));
    }
}

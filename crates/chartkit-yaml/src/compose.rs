//! Builds go-yaml's node tree from libyaml events.
//!
//! go-yaml is a transliteration of libyaml and `libyaml-safer` is a port of
//! the same C code, so the event stream, the accepted input and the error
//! texts agree. What go-yaml adds on top (its `parser` type in decode.go) is
//! reproduced here: one node per event, anchors registered before a
//! collection's children are read, aliases resolved against the anchors seen
//! so far in the document, and go-yaml's own error formatting (`yaml: line N:
//! ...`, where scanner errors use the 1-based line and parser errors the
//! 0-based one).

use std::collections::HashMap;

use libyaml_safer::{ErrorKind as LibErrorKind, EventData, Mark, Parser, ScalarStyle};

use crate::error::{Error, ErrorKind, Position};

/// go-yaml's scanner limit on nesting (`exceeded max depth of 10000`).
pub(crate) const MAX_DEPTH: usize = 10_000;

/// The style a scalar was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Unquoted.
    Plain,
    /// `'...'`
    SingleQuoted,
    /// `"..."`
    DoubleQuoted,
    /// `|`
    Literal,
    /// `>`
    Folded,
}

#[derive(Clone, Debug)]
pub(crate) enum NodeKind {
    Scalar {
        value: String,
        implicit: bool,
        style: Style,
    },
    Seq(Vec<usize>),
    /// Keys and values, alternating.
    Map(Vec<usize>),
    Alias {
        name: String,
        target: usize,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub tag: String,
    pub anchor: Option<String>,
    pub start: Position,
    pub end: Position,
}

/// One document: its nodes in an arena, the root last referenced by `root`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Document {
    pub nodes: Vec<Node>,
    pub root: Option<usize>,
    /// The deepest collection nesting seen.
    pub max_depth: usize,
}

pub(crate) fn position(mark: Mark) -> Position {
    Position {
        line: usize::try_from(mark.line)
            .unwrap_or(usize::MAX)
            .saturating_add(1),
        column: usize::try_from(mark.column)
            .unwrap_or(usize::MAX)
            .saturating_add(1),
        offset: usize::try_from(mark.index).unwrap_or(usize::MAX),
    }
}

/// go-yaml's reader diagnosis of the first malformed UTF-8 sequence
/// (libyaml-safer only says "invalid UTF-8").
fn go_utf8_problem(bytes: &[u8]) -> &'static str {
    let mut i = 0;
    while i < bytes.len() {
        let octet = bytes[i];
        let width = match octet {
            o if o & 0x80 == 0 => 1,
            o if o & 0xE0 == 0xC0 => 2,
            o if o & 0xF0 == 0xE0 => 3,
            o if o & 0xF8 == 0xF0 => 4,
            _ => return "invalid leading UTF-8 octet",
        };
        if i + width > bytes.len() {
            return "incomplete UTF-8 octet sequence";
        }
        let mut value: u32 = match width {
            1 => u32::from(octet & 0x7F),
            2 => u32::from(octet & 0x1F),
            3 => u32::from(octet & 0x0F),
            _ => u32::from(octet & 0x07),
        };
        for k in 1..width {
            let o = bytes[i + k];
            if o & 0xC0 != 0x80 {
                return "invalid trailing UTF-8 octet";
            }
            value = (value << 6) + u32::from(o & 0x3F);
        }
        let long_enough = match width {
            1 => true,
            2 => value >= 0x80,
            3 => value >= 0x800,
            _ => value >= 0x10000,
        };
        if !long_enough {
            return "invalid length of a UTF-8 sequence";
        }
        if (0xD800..=0xDFFF).contains(&value) || value > 0x10FFFF {
            return "invalid Unicode character";
        }
        i += width;
    }
    "invalid UTF-8"
}

/// Formats a libyaml error the way go-yaml's `parser.fail` does.
fn lib_error(err: &libyaml_safer::Error, input: &[u8]) -> Error {
    let problem_line = err.problem_mark().map_or(0, |m| m.line);
    let context_line = err.context_mark().map_or(0, |m| m.line);
    let line = if problem_line != 0 {
        if err.kind() == LibErrorKind::Scanner {
            problem_line + 1
        } else {
            problem_line
        }
    } else {
        context_line
    };
    let problem = if err.kind() == LibErrorKind::Reader && err.problem() == "invalid UTF-8" {
        go_utf8_problem(input)
    } else {
        err.problem()
    };
    let msg = if problem.is_empty() {
        "unknown problem parsing YAML content"
    } else {
        problem
    };
    let text = if line != 0 {
        format!("yaml: line {line}: {msg}")
    } else {
        format!("yaml: {msg}")
    };
    Error::new(ErrorKind::Syntax, text).at(err.problem_mark().map(position))
}

pub(crate) fn syntax_error(message: String, at: Option<Position>) -> Error {
    Error::new(ErrorKind::Syntax, message).at(at)
}

/// Pulls events on demand, as go-yaml does (it never reads past what it needs,
/// so errors after the first document go unnoticed by `Unmarshal`).
pub(crate) struct Composer<'a> {
    parser: Parser<&'a mut &'a [u8]>,
    input: &'a [u8],
    peeked: Option<libyaml_safer::Event>,
    started: bool,
    /// 0-based line where the last event ended (for the panic workaround).
    last_line: u64,
}

impl<'a> Composer<'a> {
    pub(crate) fn new(input: &'a mut &'a [u8]) -> Self {
        let bytes: &'a [u8] = input;
        let mut parser = Parser::new();
        parser.set_input_string(input);
        Composer {
            parser,
            input: bytes,
            peeked: None,
            started: false,
            last_line: 0,
        }
    }

    fn peek(&mut self) -> Result<&libyaml_safer::Event, Error> {
        if self.peeked.is_none() {
            // Defence in depth: libyaml-safer panicked where libyaml reports
            // errors (vendor/libyaml-safer/PATCHES.md fixes the known cases);
            // should another panic surface, report a scanner error rather
            // than crash.
            let parser = &mut self.parser;
            let ev = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse()))
            {
                Ok(result) => result.map_err(|e| lib_error(&e, self.input))?,
                Err(_) => {
                    let line = self.last_line;
                    let msg = "did not find expected whitespace or line break";
                    let text = if line != 0 {
                        format!("yaml: line {}: {msg}", line + 1)
                    } else {
                        format!("yaml: {msg}")
                    };
                    return Err(syntax_error(text, None));
                }
            };
            self.last_line = ev.end_mark.line;
            self.peeked = Some(ev);
        }
        // Invariant: filled just above.
        self.peeked
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::Syntax, "yaml: internal error"))
    }

    fn next(&mut self) -> Result<libyaml_safer::Event, Error> {
        self.peek()?;
        self.peeked
            .take()
            .ok_or_else(|| Error::new(ErrorKind::Syntax, "yaml: internal error"))
    }

    /// The next document, or `None` at the end of the stream.
    pub(crate) fn document(&mut self) -> Result<Option<Document>, Error> {
        if !self.started {
            let ev = self.next()?;
            if !matches!(ev.data, EventData::StreamStart { .. }) {
                return Err(syntax_error("yaml: expected STREAM-START".into(), None));
            }
            self.started = true;
        }
        match self.peek()?.data {
            EventData::StreamEnd => return Ok(None),
            EventData::DocumentStart { .. } => {}
            _ => return Err(syntax_error("yaml: expected DOCUMENT-START".into(), None)),
        }
        self.next()?;
        let mut doc = Document::default();
        let mut anchors: HashMap<String, usize> = HashMap::new();
        let root = self.node(&mut doc, &mut anchors)?;
        doc.root = Some(root);
        let end = self.next()?;
        if !matches!(end.data, EventData::DocumentEnd { .. }) {
            return Err(syntax_error("yaml: expected DOCUMENT-END".into(), None));
        }
        Ok(Some(doc))
    }

    /// Reads one node iteratively (documents can nest 10000 levels deep).
    fn node(
        &mut self,
        doc: &mut Document,
        anchors: &mut HashMap<String, usize>,
    ) -> Result<usize, Error> {
        // Open collections: (node index, children so far).
        let mut stack: Vec<(usize, Vec<usize>)> = Vec::new();
        loop {
            let ev = self.next()?;
            let start = position(ev.start_mark);
            let end = position(ev.end_mark);
            let is_seq = matches!(ev.data, EventData::SequenceStart { .. });
            let finished: Option<usize> = match ev.data {
                EventData::Scalar {
                    anchor,
                    tag,
                    value,
                    plain_implicit,
                    style,
                    ..
                } => {
                    let style = match style {
                        ScalarStyle::SingleQuoted => Style::SingleQuoted,
                        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                        ScalarStyle::Literal => Style::Literal,
                        ScalarStyle::Folded => Style::Folded,
                        _ => Style::Plain,
                    };
                    let id = doc.nodes.len();
                    doc.nodes.push(Node {
                        kind: NodeKind::Scalar {
                            value,
                            implicit: plain_implicit,
                            style,
                        },
                        tag: tag.unwrap_or_default(),
                        anchor: anchor.clone(),
                        start,
                        end,
                    });
                    if let Some(a) = anchor {
                        anchors.insert(a, id);
                    }
                    Some(id)
                }
                EventData::Alias { anchor } => {
                    let Some(&target) = anchors.get(&anchor) else {
                        return Err(Error::new(
                            ErrorKind::Decode,
                            format!("yaml: unknown anchor '{anchor}' referenced"),
                        )
                        .at(Some(start)));
                    };
                    let id = doc.nodes.len();
                    doc.nodes.push(Node {
                        kind: NodeKind::Alias {
                            name: anchor,
                            target,
                        },
                        tag: String::new(),
                        anchor: None,
                        start,
                        end,
                    });
                    Some(id)
                }
                EventData::SequenceStart { anchor, tag, .. }
                | EventData::MappingStart { anchor, tag, .. } => {
                    if stack.len() >= MAX_DEPTH {
                        let line = ev.start_mark.line;
                        let text = if line != 0 {
                            format!("yaml: line {}: exceeded max depth of {MAX_DEPTH}", line + 1)
                        } else {
                            format!("yaml: exceeded max depth of {MAX_DEPTH}")
                        };
                        return Err(syntax_error(text, Some(start)));
                    }
                    let kind = if is_seq {
                        NodeKind::Seq(Vec::new())
                    } else {
                        NodeKind::Map(Vec::new())
                    };
                    let id = doc.nodes.len();
                    doc.nodes.push(Node {
                        kind,
                        tag: tag.unwrap_or_default(),
                        anchor: anchor.clone(),
                        start,
                        end: start,
                    });
                    if let Some(a) = anchor {
                        anchors.insert(a, id);
                    }
                    stack.push((id, Vec::new()));
                    doc.max_depth = doc.max_depth.max(stack.len());
                    None
                }
                EventData::SequenceEnd | EventData::MappingEnd => {
                    let Some((id, children)) = stack.pop() else {
                        return Err(syntax_error("yaml: unbalanced collection end".into(), None));
                    };
                    let node = &mut doc.nodes[id];
                    node.end = end;
                    match &mut node.kind {
                        NodeKind::Seq(c) | NodeKind::Map(c) => *c = children,
                        _ => {}
                    }
                    Some(id)
                }
                _ => {
                    return Err(syntax_error("yaml: unexpected event".into(), Some(start)));
                }
            };
            if let Some(id) = finished {
                match stack.last_mut() {
                    Some((_, children)) => children.push(id),
                    None => return Ok(id),
                }
            }
        }
    }
}

/// go-yaml reads UTF-16 input that starts with a byte order mark. It is
/// transcoded here (libyaml-safer's UTF-16 path asserts on odd lengths), with
/// go-yaml's reader messages for malformed input.
fn transcode_utf16(input: &[u8]) -> Result<Option<Vec<u8>>, Error> {
    let big_endian = match input {
        [0xFE, 0xFF, ..] => true,
        [0xFF, 0xFE, ..] => false,
        _ => return Ok(None),
    };
    let reader_error = |msg: &str| Error::new(ErrorKind::Syntax, format!("yaml: {msg}"));
    let body = &input[2..];
    let unit = |i: usize| {
        let (a, b) = (u16::from(body[i]), u16::from(body[i + 1]));
        if big_endian {
            (a << 8) | b
        } else {
            (b << 8) | a
        }
    };
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if i + 2 > body.len() {
            return Err(reader_error("incomplete UTF-16 character"));
        }
        let first = unit(i);
        if (0xDC00..0xE000).contains(&first) {
            return Err(reader_error("unexpected low surrogate area"));
        }
        let c = if (0xD800..0xDC00).contains(&first) {
            if i + 4 > body.len() {
                return Err(reader_error("incomplete UTF-16 surrogate pair"));
            }
            let second = unit(i + 2);
            if !(0xDC00..0xE000).contains(&second) {
                return Err(reader_error("expected low surrogate area"));
            }
            i += 4;
            0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
        } else {
            i += 2;
            u32::from(first)
        };
        out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
    }
    Ok(Some(out.into_bytes()))
}

/// Parses the first document of `input` (what go-yaml's `Unmarshal` reads).
pub(crate) fn first_document(input: &[u8]) -> Result<Option<Document>, Error> {
    let transcoded = transcode_utf16(input)?;
    let input = transcoded.as_deref().unwrap_or(input);
    // go-yaml feeds "\n" for empty input.
    let bytes: &[u8] = if input.is_empty() { b"\n" } else { input };
    let mut slice = bytes;
    let mut composer = Composer::new(&mut slice);
    composer.document()
}

/// Parses every document of `input`.
pub(crate) fn all_documents(input: &[u8]) -> Result<Vec<Document>, Error> {
    let transcoded = transcode_utf16(input)?;
    let input = transcoded.as_deref().unwrap_or(input);
    let bytes: &[u8] = if input.is_empty() { b"\n" } else { input };
    let mut slice = bytes;
    let mut composer = Composer::new(&mut slice);
    let mut docs = Vec::new();
    while let Some(doc) = composer.document()? {
        docs.push(doc);
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_input_is_transcoded() {
        // "a: 1\n" in UTF-16LE with a BOM.
        let le = [0xFF, 0xFE, b'a', 0, b':', 0, b' ', 0, b'1', 0, b'\n', 0];
        let doc = first_document(&le).unwrap().unwrap();
        assert!(matches!(
            doc.nodes[doc.root.unwrap()].kind,
            NodeKind::Map(_)
        ));
        // Odd length: go-yaml's message, no panic.
        let err = first_document(&[0xFF, 0xFE, b'a']).unwrap_err();
        assert_eq!(err.to_string(), "yaml: incomplete UTF-16 character");
    }

    #[test]
    fn tag_before_comma_in_flow_is_an_error_not_a_panic() {
        // Found by fuzzing (libyaml-safer 0.3 panicked in the fuzz build).
        // Helm says `yaml: line 1: did not find expected ',' or '}'`;
        // libyaml-safer reports end of stream. It must be an error, not a panic.
        assert!(first_document(b"{{!,'z").is_err());
        assert!(first_document(b"[!, a]\n").is_ok());
    }
}

//! The parse tree. Every node knows its byte position in the template text
//! and prints its source the way Go's `Node.String()` does (used in
//! `executing "x" at <...>` errors).

use std::fmt::{self, Write};

use crate::exec::Callee;

/// A byte offset into the template text.
pub type Pos = usize;

/// A sequence of nodes (a template body, or a branch of if/range/with).
#[derive(Debug, Default)]
pub struct ListNode {
    pub pos: Pos,
    pub nodes: Vec<Node>,
}

impl Drop for ListNode {
    fn drop(&mut self) {
        // Deeply nested templates make deeply nested trees: drop them on a
        // growable stack.
        let nodes = std::mem::take(&mut self.nodes);
        if !nodes.is_empty() {
            stacker::maybe_grow(64 * 1024, 1024 * 1024, move || drop(nodes));
        }
    }
}

/// A statement-level node.
#[derive(Debug)]
pub enum Node {
    /// Plain text, written as is.
    Text {
        pos: Pos,
        text: Box<str>,
    },
    /// `{{pipeline}}`.
    Action {
        pos: Pos,
        pipe: PipeNode,
    },
    /// `{{/* ... */}}` (kept only for completeness; comments are dropped).
    Comment {
        pos: Pos,
        text: Box<str>,
    },
    If(Box<BranchNode>),
    Range(Box<BranchNode>),
    With(Box<BranchNode>),
    /// `{{template "name" pipeline}}` (also what `{{block}}` becomes).
    Template {
        pos: Pos,
        name: Box<str>,
        pipe: Option<PipeNode>,
    },
    Break {
        pos: Pos,
    },
    Continue {
        pos: Pos,
    },
}

/// The common shape of if, range and with.
#[derive(Debug)]
pub struct BranchNode {
    pub pos: Pos,
    pub pipe: PipeNode,
    pub list: ListNode,
    pub else_list: Option<ListNode>,
}

/// A pipeline with optional variable declarations.
#[derive(Debug)]
pub struct PipeNode {
    pub pos: Pos,
    pub is_assign: bool,
    pub decl: Vec<VariableNode>,
    pub cmds: Vec<CommandNode>,
}

impl Drop for PipeNode {
    fn drop(&mut self) {
        let cmds = std::mem::take(&mut self.cmds);
        if !cmds.is_empty() {
            stacker::maybe_grow(64 * 1024, 1024 * 1024, move || drop(cmds));
        }
    }
}

/// One command of a pipeline: a function/method/field and its arguments.
#[derive(Debug)]
pub struct CommandNode {
    pub pos: Pos,
    pub args: Vec<Arg>,
}

/// `$x` or `$x.Field.Chain`.
#[derive(Debug, Clone)]
pub struct VariableNode {
    pub pos: Pos,
    pub ident: Vec<Box<str>>,
}

/// A parsed number constant, with every interpretation Go's parser keeps.
#[derive(Debug, Clone, Default)]
pub struct NumberNode {
    pub pos: Pos,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    pub complex: (f64, f64),
    pub text: Box<str>,
}

/// An operand.
#[derive(Debug)]
pub enum Arg {
    Field {
        pos: Pos,
        ident: Vec<Box<str>>,
    },
    Chain {
        pos: Pos,
        node: Box<Arg>,
        field: Vec<Box<str>>,
    },
    Identifier {
        pos: Pos,
        name: Box<str>,
        callee: Callee,
    },
    Variable(VariableNode),
    Dot {
        pos: Pos,
    },
    Nil {
        pos: Pos,
    },
    Bool {
        pos: Pos,
        val: bool,
    },
    Number(Box<NumberNode>),
    String {
        pos: Pos,
        quoted: Box<str>,
        text: std::sync::Arc<str>,
    },
    Pipe(Box<PipeNode>),
}

impl Arg {
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Field { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::String { pos, .. } => *pos,
            Arg::Variable(v) => v.pos,
            Arg::Number(n) => n.pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Text { pos, .. }
            | Node::Action { pos, .. }
            | Node::Comment { pos, .. }
            | Node::Template { pos, .. }
            | Node::Break { pos }
            | Node::Continue { pos } => *pos,
            Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
        }
    }
}

// ---- printing (Go's writeTo) ------------------------------------------

fn write_idents(f: &mut fmt::Formatter<'_>, idents: &[Box<str>], leading_dot: bool) -> fmt::Result {
    for (i, id) in idents.iter().enumerate() {
        if leading_dot || i > 0 {
            f.write_char('.')?;
        }
        f.write_str(id)?;
    }
    Ok(())
}

impl fmt::Display for VariableNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_idents(f, &self.ident, false)
    }
}

impl fmt::Display for PipeNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            if !self.decl.is_empty() {
                for (i, v) in self.decl.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str(if self.is_assign { " = " } else { " := " })?;
            }
            for (i, c) in self.cmds.iter().enumerate() {
                if i > 0 {
                    f.write_str(" | ")?;
                }
                write!(f, "{c}")?;
            }
            Ok(())
        })
    }
}

impl fmt::Display for CommandNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { ident, .. } => write_idents(f, ident, true),
            Arg::Chain { node, field, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                write_idents(f, field, true)
            }
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Variable(v) => write!(f, "{v}"),
            Arg::Dot { .. } => f.write_char('.'),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Bool { val, .. } => f.write_str(if *val { "true" } else { "false" }),
            Arg::Number(n) => f.write_str(&n.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl fmt::Display for ListNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match self {
            Node::Text { text, .. } => f.write_str(text),
            Node::Action { pipe, .. } => write!(f, "{{{{{pipe}}}}}"),
            Node::Comment { text, .. } => write!(f, "{{{{{text}}}}}"),
            Node::If(b) => write_branch(f, "if", b),
            Node::Range(b) => write_branch(f, "range", b),
            Node::With(b) => write_branch(f, "with", b),
            Node::Template { name, pipe, .. } => {
                write!(f, "{{{{template {}", crate::strconv::quote(name))?;
                if let Some(p) = pipe {
                    write!(f, " {p}")?;
                }
                f.write_str("}}")
            }
            Node::Break { .. } => f.write_str("{{break}}"),
            Node::Continue { .. } => f.write_str("{{continue}}"),
        })
    }
}

fn write_branch(f: &mut fmt::Formatter<'_>, name: &str, b: &BranchNode) -> fmt::Result {
    write!(f, "{{{{{name} {}}}}}{}", b.pipe, b.list)?;
    if let Some(e) = &b.else_list {
        write!(f, "{{{{else}}}}{e}")?;
    }
    f.write_str("{{end}}")
}

/// Go's `parse.IsEmptyTree`: only whitespace text and comments.
pub fn is_empty_list(l: &ListNode) -> bool {
    l.nodes.iter().all(|n| match n {
        Node::Text { text, .. } => text
            .trim_matches(|c: char| c.is_ascii_whitespace() || is_unicode_space(c))
            .is_empty(),
        Node::Comment { .. } => true,
        _ => false,
    })
}

/// `bytes.TrimSpace` trims Unicode white space (U+0085, U+00A0, ... too).
fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    ) || c == '\x0b'
        || c == '\x0c'
}

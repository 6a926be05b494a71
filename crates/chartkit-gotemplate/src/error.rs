//! Errors in Go's words, with spans kept for rich diagnostics.

use std::fmt;

/// A byte range in a template's source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `template: NAME:LINE: MESSAGE`
    Parse,
    /// `template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE`
    Exec,
    /// A resource limit (recursion depth, output size) was hit while executing.
    Limit,
    /// `template: no template "x" associated with template "y"` and similar.
    NotFound,
}

/// A template error. `Display` prints exactly what Go's text/template prints.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    /// The name of the template whose text contains the error.
    pub template: String,
    /// Where in that template's text, when known.
    pub span: Option<Span>,
    /// 1-based line and column (column counted in bytes, as Go does).
    pub line: usize,
    pub col: usize,
    /// The complete Go error text.
    pub go_message: String,
    /// The bare cause, without Go's location prefix.
    pub cause: String,
    /// What Go's error wraps with `%w` (only `error calling NAME: %w` does):
    /// the called function's error.
    pub wrapped: Option<Box<Wrapped>>,
}

/// A function's error wrapped inside an exec error.
#[derive(Clone, Debug, PartialEq)]
pub enum Wrapped {
    /// A plain error message.
    Message(String),
    /// A template error (from a nested execution such as Helm's `include`).
    Template(Error),
}

impl Error {
    /// The `Error()` texts along Go's `errors.Unwrap` chain, outermost first:
    /// what Helm walks to reformat execution errors. An `ExecError` and the
    /// error inside it print the same text, so each template level appears
    /// twice, as in Go.
    pub fn unwrap_chain(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = Some(self);
        while let Some(e) = current {
            out.push(e.go_message.clone());
            if e.kind != ErrorKind::Exec {
                break;
            }
            out.push(e.go_message.clone());
            current = match e.wrapped.as_deref() {
                Some(Wrapped::Template(inner)) => Some(inner),
                Some(Wrapped::Message(m)) => {
                    out.push(m.clone());
                    None
                }
                None => None,
            };
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.go_message)
    }
}

impl std::error::Error for Error {}

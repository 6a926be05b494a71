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
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.go_message)
    }
}

impl std::error::Error for Error {}

//! The one error type of this crate.
//!
//! Helm shows these messages to users verbatim, so [`Error`]'s `Display` is
//! exactly the text Go prints (for example
//! `error converting YAML to JSON: yaml: line 3: did not find expected key`).
//! The position, when one is known, is kept separately for linters.

use std::fmt;

/// What part of the pipeline failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The YAML text could not be scanned or parsed (go-yaml's syntax errors).
    Syntax,
    /// The YAML was well formed but could not be decoded (bad tag, alias
    /// loops, invalid map keys, excessive aliasing).
    Decode,
    /// The decoded YAML could not be represented as JSON (`.inf`, `.nan`,
    /// null or collection keys).
    Json,
    /// The document has the wrong shape for the requested target (a list
    /// where a map is expected).
    Type,
    /// A value could not be encoded (NaN in JSON, unsupported TOML shape).
    Encode,
    /// The document stream could not be split into documents.
    Reader,
}

/// A 1-based position in the input text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// 0-based character offset from the start of the input.
    pub offset: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// An error whose `Display` is the message Go/Helm prints.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    position: Option<Position>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            position: None,
        }
    }

    pub(crate) fn at(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    /// Prefixes the message the way Go's `fmt.Errorf("...: %w", err)` does.
    pub fn wrap(mut self, prefix: &str) -> Self {
        self.message = format!("{prefix}: {}", self.message);
        self
    }

    /// What failed.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The full message, as Go prints it.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the problem is, when known (syntax errors). This is the precise
    /// position; go-yaml's own message may name a different line (it reports
    /// parser errors with a 0-based line number, a long-standing quirk that
    /// the message reproduces).
    pub fn position(&self) -> Option<Position> {
        self.position
    }
}

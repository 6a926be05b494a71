//! Source texts by file name, with line indexes for offset ↔ line/column.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::Location;

/// One source text with the byte offsets where its lines start.
#[derive(Clone, Debug)]
pub struct SourceFile {
    text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Indexes `text`.
    pub fn new(text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { text, line_starts }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of lines (a trailing newline does not start a new line).
    pub fn line_count(&self) -> usize {
        let n = self.line_starts.len();
        if n > 1 && self.line_starts[n - 1] == self.text.len() {
            n - 1
        } else {
            n
        }
    }

    /// The byte range of 1-based `line`, without its newline.
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        if start > self.text.len() {
            return None;
        }
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e.saturating_sub(1));
        let end = end.max(start);
        // Tolerate CRLF.
        let end = if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        Some(start..end)
    }

    /// The text of 1-based `line`, without its newline.
    pub fn line(&self, line: usize) -> Option<&str> {
        self.line_range(line).and_then(|r| self.text.get(r))
    }

    /// 1-based (line, column in characters) of a byte offset (clamped).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts[idx];
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (idx + 1, col + 1)
    }

    /// The byte offset of 1-based (line, column in characters), clamped to the line.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(range) = self.line_range(line) else {
            return self.text.len();
        };
        let text = &self.text[range.clone()];
        let skip = column.saturating_sub(1);
        range.start + text.char_indices().nth(skip).map_or(text.len(), |(i, _)| i)
    }

    /// A [`Location`] in this file for a byte range.
    pub fn location(&self, file: &str, range: Range<usize>) -> Location {
        let (line, column) = self.line_col(range.start);
        Location {
            file: file.to_string(),
            line,
            column,
            range,
        }
    }

    /// A [`Location`] covering a whole line without its indentation.
    pub fn line_location(&self, file: &str, line: usize) -> Option<Location> {
        let range = self.line_range(line)?;
        let text = &self.text[range.clone()];
        let indent = text.len() - text.trim_start().len();
        let trimmed_end = text.trim_end().len().max(indent);
        let r = (range.start + indent)..(range.start + trimmed_end);
        Some(self.location(file, r))
    }
}

/// Every source a report may point into, by the file name used in
/// [`Location::file`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: BTreeMap<String, SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> &SourceFile {
        let name = name.into();
        self.files.insert(name.clone(), SourceFile::new(text));
        &self.files[&name]
    }

    /// The file called `name`.
    pub fn get(&self, name: &str) -> Option<&SourceFile> {
        self.files.get(name)
    }

    /// Merges another map into this one.
    pub fn extend(&mut self, other: SourceMap) {
        self.files.extend(other.files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let f = SourceFile::new("ab\nçd\n\nx");
        assert_eq!(f.line_count(), 4);
        assert_eq!(f.line(2), Some("çd"));
        assert_eq!(f.line(3), Some(""));
        assert_eq!(f.line(5), None);
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // `d` is byte 5 (ç is two bytes) but column 2.
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.offset(2, 2), 5);
        assert_eq!(f.offset(9, 1), f.text().len());
    }

    #[test]
    fn trailing_newline_and_crlf() {
        let f = SourceFile::new("a\r\nb\n");
        assert_eq!(f.line_count(), 2);
        assert_eq!(f.line(1), Some("a"));
        let loc = f.line_location("x", 2).unwrap();
        assert_eq!((loc.line, loc.column, loc.range), (2, 1, 3..4));
    }
}

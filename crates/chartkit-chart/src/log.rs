//! Log lines Helm writes to stderr while loading and coalescing, returned
//! as data so the CLI can print them where and when Helm does.

use std::fmt;

use crate::gofmt::{is_print, quote};

/// A slog level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `level=DEBUG` (Helm shows these only with `--debug`).
    Debug,
    /// `level=INFO` (also what Go's `log.Printf` becomes under Helm).
    Info,
    /// `level=WARN`
    Warn,
    /// `level=ERROR`
    Error,
}

/// One log record: a message and its attributes, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    /// Severity.
    pub level: Level,
    /// The message.
    pub msg: String,
    /// `key=value` attributes after the message.
    pub attrs: Vec<(String, String)>,
}

impl LogRecord {
    /// An INFO record without attributes (Go's `log.Printf` under Helm).
    pub fn info(msg: impl Into<String>) -> Self {
        LogRecord {
            level: Level::Info,
            msg: msg.into(),
            attrs: Vec::new(),
        }
    }

    /// A WARN record.
    pub fn warn(msg: impl Into<String>, attrs: &[(&str, String)]) -> Self {
        LogRecord {
            level: Level::Warn,
            msg: msg.into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }
}

/// slog's TextHandler quoting rule.
fn needs_quoting(s: &str) -> bool {
    s.is_empty()
        || s.chars().any(|c| {
            if c.is_ascii() {
                c != '\\' && (c == ' ' || c == '=' || c == '"' || (c as u32) < 0x20 || c == '\x7f')
            } else {
                c == '\u{FFFD}' || crate::gofmt::is_space(c) || !is_print(c)
            }
        })
}

fn write_value(f: &mut fmt::Formatter<'_>, v: &str) -> fmt::Result {
    if needs_quoting(v) {
        f.write_str(&quote(v))
    } else {
        f.write_str(v)
    }
}

/// Formats the record the way Helm's slog text handler prints it (without
/// the trailing newline): `level=WARN msg="this chart is deprecated"`.
impl fmt::Display for LogRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
        };
        write!(f, "level={level} msg=")?;
        write_value(f, &self.msg)?;
        for (k, v) in &self.attrs {
            write!(f, " {k}=")?;
            write_value(f, v)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slog_text() {
        assert_eq!(
            LogRecord::warn("this chart is deprecated", &[]).to_string(),
            "level=WARN msg=\"this chart is deprecated\""
        );
        assert_eq!(
            LogRecord::warn(
                "returned non-bool value",
                &[("path", "a.enabled".into()), ("chart", "x y".into())]
            )
            .to_string(),
            "level=WARN msg=\"returned non-bool value\" path=a.enabled chart=\"x y\""
        );
        assert_eq!(LogRecord::info("x").to_string(), "level=INFO msg=x");
    }
}

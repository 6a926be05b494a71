//! The diagnostic model: what a lint rule reports, independent of how it is
//! printed.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advice; never fails a run.
    Info,
    /// Convention or risk; fails a run only under `--strict`.
    Warning,
    /// The chart will not install or will misbehave; fails the run.
    Error,
}

impl Severity {
    /// The lowercase name (`info`, `warning`, `error`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning`/`warn` or `error` (any case).
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    /// Helm's bracketed name (`INFO`, `WARNING`, `ERROR`).
    pub fn helm_name(self) -> &'static str {
        match self {
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a source file: 1-based line and column (in characters) and
/// the byte range the finding covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file as the user should open it (relative to the working
    /// directory when the chart path was relative).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte range in the file's text (empty for a point).
    pub range: Range<usize>,
}

/// A span with an optional label. Exactly one label of a diagnostic should
/// be primary: the place the finding is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub location: Location,
    /// What to say there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The main span (carets) rather than context (dashes).
    pub primary: bool,
}

/// The Kubernetes object a finding is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRef {
    /// `apps/v1`.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    /// `StatefulSet`.
    pub kind: String,
    /// Empty when the object does not set one.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
}

impl fmt::Display for ObjectRef {
    /// `StatefulSet/ns/name`, or `StatefulSet/name` without a namespace.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The rule's stable id (`sts-service-headless`).
    pub rule: String,
    /// Effective severity (after configuration).
    pub severity: Severity,
    /// One-line (Helm rules: Helm's exact, possibly multi-line) message.
    pub message: String,
    /// Spans into the sources; the first primary one is the location.
    pub labels: Vec<Label>,
    /// The object the finding is about, for rendered-manifest rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    /// The field path inside the object (`spec.serviceName`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Why / what to look at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The path `helm lint` prints before the message (`templates/x.yaml`,
    /// `Chart.yaml`, `templates/`); set only for Helm's own rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helm_path: Option<String>,
    /// The value set this finding was rendered with (`ci/ha-values.yaml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_set: Option<String>,
    /// A file the finding is about when no span is known (`Chart.yaml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without location.
    pub fn new(rule: impl Into<String>, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            rule: rule.into(),
            severity,
            message: message.into(),
            labels: Vec::new(),
            object: None,
            field: None,
            help: None,
            fix: None,
            helm_path: None,
            value_set: None,
            file: None,
        }
    }

    /// Adds the primary label.
    pub fn with_primary(mut self, location: Location, message: Option<String>) -> Self {
        self.labels.push(Label {
            location,
            message,
            primary: true,
        });
        self
    }

    /// Adds a context label.
    pub fn with_context(mut self, location: Location, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            location,
            message: Some(message.into()),
            primary: false,
        });
        self
    }

    /// Sets the object.
    pub fn with_object(mut self, object: ObjectRef) -> Self {
        self.object = Some(object);
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the fix text.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// The primary location (the first primary label, else the first label).
    pub fn location(&self) -> Option<&Location> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or_else(|| self.labels.first())
            .map(|l| &l.location)
    }

    /// The file to report: the primary location's, else [`Diagnostic::file`].
    pub fn display_file(&self) -> Option<&str> {
        self.location()
            .map(|l| l.file.as_str())
            .or(self.file.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_order_and_names() {
        assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Error);
        assert_eq!(Severity::parse("WARN"), Some(Severity::Warning));
        assert_eq!(Severity::parse("fatal"), None);
        assert_eq!(Severity::Error.helm_name(), "ERROR");
    }

    #[test]
    fn object_ref_display() {
        let mut o = ObjectRef {
            api_version: "v1".into(),
            kind: "Service".into(),
            namespace: String::new(),
            name: "db".into(),
        };
        assert_eq!(o.to_string(), "Service/db");
        o.namespace = "ns".into();
        assert_eq!(o.to_string(), "Service/ns/db");
    }

    #[test]
    fn location_prefers_primary() {
        let loc = |line| Location {
            file: "f".into(),
            line,
            column: 1,
            range: 0..0,
        };
        let d = Diagnostic::new("r", Severity::Error, "m")
            .with_context(loc(1), "ctx")
            .with_primary(loc(2), None);
        assert_eq!(d.location().map(|l| l.line), Some(2));
        assert_eq!(d.display_file(), Some("f"));
    }
}

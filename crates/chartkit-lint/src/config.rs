//! `.chartkit.yaml`: rule selection, severity overrides, per-object
//! ignores (with a required reason), rules that cannot be suppressed, and
//! named value sets. The JSON schema is `schemas/chartkit-config.schema.json`.
//!
//! ```yaml
//! lint:
//!   include: [all]                 # rule ids, or "all" (default)
//!   exclude: [sts-anti-affinity]   # exclude wins over include
//!   severity: {latest-tag: error}
//!   relaxTestHooks: true
//!   unsuppressible: [sts-immutable-diff]
//!   ignore:
//!     - {kind: StatefulSet, name: db, rules: [sts-has-pdb], reason: "single replica in CI"}
//!   valueSets:
//!     - {name: ha, files: [ci/ha-values.yaml], set: [replicas=5]}
//! ```

use std::path::Path;

use chartkit_diagnostics::Severity;
use serde::Deserialize;

/// Rules no configuration or annotation can silence, unless the config
/// lists its own `unsuppressible` set (which replaces this one).
pub const DEFAULT_UNSUPPRESSIBLE: &[&str] = &["sts-immutable-diff", "duplicate-resource"];

/// Errors reading the config (usage errors: exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// Path.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The file is not valid YAML or has an unexpected shape.
    #[error("invalid config {path}: {message}")]
    Invalid {
        /// Path.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// One per-object ignore.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    /// Object kind (`StatefulSet`); `*` or absent for any.
    #[serde(default)]
    pub kind: Option<String>,
    /// Object name; `*` or absent for any.
    #[serde(default)]
    pub name: Option<String>,
    /// Namespace; absent for any.
    #[serde(default)]
    pub namespace: Option<String>,
    /// One rule id.
    #[serde(default)]
    pub rule: Option<String>,
    /// Several rule ids.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Why (required).
    pub reason: String,
}

impl Ignore {
    /// Whether this entry silences `rule` on the object.
    pub fn matches(&self, rule: &str, kind: &str, namespace: &str, name: &str) -> bool {
        let any = |o: &Option<String>, v: &str| o.as_deref().is_none_or(|x| x == "*" || x == v);
        let rule_ok = self.rule.as_deref() == Some(rule)
            || self.rules.iter().any(|r| r == rule || r == "*")
            || (self.rule.is_none() && self.rules.is_empty());
        rule_ok && any(&self.kind, kind) && any(&self.name, name) && any(&self.namespace, namespace)
    }
}

/// A named value set.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ValueSet {
    /// Name shown in reports.
    pub name: String,
    /// Values files, relative to the chart.
    #[serde(default)]
    pub files: Vec<String>,
    /// `--set` expressions.
    #[serde(default)]
    pub set: Vec<String>,
}

/// The `lint:` section.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LintConfig {
    /// Rule ids to run (`all` for every rule).
    #[serde(default = "all")]
    pub include: Vec<String>,
    /// Rule ids not to run (wins over include).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Severity overrides.
    #[serde(default)]
    pub severity: std::collections::BTreeMap<String, String>,
    /// Relax rules for `helm.sh/hook: test` objects (default true).
    #[serde(default = "yes")]
    pub relax_test_hooks: bool,
    /// Rules that ignores and annotations cannot silence.
    #[serde(default)]
    pub unsuppressible: Option<Vec<String>>,
    /// Per-object ignores.
    #[serde(default)]
    pub ignore: Vec<Ignore>,
    /// Named value sets (in addition to `ci/*-values.yaml`).
    #[serde(default)]
    pub value_sets: Vec<ValueSet>,
}

fn all() -> Vec<String> {
    vec!["all".into()]
}

fn yes() -> bool {
    true
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            include: all(),
            exclude: Vec::new(),
            severity: Default::default(),
            relax_test_hooks: true,
            unsuppressible: None,
            ignore: Vec::new(),
            value_sets: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    lint: Option<LintConfig>,
}

impl LintConfig {
    /// Parses the text of a `.chartkit.yaml`.
    pub fn parse(text: &str, path: &str) -> Result<LintConfig, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_string(),
            message,
        };
        let v = chartkit_yaml::from_yaml_str(text).map_err(|e| invalid(e.to_string()))?;
        let json = v.to_json_value();
        let json = if json.is_null() {
            serde_json::json!({})
        } else {
            json
        };
        let f: File = serde_json::from_value(json).map_err(|e| invalid(e.to_string()))?;
        let cfg = f.lint.unwrap_or_default();
        for (id, sev) in &cfg.severity {
            if Severity::parse(sev).is_none() {
                return Err(invalid(format!(
                    "severity of {id}: {sev:?} is not info, warning or error"
                )));
            }
        }
        for ig in &cfg.ignore {
            if ig.reason.trim().is_empty() {
                return Err(invalid("every ignore needs a non-empty reason".into()));
            }
        }
        Ok(cfg)
    }

    /// Reads `path`.
    pub fn load(path: &Path) -> Result<LintConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Whether `rule` runs.
    pub fn enabled(&self, rule: &str) -> bool {
        let included = self.include.iter().any(|r| r == "all" || r == rule);
        included && !self.exclude.iter().any(|r| r == rule)
    }

    /// The effective severity of `rule`.
    pub fn severity_of(&self, rule: &str, default: Severity) -> Severity {
        self.severity
            .get(rule)
            .and_then(|s| Severity::parse(s))
            .unwrap_or(default)
    }

    /// Whether `rule` may be suppressed.
    pub fn suppressible(&self, rule: &str) -> bool {
        match &self.unsuppressible {
            Some(list) => !list.iter().any(|r| r == rule),
            None => !DEFAULT_UNSUPPRESSIBLE.contains(&rule),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_select() {
        let cfg = LintConfig::parse(
            "lint:\n  exclude: [latest-tag]\n  severity: {sts-probes: error}\n  ignore:\n    - {kind: StatefulSet, name: db, rules: [sts-has-pdb], reason: ci}\n",
            "x",
        )
        .unwrap();
        assert!(cfg.enabled("sts-probes"));
        assert!(!cfg.enabled("latest-tag"));
        assert_eq!(
            cfg.severity_of("sts-probes", Severity::Warning),
            Severity::Error
        );
        assert!(cfg.ignore[0].matches("sts-has-pdb", "StatefulSet", "ns", "db"));
        assert!(!cfg.ignore[0].matches("sts-probes", "StatefulSet", "ns", "db"));
        assert!(!cfg.suppressible("sts-immutable-diff"));
    }

    #[test]
    fn exclude_wins_and_reasons_required() {
        let cfg = LintConfig::parse(
            "lint:\n  include: [latest-tag]\n  exclude: [latest-tag]\n",
            "x",
        )
        .unwrap();
        assert!(!cfg.enabled("latest-tag"));
        assert!(!cfg.enabled("sts-probes"));
        assert!(LintConfig::parse("lint:\n  ignore: [{kind: X, reason: \"\"}]\n", "x").is_err());
        assert!(LintConfig::parse("lint:\n  bogus: 1\n", "x").is_err());
        assert!(LintConfig::parse("", "x").unwrap().enabled("latest-tag"));
    }
}

//! Name rules: Helm's for charts, the plugin manifest's for plugins.

use crate::Error;

/// Longest chart name `helm create` accepts (`maxChartNameLength` in Helm's chartutil).
pub const MAX_CHART_NAME: usize = 250;

/// Longest plugin name (the manifest schema's `maxLength`, a DNS label).
pub const MAX_PLUGIN_NAME: usize = 63;

/// Checks a chart name the way `helm create` does (Helm v4 `chartutil.validateChartName`):
/// 1 to 250 characters from `[a-zA-Z0-9._-]`. chartkit also refuses `.` and `..`, which
/// Helm's pattern lets through but which name no new directory.
pub fn validate_chart_name(name: &str) -> Result<(), Error> {
    let bad = |reason: String| {
        Err(Error::InvalidChartName {
            name: name.to_string(),
            reason,
        })
    };
    if name.is_empty() || name.len() > MAX_CHART_NAME {
        return bad(format!(
            "chart name must be between 1 and {MAX_CHART_NAME} characters"
        ));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return bad("chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"".into());
    }
    if name == "." || name == ".." {
        return bad("chart name must name a new directory".into());
    }
    Ok(())
}

/// Checks a plugin name against the manifest's rule `^[a-z](-?[a-z0-9])*$`, at most 63
/// characters (the same rule `chartkit plugin build` applies to `chartkit-plugin.toml`).
pub fn validate_plugin_name(name: &str) -> Result<(), Error> {
    let bad = |reason: &str| {
        Err(Error::InvalidPluginName {
            name: name.to_string(),
            reason: reason.to_string(),
        })
    };
    if name.is_empty() || name.len() > MAX_PLUGIN_NAME {
        return bad("a plugin name has 1 to 63 characters");
    }
    let b = name.as_bytes();
    if !b[0].is_ascii_lowercase() {
        return bad("a plugin name starts with a lowercase letter");
    }
    if !b
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
    {
        return bad(
            "a plugin name has only lowercase letters, digits and '-' ([a-z](-?[a-z0-9])*)",
        );
    }
    if name.ends_with('-') || name.contains("--") {
        return bad("a plugin name has no trailing '-' and no '--' ([a-z](-?[a-z0-9])*)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_names_follow_helm() {
        // Accepted by Helm v4.1.4 `helm create` (its pattern: ^[a-zA-Z0-9._-]+$).
        for ok in [
            "mychart",
            "My_Chart.v2",
            "a",
            "0db",
            "etcd-operator",
            "x..y",
        ] {
            assert!(validate_chart_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "my chart", "chart/x", "ünicode", "a:b", ".", ".."] {
            assert!(validate_chart_name(bad).is_err(), "{bad:?}");
        }
        assert!(validate_chart_name(&"a".repeat(250)).is_ok());
        let e = validate_chart_name(&"a".repeat(251)).unwrap_err();
        assert!(e.to_string().contains("between 1 and 250"), "{e}");
        let e = validate_chart_name("a b").unwrap_err();
        assert!(e.to_string().contains("^[a-zA-Z0-9._-]+$"), "{e}");
    }

    #[test]
    fn plugin_names_follow_the_manifest() {
        for ok in ["etcd", "a", "cassandra-4", "x1-y2"] {
            assert!(validate_plugin_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "Etcd", "1etcd", "etcd-", "et--cd", "et_cd", "et.cd", "-x",
        ] {
            assert!(validate_plugin_name(bad).is_err(), "{bad:?}");
        }
        assert!(validate_plugin_name(&"a".repeat(63)).is_ok());
        assert!(validate_plugin_name(&"a".repeat(64)).is_err());
    }
}

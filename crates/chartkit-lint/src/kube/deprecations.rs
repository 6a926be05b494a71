//! The API lifecycle of every kind k8s.io/api v0.35.1 registers with a
//! deprecation (the library Helm v4.1.4 links), and Helm's deprecation
//! check and message built from it (`k8s.io/apiserver` `deprecation`).

/// One row of the lifecycle table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    /// `apps/v1beta2`.
    pub api_version: &'static str,
    /// `StatefulSet`.
    pub kind: &'static str,
    /// Deprecated in (major, minor); (0, 0) for never.
    pub deprecated: (u32, u32),
    /// No longer served from (major, minor); (0, 0) for unknown.
    pub removed: (u32, u32),
    /// What to use instead.
    pub replacement: Option<(&'static str, &'static str)>,
}

include!("deprecations_table.rs");

/// The lifecycle row of an apiVersion/kind, if it has one.
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static Lifecycle> {
    LIFECYCLE
        .iter()
        .find(|l| l.api_version == api_version && l.kind == kind)
}

/// Helm's `validateNoDeprecations`: the warning text when `api_version`
/// `kind` is deprecated at `current` (major, minor).
pub fn deprecation_message(api_version: &str, kind: &str, current: (u32, u32)) -> Option<String> {
    if api_version.is_empty() || kind.is_empty() {
        return None;
    }
    let l = lookup(api_version, kind)?;
    if l.deprecated == (0, 0) {
        return None;
    }
    if current != (0, 0) && l.deprecated > current {
        return None;
    }
    let mut msg = format!(
        "{api_version} {kind} is deprecated in v{}.{}+",
        l.deprecated.0, l.deprecated.1
    );
    if l.removed != (0, 0) {
        msg.push_str(&format!(
            ", unavailable in v{}.{}+",
            l.removed.0, l.removed.1
        ));
    }
    if let Some((gv, k)) = l.replacement {
        msg.push_str(&format!("; use {gv} {k}"));
    }
    Some(msg)
}

/// True when the API is no longer served at `current`.
pub fn is_removed(api_version: &str, kind: &str, current: (u32, u32)) -> bool {
    lookup(api_version, kind).is_some_and(|l| l.removed != (0, 0) && l.removed <= current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_helm() {
        // Output of reference Helm v4.1.4 `helm lint` (tests/lint/helm-oracle).
        assert_eq!(
            deprecation_message("apps/v1beta2", "StatefulSet", (1, 35)).unwrap(),
            "apps/v1beta2 StatefulSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 StatefulSet"
        );
        assert_eq!(
            deprecation_message("extensions/v1beta1", "Ingress", (1, 35)).unwrap(),
            "extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress"
        );
        assert_eq!(
            deprecation_message("policy/v1beta1", "PodDisruptionBudget", (1, 20)),
            None
        );
        assert!(deprecation_message("apps/v1", "StatefulSet", (1, 35)).is_none());
        assert!(is_removed("extensions/v1beta1", "Ingress", (1, 22)));
        assert!(!is_removed("extensions/v1beta1", "Ingress", (1, 21)));
    }
}

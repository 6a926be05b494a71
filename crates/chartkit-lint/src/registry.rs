//! The rule registry: one static [`RuleMeta`] per rule (declared in the
//! rule's own file with [`declare_rule!`]) and one table, [`RULES`], that
//! lists them all. Docs (`docs/lint-rules.md`, `--list-rules`, SARIF rule
//! descriptions) are generated from this table.

use chartkit_diagnostics::{RuleInfo, Severity};

use crate::context::{Ctx, Findings};
use crate::rules;

/// What a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Chart source: Chart.yaml, values, schema, template text.
    Chart,
    /// Rendered manifests.
    Rendered,
    /// The diff against a previous render (`--previous`).
    Upgrade,
}

impl Scope {
    /// `C`, `R` or `U` as in LINT-RULES.md.
    pub fn letter(self) -> &'static str {
        match self {
            Scope::Chart => "C",
            Scope::Rendered => "R",
            Scope::Upgrade => "U",
        }
    }
}

/// Where a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// `helm lint`'s own rules, with Helm's messages.
    Helm,
    /// StatefulSet, Service and storage rules.
    Workload,
    /// Values and schema rules.
    Values,
}

impl Group {
    /// Section title in the docs.
    pub fn title(self) -> &'static str {
        match self {
            Group::Helm => "Helm parity",
            Group::Workload => "StatefulSet, Service and storage",
            Group::Values => "Values and schema",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id.
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// What it looks at.
    pub scope: Scope,
    /// Its family.
    pub group: Group,
    /// One line.
    pub summary: &'static str,
    /// What it does / Why is this bad / Example / Fix (markdown).
    pub docs: &'static str,
}

/// Declares a rule's [`RuleMeta`] as `pub static RULE`, taking its docs
/// from the doc comment.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        id: $id:literal,
        severity: $sev:ident,
        scope: $scope:ident,
        group: $group:ident,
        summary: $summary:literal $(,)?
    ) => {
        $(#[doc = $doc])*
        pub static RULE: $crate::registry::RuleMeta = $crate::registry::RuleMeta {
            id: $id,
            severity: chartkit_diagnostics::Severity::$sev,
            scope: $crate::registry::Scope::$scope,
            group: $crate::registry::Group::$group,
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
        };
    };
}

/// A check over a lint context. Helm's rules have none: the Helm driver
/// runs them in Helm's order.
pub type CheckFn = fn(&Ctx<'_>, &mut Findings);

/// A registry entry.
pub struct Rule {
    /// Identity and docs.
    pub meta: &'static RuleMeta,
    /// The check (None for Helm's rules and external ones).
    pub check: Option<CheckFn>,
}

macro_rules! helm {
    ($($m:ident),* $(,)?) => { [$(Rule { meta: &rules::helm::$m::RULE, check: None }),*] };
}
macro_rules! own {
    ($($m:ident),* $(,)?) => { [$(Rule { meta: &rules::$m::RULE, check: Some(rules::$m::check) }),*] };
}

/// Helm's rules, in the order `helm lint` runs them.
pub static HELM_RULES: &[Rule] = &helm![
    chart_yaml_not_dir,
    chart_yaml_parse,
    chart_yaml_strict,
    chart_name,
    chart_api_version,
    chart_version_type,
    chart_version,
    chart_app_version_type,
    chart_maintainers,
    chart_sources,
    chart_icon_present,
    chart_icon_url,
    chart_type_v2,
    chart_dependencies_v2,
    chart_version_semver_v2,
    values_file_exists,
    values_file_valid,
    templates_dir_exists,
    templates_dir_valid,
    chart_load,
    values_render,
    template_render,
    template_extension,
    template_top_indent,
    template_yaml_parse,
    metadata_name,
    deprecated_api,
    workload_selector_present,
    list_resource_policy,
    dependencies_load,
    dependency_in_metadata,
    dependencies_unique,
    dependency_in_charts_dir,
    crds_dir,
    crd_yaml_parse,
    crd_api_version,
    crd_kind,
];

/// chartkit's own rules.
pub static OWN_RULES: &[Rule] = &own![
    sts_service_exists,
    sts_service_headless,
    sts_service_selects_pods,
    sts_selector_matches_template,
    selector_no_volatile_labels,
    vct_no_volatile_labels,
    sts_immutable_diff,
    vct_mounted,
    volumemount_resolves,
    vct_storage_request,
    vct_storageclass,
    pvc_retention_policy,
    standalone_pvc_keep,
    headless_publish_not_ready,
    service_targetport_resolves,
    probe_port_exists,
    ordered_ready_quorum_deadlock,
    sts_rollout_trap,
    sts_has_pdb,
    pdb_not_blocking,
    pdb_quorum_safe,
    quorum_odd_replicas,
    sts_anti_affinity,
    sts_resources,
    sts_probes,
    termination_grace,
    fsgroup_vs_chown,
    workload_selector_overlap,
    latest_tag,
    duplicate_resource,
    privileged_container,
    values_schema_valid,
    values_yaml11_keys,
    schema_validate_rendered,
    render_capabilities,
];

/// Every rule: Helm's, then chartkit's.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    HELM_RULES.iter().chain(OWN_RULES.iter())
}

/// The rule with `id`.
pub fn find(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.meta.id == id)
}

/// SARIF / docs descriptions of every rule.
pub fn rule_infos() -> Vec<RuleInfo> {
    all()
        .map(|r| RuleInfo {
            id: r.meta.id.to_string(),
            summary: r.meta.summary.to_string(),
            severity: r.meta.severity,
            docs: r.meta.docs.to_string(),
        })
        .collect()
}

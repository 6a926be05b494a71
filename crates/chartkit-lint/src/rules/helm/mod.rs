//! Helm's own lint rules (Helm v4.1.4 `pkg/chart/v2/lint/rules`), one per
//! file. Their checks live in [`crate::helm`], which runs them in Helm's
//! order with Helm's guard clauses; these files hold each rule's identity
//! and documentation.

pub mod chart_api_version;
pub mod chart_app_version_type;
pub mod chart_dependencies_v2;
pub mod chart_icon_present;
pub mod chart_icon_url;
pub mod chart_load;
pub mod chart_maintainers;
pub mod chart_name;
pub mod chart_sources;
pub mod chart_type_v2;
pub mod chart_version;
pub mod chart_version_semver_v2;
pub mod chart_version_type;
pub mod chart_yaml_not_dir;
pub mod chart_yaml_parse;
pub mod chart_yaml_strict;
pub mod crd_api_version;
pub mod crd_kind;
pub mod crd_yaml_parse;
pub mod crds_dir;
pub mod dependencies_load;
pub mod dependencies_unique;
pub mod dependency_in_charts_dir;
pub mod dependency_in_metadata;
pub mod deprecated_api;
pub mod list_resource_policy;
pub mod metadata_name;
pub mod template_extension;
pub mod template_render;
pub mod template_top_indent;
pub mod template_yaml_parse;
pub mod templates_dir_exists;
pub mod templates_dir_valid;
pub mod values_file_exists;
pub mod values_file_valid;
pub mod values_render;
pub mod workload_selector_present;

//! One rule per file. Each file declares its [`RULE`](crate::registry::RuleMeta)
//! (id, default severity, docs) and, except Helm's rules, its `check`.

pub mod helm;

pub mod duplicate_resource;
pub mod fsgroup_vs_chown;
pub mod headless_publish_not_ready;
pub mod latest_tag;
pub mod ordered_ready_quorum_deadlock;
pub mod pdb_not_blocking;
pub mod pdb_quorum_safe;
pub mod privileged_container;
pub mod probe_port_exists;
pub mod pvc_retention_policy;
pub mod quorum_odd_replicas;
pub mod render_capabilities;
pub mod schema_validate_rendered;
pub mod selector_no_volatile_labels;
pub mod service_targetport_resolves;
pub mod standalone_pvc_keep;
pub mod sts_anti_affinity;
pub mod sts_has_pdb;
pub mod sts_immutable_diff;
pub mod sts_probes;
pub mod sts_resources;
pub mod sts_rollout_trap;
pub mod sts_selector_matches_template;
pub mod sts_service_exists;
pub mod sts_service_headless;
pub mod sts_service_selects_pods;
pub mod termination_grace;
pub mod values_schema_valid;
pub mod values_yaml11_keys;
pub mod vct_mounted;
pub mod vct_no_volatile_labels;
pub mod vct_storage_request;
pub mod vct_storageclass;
pub mod volumemount_resolves;
pub mod workload_selector_overlap;

//! The in-memory chart: what Helm's `chart/v2.Chart` holds.

use std::time::SystemTime;

use chartkit_yaml::Mapping;

use crate::metadata::{Lock, Metadata};

/// A file of a chart, with its path relative to the chart root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Slash-separated path relative to the chart root (`templates/x.yaml`).
    pub name: String,
    /// Modification time, when known.
    pub mod_time: Option<SystemTime>,
    /// Contents (a leading UTF-8 BOM already removed).
    pub data: Vec<u8>,
}

/// A loaded chart and, recursively, its subcharts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chart {
    /// Every file the chart was loaded from, in load order (not subcharts').
    pub raw: Vec<File>,
    /// Chart.yaml (plus requirements.yaml for apiVersion v1 charts).
    pub metadata: Metadata,
    /// Chart.lock or requirements.lock, if present.
    pub lock: Option<Lock>,
    /// Everything under `templates/`, in load order.
    pub templates: Vec<File>,
    /// values.yaml (all its documents merged); empty when absent.
    pub values: Mapping,
    /// values.schema.json, if present.
    pub schema: Option<Vec<u8>>,
    /// Every other file (`.Files`): README, crds/, files under charts/
    /// ending in `.prov`, requirements files of v1 charts, `.helmignore`...
    pub files: Vec<File>,
    /// Modification time of Chart.yaml.
    pub mod_time: Option<SystemTime>,
    /// Subcharts. After loading: every chart found under `charts/`, sorted
    /// by directory or archive name. After dependency processing: only the
    /// enabled ones, aliased copies included, in Helm's order.
    pub dependencies: Vec<Chart>,
}

impl Chart {
    /// The chart's name (`metadata.name`; the alias after dependency processing).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// `type: library`.
    pub fn is_library(&self) -> bool {
        self.metadata.chart_type == "library"
    }

    /// This chart and every subchart, depth first (a chart before its
    /// dependencies), each with its Helm "full path" used in template names
    /// and `# Source:` lines: `parent/charts/child/charts/grandchild`.
    pub fn walk(&self) -> Vec<(String, &Chart)> {
        let mut out = Vec::new();
        fn go<'a>(c: &'a Chart, path: String, out: &mut Vec<(String, &'a Chart)>) {
            out.push((path.clone(), c));
            for d in &c.dependencies {
                go(d, format!("{path}/charts/{}", d.name()), out);
            }
        }
        go(self, self.name().to_string(), &mut out);
        out
    }

    /// CRD files of this chart and its subcharts (`crds/*.yaml|yml|json`,
    /// case-insensitive extension), each with its full file name
    /// (`chart/charts/sub/crds/x.yaml`), in Helm's order: the chart's own
    /// files first, then each dependency's.
    pub fn crd_objects(&self) -> Vec<(String, &File)> {
        let mut out = Vec::new();
        fn go<'a>(c: &'a Chart, path: &str, out: &mut Vec<(String, &'a File)>) {
            for f in &c.files {
                if f.name.starts_with("crds/") && has_manifest_extension(&f.name) {
                    out.push((format!("{path}/{}", f.name), f));
                }
            }
            for d in &c.dependencies {
                go(d, &format!("{path}/charts/{}", d.name()), out);
            }
        }
        go(self, self.name(), &mut out);
        out
    }
}

fn has_manifest_extension(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    match base.rfind('.') {
        Some(i) => {
            let ext = base[i..].to_ascii_lowercase();
            ext == ".yaml" || ext == ".yml" || ext == ".json"
        }
        None => false,
    }
}

//! `chartkit create NAME [--engine X]`: a datastore chart that plain Helm renders — headless
//! Service (publishNotReadyAddresses), client Service, StatefulSet (Parallel, probes,
//! resources, security contexts, soft anti-affinity, mounted volumeClaimTemplates), a
//! PodDisruptionBudget that keeps the majority, NOTES.txt, values.schema.json, .helmignore —
//! with the engine's seeds computed from `replicas` in the templates, and the `chartkit.dev/*`
//! annotations that wire in its engine plugin. Modelled on chartkit's charts/.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use minijinja::{Value, context};

use crate::template::{Source, tpl};
use crate::{Error, GeneratedFile, names, write};

/// The engine a chart runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Elasticsearch 8: `discovery.seed_hosts` and bootstrap `cluster.initial_master_nodes`.
    Elasticsearch,
    /// Consul servers: `-bootstrap-expect` and one `-retry-join` per member.
    Consul,
    /// A MongoDB replica set: `--replSet`, members listed for `rs.initiate`.
    Mongodb,
    /// Any engine: `SEED_HOSTS` lists every member's `<host>:<peer port>`; the image, engine
    /// and plugin are the chart's name (lowercased, `[a-z0-9-]`). Pairs with a plugin from `chartkit plugin new NAME` (same seeds).
    Generic,
}

impl Engine {
    /// Every engine.
    pub const ALL: [Engine; 4] = [
        Engine::Elasticsearch,
        Engine::Consul,
        Engine::Mongodb,
        Engine::Generic,
    ];

    /// The name used on the command line and in `chartkit.dev/engine`.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Elasticsearch => "elasticsearch",
            Engine::Consul => "consul",
            Engine::Mongodb => "mongodb",
            Engine::Generic => "generic",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an [`Engine`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown engine {0:?} (elasticsearch, consul, mongodb, generic)")]
pub struct UnknownEngine(pub String);

impl FromStr for Engine {
    type Err = UnknownEngine;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Engine::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| UnknownEngine(s.to_string()))
    }
}

/// A container port: name, value as written in the templates, protocol.
fn port(name: &'static str, value: &'static str, protocol: &'static str) -> Value {
    context! { name => name, port_value => value, protocol => protocol }
}

/// What differs between engines, as template variables.
fn profile(engine: Engine, name: &str) -> Value {
    match engine {
        Engine::Elasticsearch => context! {
            engine_title => "Elasticsearch",
            engine_name => "elasticsearch",
            plugin => "elasticsearch",
            description => "Elasticsearch cluster as a StatefulSet: discovery seeds and bootstrap masters computed from replicas",
            image => "docker.elastic.co/elasticsearch/elasticsearch",
            app_version => "8.15.3",
            container => "elasticsearch",
            ports => vec![port("http", "9200", "TCP"), port("transport", "9300", "TCP")],
            client_port => context! { name => "http", port_value => "9200", local => "9200" },
            data_path => "/usr/share/elasticsearch/data",
            uid => 1000, gid => 1000,
            cpu => "500m", memory => "2Gi", grace => 120,
        },
        Engine::Consul => context! {
            engine_title => "Consul",
            engine_name => "consul",
            plugin => "consul",
            description => "Consul servers as a StatefulSet: -bootstrap-expect and -retry-join computed from replicas",
            image => "hashicorp/consul",
            app_version => "1.20.2",
            container => "consul",
            ports => vec![
                port("server", "8300", "TCP"),
                port("serflan", "8301", "TCP"),
                port("serflan-udp", "8301", "UDP"),
                port("http", "8500", "TCP"),
            ],
            client_port => context! { name => "http", port_value => "8500", local => "8500" },
            data_path => "/consul/data",
            uid => 100, gid => 1000,
            cpu => "250m", memory => "512Mi", grace => 60,
        },
        Engine::Mongodb => context! {
            engine_title => "MongoDB",
            engine_name => "mongodb",
            plugin => "mongodb",
            description => "MongoDB replica set as a StatefulSet: members computed from replicas",
            image => "mongo",
            app_version => "8.0.4",
            container => "mongod",
            ports => vec![port("mongodb", "27017", "TCP")],
            client_port => context! { name => "mongodb", port_value => "27017", local => "27017" },
            data_path => "/data/db",
            uid => 999, gid => 999,
            cpu => "250m", memory => "1Gi", grace => 60,
        },
        Engine::Generic => context! {
            engine_title => name,
            engine_name => container_name(name),
            plugin => container_name(name),
            description => format!("{name} as a StatefulSet: SEED_HOSTS computed from replicas"),
            image => container_name(name),
            app_version => "1.0.0",
            container => container_name(name),
            ports => vec![
                port("peer", "{{ .Values.ports.peer }}", "TCP"),
                port("client", "{{ .Values.ports.client }}", "TCP"),
            ],
            client_port => context! {
                name => "client",
                port_value => "{{ .Values.ports.client }}",
                local => "{{ .Values.ports.client }}",
            },
            data_path => "/data",
            uid => 1000, gid => 1000,
            cpu => "250m", memory => "512Mi", grace => 60,
        },
    }
}

/// A container name (a DNS label) from a chart name: lowercase, `[a-z0-9-]`, at most 63.
fn container_name(chart: &str) -> String {
    let mut s: String = chart
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.truncate(63);
    let s = s.trim_matches('-');
    if s.is_empty() {
        "engine".to_string()
    } else {
        s.to_string()
    }
}

const SOURCES: &[Source] = &[
    tpl!("Chart.yaml", "chart/Chart.yaml.j2"),
    tpl!("values.yaml", "chart/values.yaml.j2"),
    tpl!("values.schema.json", "chart/values.schema.json.j2"),
    tpl!(".helmignore", "chart/helmignore.j2"),
    tpl!("templates/_helpers.tpl", "chart/templates/_helpers.tpl.j2"),
    tpl!(
        "templates/service-headless.yaml",
        "chart/templates/service-headless.yaml.j2"
    ),
    tpl!("templates/service.yaml", "chart/templates/service.yaml.j2"),
    tpl!(
        "templates/statefulset.yaml",
        "chart/templates/statefulset.yaml.j2"
    ),
    tpl!("templates/pdb.yaml", "chart/templates/pdb.yaml.j2"),
    tpl!(
        "templates/serviceaccount.yaml",
        "chart/templates/serviceaccount.yaml.j2"
    ),
    tpl!("templates/NOTES.txt", "chart/templates/NOTES.txt.j2"),
];

/// The files of a new chart named `name` for `engine`, in memory.
pub fn chart_files(name: &str, engine: Engine) -> Result<Vec<GeneratedFile>, Error> {
    names::validate_chart_name(name)?;
    let ctx = context! {
        name => name,
        engine => engine.as_str(),
        ..profile(engine, name)
    };
    crate::template::render(SOURCES, &ctx)
}

/// Writes a new chart into `dest` (absent or empty), named `name` — `helm create`'s
/// convention is `dest`'s last component. Also creates the empty `charts/` directory as
/// `helm create` does. Returns the files written.
pub fn create_chart(dest: &Path, name: &str, engine: Engine) -> Result<Vec<PathBuf>, Error> {
    let files = chart_files(name, engine)?;
    write::write_tree(dest, &files, &["charts"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
        &files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .contents
    }

    #[test]
    fn every_engine_renders_without_leftover_delimiters() {
        for engine in Engine::ALL {
            let files = chart_files("db", engine).unwrap();
            assert_eq!(files.len(), SOURCES.len());
            for f in &files {
                for d in ["<<", ">>", "<%", "%>", "<#", "#>"] {
                    assert!(!f.contents.contains(d), "{engine} {}: {d}", f.path);
                }
            }
            let chart = file(&files, "Chart.yaml");
            assert!(chart.contains("name: db\n"), "{chart}");
            let sts = file(&files, "templates/statefulset.yaml");
            assert!(sts.contains("podManagementPolicy: Parallel"), "{engine}");
            assert!(sts.contains("{{- include \"db.validate\" . }}"), "{engine}");
        }
    }

    #[test]
    fn engines_wire_their_plugin() {
        let files = chart_files("search", Engine::Elasticsearch).unwrap();
        assert!(file(&files, "Chart.yaml").contains("chartkit.dev/plugin: elasticsearch\n"));
        let files = chart_files("kv", Engine::Generic).unwrap();
        let chart = file(&files, "Chart.yaml");
        assert!(chart.contains("chartkit.dev/engine: kv\n"), "{chart}");
        assert!(chart.contains("chartkit.dev/plugin: kv\n"), "{chart}");
    }

    #[test]
    fn schema_is_json() {
        // Structural check without a JSON parser: balanced braces and no trailing commas.
        for engine in Engine::ALL {
            let files = chart_files("db", engine).unwrap();
            let schema = file(&files, "values.schema.json");
            let compact: String = schema.split_whitespace().collect();
            assert!(
                !compact.contains(",}") && !compact.contains(",]"),
                "{engine}"
            );
            assert_eq!(
                schema.matches('{').count(),
                schema.matches('}').count(),
                "{engine}"
            );
        }
    }

    #[test]
    fn container_names_are_labels() {
        assert_eq!(container_name("My_Chart.v2"), "my-chart-v2");
        assert_eq!(container_name("..."), "engine");
    }

    #[test]
    fn refuses_helm_invalid_names() {
        assert!(matches!(
            chart_files("my chart", Engine::Generic),
            Err(Error::InvalidChartName { .. })
        ));
    }
}

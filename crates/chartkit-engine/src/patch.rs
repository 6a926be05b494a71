//! Applying a plugin's `configure` result to the engine container.
//!
//! - `env`: a variable of the same name is replaced (its `valueFrom` too),
//!   otherwise the variable is appended.
//! - `config` entries become environment variables named by their key (the
//!   convention of the Elasticsearch and most engine images: `discovery.seed_hosts`),
//!   lists joined with commas; bootstrap-only entries are left out on upgrades.
//! - `args`: the plugin's arguments are read as flags (`-k=v`, `--k v`, `-k`)
//!   and positional words. Every flag the plugin sets replaces all
//!   occurrences of that flag in the container's `args`, at the place of the
//!   first one (or at the end); a positional word is appended when missing.
//!
//! So applying the same result twice changes nothing the second time, and a
//! chart whose templates already agree with the plugin keeps its bytes.

use chartkit_plugin_host::{ConfigValue, MemberConfig};
use chartkit_render::manifest::Manifest;
use chartkit_yaml::{Mapping, Value};

/// Applies `config` to container `container` of the StatefulSet `m`;
/// returns whether the manifest changed (then its content is re-serialized).
pub fn apply(
    m: &mut Manifest,
    container: usize,
    config: &MemberConfig,
    is_upgrade: bool,
) -> Result<bool, String> {
    let mut doc = chartkit_yaml::from_yaml_str(&m.content).map_err(|e| e.to_string())?;
    let c = container_mut(&mut doc, container)
        .ok_or("the engine container is not a mapping in spec.template.spec.containers")?;
    let mut wanted_env: Vec<(String, String)> =
        config.env.iter().map(|e| (e.name.clone(), e.value.clone())).collect();
    for entry in &config.config {
        if entry.bootstrap_only && is_upgrade {
            continue;
        }
        wanted_env.push((entry.key.clone(), config_text(&entry.value)));
    }
    let mut changed = set_env(c, &wanted_env)?;
    changed |= set_args(c, &config.args)?;
    if changed {
        m.content = serialize(doc)?;
    }
    Ok(changed)
}

fn container_mut(doc: &mut Value, index: usize) -> Option<&mut Mapping> {
    let mut cur = doc;
    for key in ["spec", "template", "spec", "containers"] {
        match cur {
            Value::Map(m) => cur = m.get_mut(key)?,
            _ => return None,
        }
    }
    match cur {
        Value::Seq(items) => match items.get_mut(index)? {
            Value::Map(m) => Some(m),
            _ => None,
        },
        _ => None,
    }
}

fn config_text(v: &ConfigValue) -> String {
    match v {
        ConfigValue::Text(s) => s.clone(),
        ConfigValue::Integer(i) => i.to_string(),
        ConfigValue::Boolean(b) => b.to_string(),
        ConfigValue::TextList(items) => items.join(","),
    }
}

fn set_env(c: &mut Mapping, wanted: &[(String, String)]) -> Result<bool, String> {
    if wanted.is_empty() {
        return Ok(false);
    }
    let env = c.entry("env".to_string()).or_insert_with(|| Value::Seq(Vec::new()));
    if matches!(env, Value::Null) {
        *env = Value::Seq(Vec::new());
    }
    let Value::Seq(items) = env else {
        return Err("the engine container's env is not a list".into());
    };
    let mut changed = false;
    for (name, value) in wanted {
        let existing = items.iter_mut().find_map(|item| match item {
            Value::Map(m) if matches!(m.get("name"), Some(Value::String(n)) if n == name) => Some(m),
            _ => None,
        });
        match existing {
            Some(m) => {
                let same = matches!(m.get("value"), Some(Value::String(v)) if v == value)
                    && !m.contains_key("valueFrom");
                if !same {
                    m.remove("valueFrom");
                    m.insert("value".into(), Value::String(value.clone()));
                    changed = true;
                }
            }
            None => {
                let mut m = Mapping::new();
                m.insert("name".into(), Value::String(name.clone()));
                m.insert("value".into(), Value::String(value.clone()));
                items.push(Value::Map(m));
                changed = true;
            }
        }
    }
    Ok(changed)
}

/// A flag with its value, or a positional word.
#[derive(Clone, Debug, PartialEq)]
struct Unit {
    /// `-k`/`--k` for flags, `None` for positional words.
    key: Option<String>,
    words: Vec<String>,
}

fn is_flag(word: &str) -> bool {
    word.starts_with('-') && word.len() > 1 && !word[1..].starts_with(|c: char| c.is_ascii_digit())
}

/// Groups arguments into flags (`-k=v`; `--k v` when the next word is not a
/// flag; `-k`) and positional words.
fn units(args: &[String]) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let word = &args[i];
        if !is_flag(word) {
            out.push(Unit { key: None, words: vec![word.clone()] });
            i += 1;
            continue;
        }
        if let Some((k, _)) = word.split_once('=') {
            out.push(Unit { key: Some(k.to_string()), words: vec![word.clone()] });
            i += 1;
            continue;
        }
        match args.get(i + 1) {
            Some(next) if !is_flag(next) => {
                out.push(Unit { key: Some(word.clone()), words: vec![word.clone(), next.clone()] });
                i += 2;
            }
            _ => {
                out.push(Unit { key: Some(word.clone()), words: vec![word.clone()] });
                i += 1;
            }
        }
    }
    out
}

fn set_args(c: &mut Mapping, wanted: &[String]) -> Result<bool, String> {
    if wanted.is_empty() {
        return Ok(false);
    }
    let current: Vec<String> = match c.get("args") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Seq(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Int(i) => Ok(i.to_string()),
                Value::Float(f) => Ok(chartkit_yaml::go_format_float(*f)),
                Value::Bool(b) => Ok(b.to_string()),
                _ => Err("the engine container's args hold a non-scalar".to_string()),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("the engine container's args are not a list".into()),
    };
    let mut have = units(&current);
    let want = units(wanted);
    let mut keys: Vec<&str> = Vec::new();
    for u in &want {
        if let Some(k) = &u.key
            && !keys.contains(&k.as_str())
        {
            keys.push(k);
        }
    }
    for key in keys {
        let new: Vec<Unit> = want.iter().filter(|u| u.key.as_deref() == Some(key)).cloned().collect();
        let old: Vec<Unit> = have.iter().filter(|u| u.key.as_deref() == Some(key)).cloned().collect();
        if old == new {
            continue;
        }
        let at = have.iter().position(|u| u.key.as_deref() == Some(key)).unwrap_or(have.len());
        have.retain(|u| u.key.as_deref() != Some(key));
        let at = at.min(have.len());
        have.splice(at..at, new);
    }
    for u in want.iter().filter(|u| u.key.is_none()) {
        if !have.contains(u) {
            have.push(u.clone());
        }
    }
    let next: Vec<String> = have.into_iter().flat_map(|u| u.words).collect();
    if next == current {
        return Ok(false);
    }
    c.insert("args".into(), Value::Seq(next.into_iter().map(Value::String).collect()));
    Ok(true)
}

/// Helm's `toYaml` of the document, with whole numbers written as integers
/// (the YAML → JSON conversion made every number a float, and `1e+06` is
/// not an integer to the Kubernetes API).
pub fn serialize(doc: Value) -> Result<String, String> {
    let doc = integers(doc);
    let text = chartkit_yaml::to_yaml(&doc).map_err(|e| e.to_string())?;
    Ok(text.trim_end().to_string())
}

fn integers(v: Value) -> Value {
    match v {
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::Int(f as i64),
        Value::Seq(items) => Value::Seq(items.into_iter().map(integers).collect()),
        Value::Map(m) => Value::Map(m.into_iter().map(|(k, v)| (k, integers(v))).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn args_after(current: &[&str], wanted: &[&str]) -> (Vec<String>, bool) {
        let mut c = Mapping::new();
        c.insert("args".into(), Value::Seq(current.iter().map(|a| Value::String(a.to_string())).collect()));
        let changed = set_args(&mut c, &s(wanted)).unwrap();
        let Some(Value::Seq(items)) = c.get("args") else { panic!("args") };
        let out = items.iter().map(|v| match v { Value::String(s) => s.clone(), _ => panic!() }).collect();
        (out, changed)
    }

    #[test]
    fn flags_replace_every_occurrence_in_place() {
        let (out, changed) = args_after(
            &["agent", "-server", "-bootstrap-expect=1", "-retry-join=a", "-datacenter=dc1"],
            &["-bootstrap-expect=3", "-retry-join=a", "-retry-join=b", "-retry-join=c"],
        );
        assert!(changed);
        assert_eq!(
            out,
            s(&["agent", "-server", "-bootstrap-expect=3", "-retry-join=a", "-retry-join=b", "-retry-join=c", "-datacenter=dc1"])
        );
        // Applying it again is a no-op.
        let again: Vec<&str> = out.iter().map(String::as_str).collect();
        let (out2, changed2) = args_after(&again, &["-bootstrap-expect=3", "-retry-join=a", "-retry-join=b", "-retry-join=c"]);
        assert!(!changed2);
        assert_eq!(out2, out);
    }

    #[test]
    fn separate_flag_values_are_one_unit() {
        let (out, changed) =
            args_after(&["mongod", "--replSet", "old", "--bind_ip_all", "--port", "27017"], &["--replSet", "rs0", "--bind_ip_all"]);
        assert!(changed);
        assert_eq!(out, s(&["mongod", "--replSet", "rs0", "--bind_ip_all", "--port", "27017"]));
        let (_, changed) =
            args_after(&["mongod", "--replSet", "rs0", "--bind_ip_all"], &["--replSet", "rs0", "--bind_ip_all"]);
        assert!(!changed);
    }

    #[test]
    fn env_is_replaced_not_appended() {
        let mut c = Mapping::new();
        let var = |n: &str, v: &str| {
            let mut m = Mapping::new();
            m.insert("name".into(), Value::String(n.into()));
            m.insert("value".into(), Value::String(v.into()));
            Value::Map(m)
        };
        c.insert("env".into(), Value::Seq(vec![var("A", "1"), var("discovery.seed_hosts", "x")]));
        let wanted = vec![("discovery.seed_hosts".to_string(), "y".to_string()), ("B".into(), "2".into())];
        assert!(set_env(&mut c, &wanted).unwrap());
        assert_eq!(c.get("env"), Some(&Value::Seq(vec![var("A", "1"), var("discovery.seed_hosts", "y"), var("B", "2")])));
        assert!(!set_env(&mut c, &wanted).unwrap());
    }

    #[test]
    fn whole_numbers_stay_integers() {
        let doc = chartkit_yaml::from_yaml_str("spec:\n  replicas: 3\n  fsGroup: 1000000\n  ratio: 0.5\n").unwrap();
        assert_eq!(serialize(doc).unwrap(), "spec:\n  fsGroup: 1000000\n  ratio: 0.5\n  replicas: 3");
    }
}

//! Helm's `ProcessDependencies`: which subcharts are enabled (conditions,
//! tags, aliases) and `import-values`, in Helm v4's order. Data only: no
//! template is rendered here.

use chartkit_yaml::Mapping;
use chartkit_yaml::Value;

use crate::chart::Chart;
use crate::gofmt::fmt_v;
use crate::log::LogRecord;
use crate::metadata::Dependency;
use crate::semver::is_compatible_range;
use crate::values::{
    CoalesceError, GMap, GV, Printer, coalesce_gv, coalesce_tables_full_key, deep_copy, map_from,
    map_to, new_map, path_value, table,
};

/// Runs Helm's dependency processing on a loaded chart with the user's
/// values (what `helm template` does before rendering):
/// 1. for every chart, subcharts matching a `dependencies` entry (name and
///    version constraint) are replaced by copies named after the alias;
///    entries' `name` becomes their alias;
/// 2. `tags` then `condition` (first resolvable path wins; paths are
///    relative to the chart's place in the values tree) decide `enabled`;
///    disabled subcharts and entries are removed, recursively;
/// 3. `import-values` are applied bottom-up, and every chart's `values`
///    become its defaults merged with its subcharts' (Helm's `MergeValues`).
///
/// Log lines Helm prints along the way are appended to `logs`.
pub fn process_dependencies(
    chart: &mut Chart,
    user_values: &Mapping,
    logs: &mut Vec<LogRecord>,
) -> Result<(), CoalesceError> {
    let v = map_from(user_values);
    process_dependency_enabled(chart, &v, "", logs)?;
    process_dependency_import_values(chart, logs);
    Ok(())
}

fn get_alias_dependency(charts: &[Chart], dep: &Dependency) -> Option<Chart> {
    for c in charts {
        if c.name() != dep.name {
            continue;
        }
        if !is_compatible_range(&dep.version, &c.metadata.version) {
            continue;
        }
        let mut out = c.clone();
        if !dep.alias.is_empty() {
            out.metadata.name = dep.alias.clone();
        }
        return Some(out);
    }
    None
}

fn process_dependency_enabled(
    c: &mut Chart,
    v: &GMap,
    path: &str,
    logs: &mut Vec<LogRecord>,
) -> Result<(), CoalesceError> {
    let Some(reqs) = c.metadata.dependencies.as_mut() else {
        return Ok(());
    };
    let existing = std::mem::take(&mut c.dependencies);
    let mut chart_dependencies: Vec<Chart> = Vec::new();
    for e in &existing {
        let matched = reqs
            .iter()
            .flatten()
            .any(|r| e.name() == r.name && is_compatible_range(&r.version, &e.metadata.version));
        if !matched {
            chart_dependencies.push(e.clone());
        }
    }
    for req in reqs.iter_mut().flatten() {
        if let Some(cd) = get_alias_dependency(&existing, req) {
            chart_dependencies.push(cd);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    drop(existing);
    c.dependencies = chart_dependencies;
    for r in reqs.iter_mut().flatten() {
        r.enabled = true;
    }

    let cvals = coalesce_gv(c, v, false, logs)?;
    let reqs = c
        .metadata
        .dependencies
        .as_mut()
        .into_iter()
        .flatten()
        .flatten();
    let mut reqs: Vec<&mut Dependency> = reqs.collect();
    process_dependency_tags(&mut reqs, &cvals, logs);
    process_dependency_conditions(&mut reqs, &cvals, path, logs);
    let rm: std::collections::BTreeSet<String> = reqs
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();

    let mut cd: Vec<Chart> = std::mem::take(&mut c.dependencies)
        .into_iter()
        .filter(|d| !rm.contains(d.name()))
        .collect();
    let cd_metadata: Vec<Option<Dependency>> = c
        .metadata
        .dependencies
        .take()
        .into_iter()
        .flatten()
        .filter(|d| d.as_ref().is_none_or(|d| !rm.contains(&d.name)))
        .collect();
    for t in &mut cd {
        let subpath = format!("{path}{}.", t.name());
        process_dependency_enabled(t, &cvals, &subpath, logs)?;
    }
    // Go appends to a nil slice: no entries left means no list at all.
    c.metadata.dependencies = if cd_metadata.is_empty() {
        None
    } else {
        Some(cd_metadata)
    };
    c.dependencies = cd;
    Ok(())
}

fn process_dependency_tags(reqs: &mut [&mut Dependency], cvals: &GMap, logs: &mut Vec<LogRecord>) {
    let Ok(vt) = table(cvals, "tags") else { return };
    for r in reqs.iter_mut() {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            let b = vt.borrow().get(k).cloned();
            if let Some(b) = b {
                match b {
                    GV::Bool(true) => has_true = true,
                    GV::Bool(false) => has_false = true,
                    _ => logs.push(LogRecord::warn(
                        "returned non-bool value",
                        &[("tag", k.clone()), ("chart", r.name.clone())],
                    )),
                }
            }
        }
        if !has_true && has_false {
            r.enabled = false;
        } else {
            r.enabled = true;
        }
    }
}

fn process_dependency_conditions(
    reqs: &mut [&mut Dependency],
    cvals: &GMap,
    cpath: &str,
    logs: &mut Vec<LogRecord>,
) {
    for r in reqs.iter_mut() {
        let cond = r
            .condition
            .trim_matches(|c: char| crate::gofmt::is_space(c))
            .to_string();
        for c in cond.split(',') {
            if c.is_empty() {
                continue;
            }
            match path_value(cvals, &format!("{cpath}{c}")) {
                Ok(GV::Bool(b)) => {
                    r.enabled = b;
                    break;
                }
                Ok(_) => logs.push(LogRecord::warn(
                    "returned non-bool value",
                    &[("path", c.to_string()), ("chart", r.name.clone())],
                )),
                Err(true) => {}
                Err(false) => logs.push(LogRecord::warn(
                    "the method PathValue returned error",
                    &[("error", "YAML path cannot be empty".to_string())],
                )),
            }
        }
    }
}

fn path_to_map(path: &str, data: GMap) -> GMap {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let m = new_map();
        m.borrow_mut().insert(part.to_string(), GV::Map(cur));
        cur = m;
    }
    cur
}

fn merge_tables(logs: &mut Vec<LogRecord>, dst: &GMap, src: &GMap) {
    coalesce_tables_full_key(&mut Printer { logs }, dst, src, "", true);
}

fn process_import_values(c: &mut Chart, logs: &mut Vec<LogRecord>) {
    if c.metadata.dependencies.is_none() {
        return;
    }
    // MergeValues(c, nil) cannot fail: the type mismatch it could report
    // needs user values, and there are none here.
    let cvals = match coalesce_gv(c, &new_map(), true, logs) {
        Ok(v) => v,
        Err(_) => return,
    };
    let b = new_map();
    for r in c.metadata.dependencies.iter_mut().flatten().flatten() {
        let mut outiv = Vec::new();
        for riv in &r.import_values {
            match riv {
                Value::Map(iv) => {
                    let show = |k: &str| iv.get(k).map_or("<nil>".to_string(), fmt_v);
                    let child = show("child");
                    let parent = show("parent");
                    outiv.push(Value::Map(Mapping::from([
                        ("child".to_string(), Value::String(child.clone())),
                        ("parent".to_string(), Value::String(parent.clone())),
                    ])));
                    match table(&cvals, &format!("{}.{child}", r.name)) {
                        Ok(vv) => merge_tables(logs, &b, &path_to_map(&parent, vv)),
                        Err(e) => logs.push(LogRecord::warn(
                            "ImportValues missing table from chart",
                            &[("chart", r.name.clone()), ("error", e)],
                        )),
                    }
                }
                Value::String(iv) => {
                    let child = format!("exports.{iv}");
                    outiv.push(Value::Map(Mapping::from([
                        ("child".to_string(), Value::String(child.clone())),
                        ("parent".to_string(), Value::String(".".into())),
                    ])));
                    match table(&cvals, &format!("{}.{child}", r.name)) {
                        Ok(vm) => merge_tables(logs, &b, &vm),
                        Err(e) => logs.push(LogRecord::warn(
                            "ImportValues missing table",
                            &[("error", e)],
                        )),
                    }
                }
                _ => {}
            }
        }
        r.import_values = outiv;
    }
    let cvals = deep_copy(&cvals);
    merge_tables(logs, &cvals, &b);
    c.values = map_to(&cvals);
}

fn process_dependency_import_values(c: &mut Chart, logs: &mut Vec<LogRecord>) {
    for d in &mut c.dependencies {
        process_dependency_import_values(d, logs);
    }
    process_import_values(c, logs);
}

/// Helm's `CheckDependencies` for `helm template`: every declared
/// dependency must be present under `charts/` (by name; aliases are not
/// considered). Returns Helm's full message on failure.
pub fn check_dependencies(chart: &Chart) -> Result<(), String> {
    let missing: Vec<&str> = chart
        .metadata
        .dependency_list()
        .filter(|r| !chart.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    ))
}

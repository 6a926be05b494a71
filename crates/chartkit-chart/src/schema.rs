//! values.schema.json validation for a chart and its subcharts, with
//! Helm's error text (santhosh-tekuri/jsonschema v6 messages:
//! `- at '/port': maximum: got 70,000, want 65,535`).
//!
//! Validation itself is done by the `jsonschema` crate (draft 2020-12 by
//! default, `format` asserted only for older drafts, as in Helm). Its flat
//! error list is regrouped by instance location the way santhosh-tekuri
//! nests them: a location with several failures becomes
//! `- at '/x': validation failed` with the failures indented under it.

use std::collections::BTreeMap;

use chartkit_yaml::{Mapping, Value};
use jsonschema::error::{TypeKind, ValidationErrorKind};

use crate::chart::Chart;
use crate::gofmt::format_g;

/// Validates `values` (the coalesced values of `chart`) against the
/// chart's schema and, recursively, each subchart's values against its
/// own. Returns Helm's per-chart report (what follows
/// `values don't meet the specifications of the schema(s) in the following chart(s):\n`),
/// or `None` when everything validates.
pub fn validate_against_schema(chart: &Chart, values: &Mapping) -> Option<String> {
    let mut sb = String::new();
    if let Some(schema) = &chart.schema
        && let Err(e) = validate_single(values, schema)
    {
        sb.push_str(&format!("{}:\n", chart.name()));
        sb.push_str(&e);
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Null) => continue,
            Some(Value::Map(m)) => {
                if let Some(e) = validate_against_schema(sub, m) {
                    sb.push_str(&e);
                }
            }
            Some(other) => sb.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                crate::gofmt::type_name(other)
            )),
        }
    }
    if sb.is_empty() { None } else { Some(sb) }
}

/// Validates values against one schema document. `Err` holds the text
/// Helm prints for that chart (ending in a newline for validation
/// failures, as Helm's does).
pub fn validate_single(values: &Mapping, schema: &[u8]) -> Result<(), String> {
    let schema_json: serde_json::Value =
        serde_json::from_slice(strip_bom(schema)).map_err(|e| {
            e.to_string()
                .split(" at line")
                .next()
                .unwrap_or("")
                .to_string()
        })?;
    let validator = jsonschema::options()
        .build(&schema_json)
        .map_err(|e| format!("jsonschema: invalid schema: {e}"))?;
    let instance = Value::Map(values.clone()).to_json_value();
    let mut errors: Vec<Item> = Vec::new();
    for e in validator.iter_errors(&instance) {
        collect(&e, &instance, &mut errors);
    }
    if errors.is_empty() {
        return Ok(());
    }
    let mut out = String::new();
    render_group(&errors, 0, &mut out);
    Ok::<(), String>(()).and(Err(format!("{}\n", out.trim_start_matches('\n'))))
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(b)
}

/// One error, as santhosh-tekuri would report it.
#[derive(Debug, Clone)]
struct Item {
    path: Vec<String>,
    msg: String,
    /// Evaluation order of the keyword within one location.
    rank: u8,
    /// Nested causes (anyOf/oneOf branches).
    causes: Vec<Vec<Item>>,
}

fn quote_s(s: &str) -> String {
    let q = crate::gofmt::quote(s);
    let inner = &q[1..q.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

fn json_ptr(path: &[String]) -> String {
    path.iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// `%v`/`%d` through golang.org/x/text's English printer: thousands separators.
fn num_en(f: f64) -> String {
    let s = format_g(f);
    if s.contains('e') {
        return s;
    }
    let (sign, rest) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(a, b)| (a, Some(b)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

fn json_num(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

fn display(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => quote_s(s),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => "value".into(),
        serde_json::Value::Null => "<nil>".into(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map_or_else(|| format_g(n.as_f64().unwrap_or(0.0)), |i| i.to_string()),
    }
}

fn type_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

fn lookup<'v>(root: &'v serde_json::Value, path: &[String]) -> Option<&'v serde_json::Value> {
    let mut cur = root;
    for p in path {
        cur = match cur {
            serde_json::Value::Object(m) => m.get(p)?,
            serde_json::Value::Array(a) => a.get(p.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn collect(e: &jsonschema::ValidationError<'_>, root: &serde_json::Value, out: &mut Vec<Item>) {
    let path: Vec<String> = e
        .instance_path()
        .into_iter()
        .map(|seg| match seg {
            jsonschema::paths::LocationSegment::Property(p) => p.to_string(),
            jsonschema::paths::LocationSegment::Index(i) => i.to_string(),
        })
        .collect();
    let inst = lookup(root, &path)
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    let count = |v: &serde_json::Value| -> usize {
        match v {
            serde_json::Value::Object(m) => m.len(),
            serde_json::Value::Array(a) => a.len(),
            serde_json::Value::String(s) => s.chars().count(),
            _ => 0,
        }
    };
    let mk = |msg: String, rank: u8| Item {
        path: path.clone(),
        msg,
        rank,
        causes: Vec::new(),
    };
    let branches = |ctx: &Vec<Vec<jsonschema::ValidationError<'static>>>| -> Vec<Vec<Item>> {
        ctx.iter()
            .map(|errs| {
                let mut items = Vec::new();
                for e in errs {
                    collect(e, root, &mut items);
                }
                items
            })
            .collect()
    };
    let item = match e.kind() {
        ValidationErrorKind::Type { kind } => {
            let want: Vec<String> = match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(set) => {
                    let names: Vec<String> = set.iter().map(|t| t.to_string()).collect();
                    [
                        "null", "boolean", "number", "integer", "string", "array", "object",
                    ]
                    .iter()
                    .filter(|n| names.iter().any(|x| x == *n))
                    .map(|s| s.to_string())
                    .collect()
                }
            };
            mk(
                format!("got {}, want {}", type_of(&inst), want.join(" or ")),
                0,
            )
        }
        ValidationErrorKind::Constant { expected_value } => match &**expected_value {
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                mk("const failed".into(), 1)
            }
            v => mk(format!("value must be {}", display(v)), 1),
        },
        ValidationErrorKind::Enum { options } => {
            let opts = options.as_array().cloned().unwrap_or_default();
            if opts.iter().any(|o| o.is_array() || o.is_object()) {
                mk("enum failed".into(), 2)
            } else if opts.len() == 1 {
                mk(format!("value must be {}", display(&opts[0])), 2)
            } else {
                let shown: Vec<String> = opts.iter().map(display).collect();
                mk(format!("value must be one of {}", shown.join(", ")), 2)
            }
        }
        ValidationErrorKind::Format { format } => {
            mk(format!("{} is not valid {format}", display(&inst)), 3)
        }
        ValidationErrorKind::MinProperties { limit } => mk(
            format!(
                "minProperties: got {}, want {}",
                num_en(count(&inst) as f64),
                num_en(*limit as f64)
            ),
            10,
        ),
        ValidationErrorKind::MaxProperties { limit } => mk(
            format!(
                "maxProperties: got {}, want {}",
                num_en(count(&inst) as f64),
                num_en(*limit as f64)
            ),
            11,
        ),
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| property.to_string());
            // Grouped with other missing properties of the same object below.
            mk(format!("\u{0}required\u{0}{}", quote_s(&name)), 12)
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let mut u = unexpected.clone();
            u.sort();
            let shown: Vec<String> = u.iter().map(|s| quote_s(s)).collect();
            mk(
                format!("additional properties {} not allowed", shown.join(", ")),
                60,
            )
        }
        ValidationErrorKind::MinItems { limit } => mk(
            format!(
                "minItems: got {}, want {}",
                num_en(count(&inst) as f64),
                num_en(*limit as f64)
            ),
            20,
        ),
        ValidationErrorKind::MaxItems { limit } => mk(
            format!(
                "maxItems: got {}, want {}",
                num_en(count(&inst) as f64),
                num_en(*limit as f64)
            ),
            21,
        ),
        ValidationErrorKind::UniqueItems => {
            let arr = inst.as_array().cloned().unwrap_or_default();
            let mut pair = (0, 0);
            'outer: for i in 0..arr.len() {
                for j in i + 1..arr.len() {
                    if arr[i] == arr[j] {
                        pair = (i, j);
                        break 'outer;
                    }
                }
            }
            mk(format!("items at {} and {} are equal", pair.0, pair.1), 22)
        }
        ValidationErrorKind::AdditionalItems { limit } => mk(
            format!(
                "last {} additionalItem(s) not allowed",
                count(&inst).saturating_sub(*limit)
            ),
            61,
        ),
        ValidationErrorKind::Contains => mk("no items match contains schema".into(), 62),
        ValidationErrorKind::MinLength { limit } => mk(
            format!(
                "minLength: got {}, want {}",
                num_en(count(&inst) as f64),
                num_en(*limit as f64)
            ),
            30,
        ),
        ValidationErrorKind::MaxLength { limit } => mk(
            format!(
                "maxLength: got {}, want {}",
                num_en(count(&inst) as f64),
                num_en(*limit as f64)
            ),
            31,
        ),
        ValidationErrorKind::Pattern { pattern } => mk(
            format!(
                "{} does not match pattern {}",
                quote_s(inst.as_str().unwrap_or("")),
                quote_s(pattern)
            ),
            32,
        ),
        ValidationErrorKind::Minimum { limit } => mk(
            format!(
                "minimum: got {}, want {}",
                num_en(json_num(&inst)),
                num_en(json_num(limit))
            ),
            40,
        ),
        ValidationErrorKind::Maximum { limit } => mk(
            format!(
                "maximum: got {}, want {}",
                num_en(json_num(&inst)),
                num_en(json_num(limit))
            ),
            41,
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => mk(
            format!(
                "exclusiveMinimum: got {}, want {}",
                num_en(json_num(&inst)),
                num_en(json_num(limit))
            ),
            42,
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => mk(
            format!(
                "exclusiveMaximum: got {}, want {}",
                num_en(json_num(&inst)),
                num_en(json_num(limit))
            ),
            43,
        ),
        ValidationErrorKind::MultipleOf { multiple_of } => mk(
            format!(
                "multipleOf: got {}, want {}",
                num_en(json_num(&inst)),
                num_en(*multiple_of)
            ),
            44,
        ),
        ValidationErrorKind::Not { .. } => mk("not failed".into(), 70),
        ValidationErrorKind::AnyOf { context } => Item {
            causes: branches(context),
            ..mk("anyOf failed".into(), 72)
        },
        ValidationErrorKind::OneOfNotValid { context } => Item {
            causes: branches(context),
            ..mk("oneOf failed, none matched".into(), 73)
        },
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            mk("oneOf failed, subschemas 0, 1 matched".into(), 73)
        }
        ValidationErrorKind::FalseSchema => mk("false schema".into(), 5),
        ValidationErrorKind::PropertyNames { error } => {
            let name = error.instance().as_str().unwrap_or("").to_string();
            mk(format!("invalid propertyName {}", quote_s(&name)), 63)
        }
        ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for u in unexpected {
                let mut p = path.clone();
                p.push(u.clone());
                out.push(Item {
                    path: p,
                    msg: "false schema".into(),
                    rank: 5,
                    causes: Vec::new(),
                });
            }
            return;
        }
        ValidationErrorKind::UnevaluatedItems { unexpected } => {
            for u in unexpected {
                let mut p = path.clone();
                p.push(u.clone());
                out.push(Item {
                    path: p,
                    msg: "false schema".into(),
                    rank: 5,
                    causes: Vec::new(),
                });
            }
            return;
        }
        other => mk(format!("{other:?}"), 90),
    };
    out.push(item);
}

/// Merges the per-property `required` errors of one object into one, as
/// santhosh-tekuri reports them.
fn merge_required(items: &[Item]) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for it in items {
        if let Some(name) = it.msg.strip_prefix("\u{0}required\u{0}") {
            if let Some(prev) = out.iter_mut().find(|p| p.rank == 12 && p.path == it.path) {
                prev.msg = match prev.msg.strip_prefix("missing property ") {
                    Some(first) => format!("missing properties {first}, {name}"),
                    None => format!("{}, {name}", prev.msg),
                };
                continue;
            }
            out.push(Item {
                msg: format!("missing property {name}"),
                ..it.clone()
            });
        } else {
            out.push(it.clone());
        }
    }
    out
}

/// Renders errors grouped along instance locations, santhosh-tekuri style.
fn render_group(items: &[Item], depth: usize, out: &mut String) {
    let items = merge_required(items);
    render_node(&items, &[], depth, out, true);
}

fn render_node(items: &[Item], at: &[String], depth: usize, out: &mut String, root: bool) {
    // Entries at this location, and children holding errors below it.
    let mut own: Vec<&Item> = items.iter().filter(|i| i.path.as_slice() == at).collect();
    own.sort_by_key(|i| i.rank);
    // type, const, enum and format failures end validation at a location.
    if let Some(first) = own.first()
        && first.rank <= 3
    {
        emit(first, depth.max(1), out);
        return;
    }
    let mut children: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for i in items
        .iter()
        .filter(|i| i.path.len() > at.len() && i.path.starts_with(at))
    {
        children
            .entry(i.path[at.len()].clone())
            .or_default()
            .push(i.clone());
    }
    let count = own.len() + children.len();
    let (d, next) = if count > 1 && !root {
        line(out, depth, at, "validation failed");
        (depth + 1, depth + 1)
    } else {
        (depth.max(if root { 1 } else { depth }), depth)
    };
    let _ = next;
    let d = if root { d.max(1) } else { d };
    for o in own.iter().filter(|o| o.rank < 50) {
        emit(o, d, out);
    }
    for (k, child) in &children {
        let mut p = at.to_vec();
        p.push(k.clone());
        render_node(child, &p, d, out, false);
    }
    for o in own.iter().filter(|o| o.rank >= 50) {
        emit(o, d, out);
    }
}

fn emit(item: &Item, depth: usize, out: &mut String) {
    line(out, depth, &item.path, &item.msg);
    for branch in &item.causes {
        let branch = merge_required(branch);
        if branch.len() == 1 {
            emit(&branch[0], depth + 1, out);
        } else if !branch.is_empty() {
            render_node(&branch, &item.path, depth + 1, out, false);
        }
    }
}

fn line(out: &mut String, depth: usize, path: &[String], msg: &str) {
    out.push('\n');
    for _ in 0..depth.saturating_sub(1) {
        out.push_str("  ");
    }
    out.push_str("- ");
    out.push_str(&format!("at {}: {msg}", quote_s(&json_ptr(path))));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_numbers() {
        assert_eq!(num_en(70000.0), "70,000");
        assert_eq!(num_en(65535.0), "65,535");
        assert_eq!(num_en(1234.5), "1,234.5");
        assert_eq!(num_en(-5.0), "-5");
    }
}

//! Helm's template engine (`pkg/engine`): one template set for the whole
//! chart tree, values scoped per chart, Helm's own functions injected, and
//! its error messages rebuilt from text/template's.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chartkit_gotemplate::{
    Error as TemplateError, ErrorKind, Func, FuncError, FuncMap, GoType, Map, Signature,
    TemplateSet, Value,
};

use crate::files::Files;

/// One chart of the (already dependency-processed) tree, as the engine sees it.
#[derive(Clone, Debug)]
pub struct ChartNode {
    /// The chart's name (an alias has already replaced it).
    pub name: String,
    /// `.Chart`: the metadata as a map with Go field names, `IsRoot` included.
    pub metadata: Map,
    /// Library charts contribute only their `_` templates.
    pub is_library: bool,
    /// `.Files`.
    pub files: Files,
    /// Templates by path relative to the chart (`templates/x.yaml`), with text.
    pub templates: Vec<(String, String)>,
    pub dependencies: Vec<ChartNode>,
}

/// Errors in Helm's words (without the `Error: ` prefix the CLI adds).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// `parse error at (c/templates/x.yaml:3): function "env" not defined`
    #[error("{message}")]
    Parse { message: String, source_error: Box<TemplateError> },
    /// `execution error at (c/templates/x.yaml:1:3): need foo`, or the
    /// multi-line trace Helm builds for nested template errors.
    #[error("{message}")]
    Exec { message: String, source_error: Box<TemplateError> },
}

impl EngineError {
    /// The underlying template error, with its span, for rich diagnostics.
    pub fn template_error(&self) -> &TemplateError {
        match self {
            EngineError::Parse { source_error, .. } | EngineError::Exec { source_error, .. } => {
                source_error
            }
        }
    }
}

const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";
const RECURSION_MAX: usize = 1000;
/// The name of the root template, which `tpl` texts are parsed under.
const ROOT_TEMPLATE: &str = "gotpl";

fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

struct Renderable {
    text: String,
    /// The chart's context map (shared by all its templates, as in Helm).
    vals: Map,
    base_path: String,
}

/// Renders every template of the tree. Returns rendered text by template
/// path (`chart/templates/x.yaml`), `_` partials excluded, with every
/// `<no value>` removed as Helm does.
///
/// `top` holds `Release` and `Capabilities`; `values` is the coalesced
/// values tree of the root chart. `base_funcs` are Sprig's plus Helm's
/// context-free functions; this adds include, tpl, required, fail, lookup
/// and getHostByName.
pub fn render(
    root: &ChartNode,
    values: &Value,
    release: &Value,
    capabilities: &Value,
    base_funcs: &FuncMap,
) -> Result<BTreeMap<String, String>, EngineError> {
    let mut renderables = BTreeMap::new();
    collect(root, true, "", values, release, capabilities, &mut renderables);

    let mut funcs = base_funcs.clone();
    add_engine_funcs(&mut funcs);
    let mut set = TemplateSet::new(funcs);
    set.set_name(ROOT_TEMPLATE);
    set.set_missing_key(chartkit_gotemplate::MissingKey::Zero);

    let order = sorted_template_names(renderables.keys().map(String::as_str));
    // Parsing is independent per file and the largest part of rendering a
    // chart with a big library (bitnami common): spread it over the cores.
    let texts: Vec<(&str, &str)> =
        order.iter().map(|name| (name.as_str(), renderables[name.as_str()].text.as_str())).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    set.parse_many(&texts, threads).map_err(|(i, e)| cleanup_parse_error(texts[i].0, e))?;

    let mut rendered = BTreeMap::new();
    for name in &order {
        if base_name(name).starts_with('_') {
            continue;
        }
        let r = &renderables[name.as_str()];
        let template: Map = [
            ("Name".to_string(), Value::string(name.as_str())),
            ("BasePath".to_string(), Value::string(r.base_path.as_str())),
        ]
        .into_iter()
        .collect();
        r.vals.insert("Template", Value::Map(template));
        let out = set
            .execute(name, &Value::Map(r.vals.clone()))
            .map_err(|e| reformat_exec_error(name, e))?;
        rendered.insert(name.clone(), out.replace("<no value>", ""));
    }
    Ok(rendered)
}

/// Helm's `recAllTpls`: builds each chart's context and collects its
/// templates under `<chart full path>/<template path>`. Returns the
/// chart's context (what `.Subcharts.<name>` holds in the parent).
fn collect(
    chart: &ChartNode,
    is_root: bool,
    parent_path: &str,
    parent_values: &Value,
    release: &Value,
    capabilities: &Value,
    out: &mut BTreeMap<String, Renderable>,
) -> Map {
    let subcharts = Map::new();
    let next = Map::new();
    next.insert("Chart", Value::Map(chart.metadata.clone()));
    next.insert("Files", chart.files.to_value());
    next.insert("Release", release.clone());
    next.insert("Capabilities", capabilities.clone());
    next.insert("Subcharts", Value::Map(subcharts.clone()));
    // The root sees all values; a subchart the table under its name, or an
    // empty map when there is none (`values.Table("Values.<name>")`).
    let scoped = if is_root {
        parent_values.clone()
    } else {
        match parent_values.as_map().and_then(|m| m.get(&chart.name)) {
            Some(v @ Value::Map(_)) => v,
            _ => Value::Map(Map::new()),
        }
    };
    next.insert("Values", scoped.clone());

    let full_path = if is_root {
        chart.name.clone()
    } else {
        format!("{parent_path}/charts/{}", chart.name)
    };

    for dep in &chart.dependencies {
        let child = collect(dep, false, &full_path, &scoped, release, capabilities, out);
        subcharts.insert(dep.name.clone(), Value::Map(child));
    }

    for (path, text) in &chart.templates {
        if chart.is_library && !base_name(path).starts_with('_') {
            continue;
        }
        out.insert(
            format!("{full_path}/{path}"),
            Renderable {
                text: text.clone(),
                vals: next.clone(),
                base_path: format!("{full_path}/templates"),
            },
        );
    }
    next
}

/// Helm's template order: more path components first, then reverse byte order.
pub fn sorted_template_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<String> = names.map(str::to_string).collect();
    v.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
    v
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn add_engine_funcs(funcs: &mut FuncMap) {
    use GoType::{Any, String as Str};
    let included: Arc<Mutex<HashMap<String, usize>>> = Arc::default();

    funcs.insert(
        "include",
        Func::new(Signature::fixed(&[Str, Any]), move |ctx, args| {
            let name = args.first().and_then(Value::as_str).unwrap_or_default().to_string();
            let data = args.get(1).cloned().unwrap_or_default();
            {
                // Invariant: the lock is never held across a call, so it
                // cannot be poisoned by a panic inside a template.
                let mut counts = included.lock().unwrap_or_else(|e| e.into_inner());
                let count = counts.entry(name.clone()).or_insert(0);
                if *count > RECURSION_MAX {
                    return Err(FuncError::call(format!(
                        "rendering template has a nested reference name: {name}: unable to execute template"
                    )));
                }
                *count += 1;
            }
            let result = ctx.execute_template(&name, &data);
            let mut counts = included.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(c) = counts.get_mut(&name) {
                *c = c.saturating_sub(1);
            }
            result.map(Value::from).map_err(|e| FuncError::Template(Box::new(e)))
        }),
    );

    funcs.insert(
        "tpl",
        Func::new(Signature::fixed(&[Str, Any]), |ctx, args| {
            let text = args.first().and_then(Value::as_str).unwrap_or_default().to_string();
            let data = args.get(1).cloned().unwrap_or_default();
            match ctx.parse_and_execute(ROOT_TEMPLATE, &text, &data) {
                Ok(out) => Ok(Value::from(out.replace("<no value>", ""))),
                Err(e) => {
                    let quoted = go_quote(&text);
                    Err(FuncError::call(if e.kind == ErrorKind::Parse {
                        format!("cannot parse template {quoted}: {e}")
                    } else {
                        format!("error during tpl function execution for {quoted}: {e}")
                    }))
                }
            }
        }),
    );

    funcs.insert(
        "required",
        Func::pure(Signature::fixed(&[Str, Any]), |args| {
            let warn = args.first().and_then(Value::as_str).unwrap_or_default();
            let val = args.get(1).cloned().unwrap_or_default();
            match &val {
                Value::Nil => Err(FuncError::call(warn_wrap(warn))),
                Value::String(s) if s.is_empty() => Err(FuncError::call(warn_wrap(warn))),
                _ => Ok(val),
            }
        }),
    );

    funcs.insert(
        "fail",
        Func::pure(Signature::fixed(&[Str]), |args| {
            let msg = args.first().and_then(Value::as_str).unwrap_or_default();
            Err(FuncError::call(warn_wrap(msg)))
        }),
    );

    // Offline, `lookup` finds nothing: an empty map.
    funcs.insert(
        "lookup",
        Func::pure(Signature::fixed(&[Str, Str, Str, Str]), |_| Ok(Value::Map(Map::new()))),
    );

    // DNS lookups are disabled unless --enable-dns.
    funcs.insert(
        "getHostByName",
        Func::pure(Signature::fixed(&[Str]), |_| Ok(Value::string(""))),
    );
}

/// Go's `%q` of a string.
fn go_quote(s: &str) -> String {
    chartkit_gotemplate::fmt::sprintf("%q", &[Value::string(s)])
}

/// Helm's `cleanupParseError`.
fn cleanup_parse_error(filename: &str, err: TemplateError) -> EngineError {
    let text = err.to_string();
    let tokens: Vec<&str> = text.split(": ").collect();
    let message = if tokens.len() == 1 {
        format!("parse error in ({filename}): {text}")
    } else {
        format!("parse error at ({}): {}", tokens[1], tokens[tokens.len() - 1])
    };
    EngineError::Parse { message, source_error: Box::new(err) }
}

/// One parsed link of the error chain (Helm's `TraceableError`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Traceable {
    location: String,
    message: String,
    executed_function: String,
}

impl Traceable {
    fn render(&self, out: &mut String) {
        if !self.location.is_empty() {
            out.push_str(&self.location);
            out.push_str("\n  ");
        }
        if !self.executed_function.is_empty() {
            out.push_str(&self.executed_function);
            out.push_str("\n    ");
        }
        if !self.message.is_empty() {
            out.push_str(&self.message);
            out.push('\n');
        }
    }
}

fn cut_chained(msg: &str) -> &str {
    match msg.find(" template:") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

/// Helm's `parseTemplateExecErrorString`.
fn parse_traceable(s: &str) -> Option<Traceable> {
    let remainder = s.strip_prefix("template: ")?;
    if remainder.starts_with("no template ") {
        return Some(Traceable {
            location: String::new(),
            message: s.to_string(),
            executed_function: String::new(),
        });
    }
    if let Some(idx) = remainder.find(": executing ") {
        let template_name = &remainder[..idx];
        let after = &remainder[idx + ": executing ".len()..];
        let parsed = (|| {
            let rest = after.strip_prefix('"')?;
            let end_quote = rest.find('"')?;
            let function = &rest[..end_quote];
            let after_at = rest[end_quote + 1..].strip_prefix(" at <")?;
            let end_loc = after_at.find(">: ")?;
            let location = &after_at[..end_loc];
            let message = cut_chained(&after_at[end_loc + ">: ".len()..]);
            Some(Traceable {
                location: template_name.to_string(),
                message: message.to_string(),
                executed_function: format!("executing \"{function}\" at <{location}>:"),
            })
        })();
        // When this form does not parse completely, Helm tries the simple one.
        if parsed.is_some() {
            return parsed;
        }
    }
    let sep = remainder.rfind(": ")?;
    Some(Traceable {
        location: remainder[..sep].to_string(),
        message: cut_chained(&remainder[sep + 2..]).to_string(),
        executed_function: String::new(),
    })
}

/// Helm's `reformatExecErrorMsg`.
fn reformat_exec_error(filename: &str, err: TemplateError) -> EngineError {
    let text = err.to_string();
    let boxed = Box::new(err.clone());
    if err.kind != ErrorKind::Exec {
        return EngineError::Exec { message: text, source_error: boxed };
    }
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return EngineError::Exec {
            message: format!("execution error in ({filename}): {text}"),
            source_error: boxed,
        };
    }
    let location = tokens[1];
    if let Some(start) = tokens[2].find(WARN_START) {
        let body = &tokens[2][start + WARN_START.len()..];
        if let Some(end) = body.rfind(WARN_END) {
            return EngineError::Exec {
                message: format!("execution error at ({location}): {}", &body[..end]),
                source_error: boxed,
            };
        }
    }
    let mut trace: Vec<Traceable> = Vec::new();
    for link in err.unwrap_chain() {
        let Some(t) = parse_traceable(&link) else {
            return EngineError::Exec { message: text, source_error: boxed };
        };
        if trace.last() != Some(&t) {
            trace.push(t);
        }
    }
    let mut message = String::new();
    for t in &trace {
        t.render(&mut message);
    }
    EngineError::Exec { message: message.trim().to_string(), source_error: boxed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_order_is_deepest_first_then_reverse_lexical() {
        let names = ["c/templates/a.yaml", "c/charts/s/templates/z.yaml", "c/templates/b.yaml", "c/templates/_h.tpl"];
        assert_eq!(
            sorted_template_names(names.into_iter()),
            vec!["c/charts/s/templates/z.yaml", "c/templates/b.yaml", "c/templates/a.yaml", "c/templates/_h.tpl"]
        );
    }

    #[test]
    fn parses_executing_form() {
        let t = parse_traceable(
            "template: c/templates/a.yaml:3:4: executing \"c/templates/a.yaml\" at <include \"x\" .>: error calling include: template: c/templates/_h.tpl:2:5: executing \"x\" at <.Values.a.b>: nil pointer evaluating interface {}.b",
        )
        .unwrap();
        assert_eq!(t.location, "c/templates/a.yaml:3:4");
        assert_eq!(t.executed_function, "executing \"c/templates/a.yaml\" at <include \"x\" .>:");
        assert_eq!(t.message, "error calling include:");
    }

    #[test]
    fn plain_errors_do_not_parse() {
        assert!(parse_traceable("runtime error: integer divide by zero").is_none());
    }
}

//! Direct oracle tests: every `{{ ... }}` action in the oracle charts that
//! uses only literals, nested calls and pipes is evaluated by calling the
//! registered functions, and the line is compared with what the reference
//! Helm printed (`tests/oracle/<family>/expected.out`). Error charts compare
//! the `error calling NAME: MSG` part of Helm's stderr.
//!
//! This evaluator is deliberately tiny: it exists so the function library
//! can be checked before the template engine can run whole charts. It
//! adapts literals to the declared Go signatures the way text/template does
//! for the cases the oracle charts use.

use std::fs;
use std::path::{Path, PathBuf};

use chartkit_gotemplate::{CallContext, ExecHost, FuncMap, GoType, Value};

struct NoHost;

impl ExecHost for NoHost {
    fn execute_template(&mut self, name: &str, _: &Value) -> Result<String, chartkit_gotemplate::Error> {
        panic!("no template {name} in direct tests")
    }
    fn parse_and_execute(&mut self, name: &str, _: &str, _: &Value) -> Result<String, chartkit_gotemplate::Error> {
        panic!("no template {name} in direct tests")
    }
    fn has_template(&self, _: &str) -> bool {
        false
    }
    fn current_template(&self) -> &str {
        "direct"
    }
}

#[derive(Debug, Clone)]
enum Tok {
    Str(String),
    Int(i64),
    Float(f64),
    Ident(String),
    Open,
    Close,
    Pipe,
    Var(String),
}

fn unescape_go(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'x' => {
                let h: String = it.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&h, 16).ok()?));
            }
            'u' => {
                let h: String = it.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

fn lex(s: &str) -> Option<Vec<Tok>> {
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        match c {
            ' ' | '\t' => i += 1,
            '(' => {
                out.push(Tok::Open);
                i += 1;
            }
            ')' => {
                out.push(Tok::Close);
                i += 1;
            }
            '|' => {
                out.push(Tok::Pipe);
                i += 1;
            }
            '"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != '"' {
                    if b[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                }
                let raw: String = b[i + 1..j.min(b.len())].iter().collect();
                out.push(Tok::Str(unescape_go(&raw)?));
                i = j + 1;
            }
            '`' => {
                let j = i + 1 + b[i + 1..].iter().position(|&x| x == '`')?;
                out.push(Tok::Str(b[i + 1..j].iter().collect()));
                i = j + 1;
            }
            '$' => {
                let j = i + b[i..].iter().position(|x| !(x.is_alphanumeric() || *x == '$' || *x == '_')).unwrap_or(b.len() - i);
                out.push(Tok::Var(b[i..j].iter().collect()));
                i = j;
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' => {
                let j = i + 1 + b[i + 1..].iter().position(|x| !(x.is_ascii_alphanumeric() || *x == '.' || *x == '_' || *x == '+' || *x == '-')).unwrap_or(b.len() - i - 1);
                let lit: String = b[i..j].iter().collect();
                if let Ok(n) = lit.parse::<i64>() {
                    out.push(Tok::Int(n));
                } else {
                    out.push(Tok::Float(lit.parse().ok()?));
                }
                i = j;
            }
            c if c.is_alphabetic() || c == '_' => {
                let j = i + b[i..].iter().position(|x| !(x.is_alphanumeric() || *x == '_')).unwrap_or(b.len() - i);
                out.push(Tok::Ident(b[i..j].iter().collect()));
                i = j;
            }
            _ => return None,
        }
    }
    Some(out)
}

#[derive(Debug)]
enum Expr {
    Lit(Value),
    Call(String, Vec<Expr>),
    Var(String),
}

/// pipeline := command ('|' command)*; a piped value is the last argument.
fn parse_pipeline(t: &[Tok], i: &mut usize) -> Option<Expr> {
    let mut acc = parse_command(t, i)?;
    while let Some(Tok::Pipe) = t.get(*i) {
        *i += 1;
        let Expr::Call(name, mut args) = parse_command(t, i)? else { return None };
        args.push(acc);
        acc = Expr::Call(name, args);
    }
    Some(acc)
}

fn parse_command(t: &[Tok], i: &mut usize) -> Option<Expr> {
    let mut ops = Vec::new();
    while let Some(tok) = t.get(*i) {
        match tok {
            Tok::Pipe | Tok::Close => break,
            Tok::Open => {
                *i += 1;
                let e = parse_pipeline(t, i)?;
                if !matches!(t.get(*i), Some(Tok::Close)) {
                    return None;
                }
                *i += 1;
                ops.push(e);
            }
            Tok::Str(s) => {
                ops.push(Expr::Lit(Value::from(s.as_str())));
                *i += 1;
            }
            Tok::Int(n) => {
                ops.push(Expr::Lit(Value::Int(*n)));
                *i += 1;
            }
            Tok::Float(f) => {
                ops.push(Expr::Lit(Value::Float(*f)));
                *i += 1;
            }
            Tok::Var(v) => {
                ops.push(Expr::Var(v.clone()));
                *i += 1;
            }
            Tok::Ident(id) => {
                match id.as_str() {
                    "true" => ops.push(Expr::Lit(Value::Bool(true))),
                    "false" => ops.push(Expr::Lit(Value::Bool(false))),
                    "nil" => ops.push(Expr::Lit(Value::Nil)),
                    _ => ops.push(Expr::Call(id.clone(), Vec::new())),
                }
                *i += 1;
            }
        }
    }
    if ops.is_empty() {
        return None;
    }
    match ops.remove(0) {
        Expr::Call(name, _) => Some(Expr::Call(name, ops)),
        single if ops.is_empty() => Some(single),
        _ => None,
    }
}

/// Literal adaptation and the conversions text/template applies for the
/// declared parameter type, for the value shapes these tests use.
fn convert(v: Value, ty: GoType) -> Result<Value, String> {
    Ok(match (ty, v) {
        (GoType::Any, v) => v,
        (GoType::Int, Value::Int(n) | Value::Int64(n)) => Value::Int(n),
        (GoType::Int64, Value::Int(n) | Value::Int64(n)) => Value::Int64(n),
        (GoType::Float64, Value::Int(n)) => Value::Float(n as f64),
        (GoType::Float64, Value::Float(f)) => Value::Float(f),
        (GoType::String, v @ Value::String(_)) => v,
        (GoType::Bool, v @ Value::Bool(_)) => v,
        (GoType::List, v @ (Value::List(_) | Value::Nil)) => v,
        (GoType::StringList, v @ (Value::List(_) | Value::Nil)) => v,
        (GoType::Map, v @ (Value::Map(_) | Value::Nil)) => v,
        (ty, v) => return Err(format!("wrong type for value; expected {}; got {}", ty.go_name(), v.type_name())),
    })
}

struct Env<'a> {
    funcs: &'a FuncMap,
    vars: Vec<(String, Value)>,
}

fn eval(env: &Env<'_>, e: &Expr) -> Result<Value, String> {
    match e {
        Expr::Lit(v) => Ok(v.clone()),
        Expr::Var(name) => env.vars.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone()).ok_or(format!("undefined variable {name}")),
        Expr::Call(name, args) => {
            let f = env.funcs.get(name).ok_or_else(|| format!("function {name:?} not defined"))?;
            let mut vals = Vec::new();
            for (k, a) in args.iter().enumerate() {
                let v = eval(env, a)?;
                let ty = f.signature.params.get(k).copied().or(f.signature.variadic).ok_or("wrong number of args")?;
                vals.push(convert(v, ty)?);
            }
            if vals.len() < f.signature.params.len() || (f.signature.variadic.is_none() && vals.len() > f.signature.params.len()) {
                return Err(format!("wrong number of args for {name}"));
            }
            let mut host = NoHost;
            let mut ctx = CallContext::new(&mut host);
            f.call(&mut ctx, &vals).map_err(|e| format!("error calling {name}: {}", e.message()))
        }
    }
}

fn print(v: &Value) -> String {
    if v.is_nil() {
        // text/template prints `<no value>`; Helm removes it.
        return String::new();
    }
    chartkit_gotemplate::fmt::format_value(v)
}

/// Renders one template line; `None` if it uses syntax this evaluator lacks.
fn render_line(env: &mut Env<'_>, line: &str) -> Option<Result<String, String>> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}")? + start;
        let mut action = rest[start + 2..end].trim();
        rest = &rest[end + 2..];
        // `$x := pipeline` declares a variable and prints nothing.
        let mut decl = None;
        if let Some((lhs, rhs)) = action.split_once(":=") {
            decl = Some(lhs.trim().to_string());
            action = rhs.trim();
        }
        let toks = lex(action)?;
        // Go's builtins belong to the engine, not to this evaluator.
        const BUILTINS: &[&str] = &["len", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "index", "print", "printf", "println", "html", "js", "urlquery", "call"];
        if toks.iter().any(|t| matches!(t, Tok::Ident(id) if BUILTINS.contains(&id.as_str()))) {
            return None;
        }
        let mut i = 0;
        let e = parse_pipeline(&toks, &mut i)?;
        if i != toks.len() {
            return None;
        }
        match eval(env, &e) {
            Ok(v) => match decl {
                Some(name) => env.vars.push((name, v)),
                None => out.push_str(&print(&v)),
            },
            Err(msg) => return Some(Err(msg)),
        }
    }
    out.push_str(rest);
    Some(Ok(out))
}

fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle")
}

fn funcs() -> FuncMap {
    let mut m = chartkit_sprig::sprig_funcs();
    m.extend(chartkit_sprig::helm_funcs());
    m
}

/// Lines of a rendered template, without Helm's `---`/`# Source:` header.
fn expected_lines(chart: &Path) -> Vec<String> {
    let text = fs::read_to_string(chart.join("expected.out")).unwrap_or_default();
    text.lines().filter(|l| *l != "---" && !l.starts_with("# Source:")).map(str::to_string).collect()
}

#[test]
fn families_match_reference_helm() {
    let funcs = funcs();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(oracle_dir()).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    entries.sort();
    for chart in entries {
        if !chart.join("Chart.yaml").exists() || !chart.join("expected.out").exists() {
            continue;
        }
        let Ok(template) = fs::read_to_string(chart.join("templates/cases.yaml")) else { continue };
        if template.contains("{{-") || template.contains("-}}") {
            continue;
        }
        let expected = expected_lines(&chart);
        let tlines: Vec<&str> = template.lines().collect();
        assert_eq!(tlines.len(), expected.len(), "{}: line count", chart.display());
        let mut env = Env { funcs: &funcs, vars: Vec::new() };
        for (t, want) in tlines.iter().zip(&expected) {
            if t.contains("{{ .") || t.contains("(.") || t.contains(" .") || t.contains("# shape") {
                continue;
            }
            match render_line(&mut env, t) {
                None => {}
                Some(Ok(got)) => {
                    checked += 1;
                    if &got != want {
                        failures.push(format!("{}:\n  want {want:?}\n  got  {got:?}", chart.display()));
                    }
                }
                Some(Err(e)) => failures.push(format!("{}: {t}\n  error {e}", chart.display())),
            }
        }
    }
    eprintln!("direct oracle lines checked: {checked}");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 0);
}

#[test]
fn errors_match_reference_helm() {
    let funcs = funcs();
    let dir = oracle_dir().join("errors");
    let mut entries: Vec<_> = fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    entries.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for chart in entries {
        let (Ok(t), Ok(err)) = (fs::read_to_string(chart.join("templates/t.yaml")), fs::read_to_string(chart.join("expected.err"))) else {
            continue;
        };
        let first = err.lines().next().unwrap_or_default();
        // `... executing "x" at <f a b>: error calling f: MSG`
        let Some(pos) = first.find("error calling ") else { continue };
        let want = &first[pos..];
        let mut env = Env { funcs: &funcs, vars: Vec::new() };
        for line in t.lines() {
            match render_line(&mut env, line) {
                Some(Err(got)) => {
                    checked += 1;
                    if got != want {
                        failures.push(format!("{}:\n  want {want:?}\n  got  {got:?}", chart.display()));
                    }
                    break;
                }
                Some(Ok(_)) => {}
                None => break,
            }
        }
    }
    eprintln!("direct oracle error cases checked: {checked}");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

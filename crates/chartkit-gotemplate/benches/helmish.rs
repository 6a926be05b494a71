//! The benchmark chart's functions (`include`, `nindent`, `quote`,
//! `default`), with the same semantics and Go signatures as
//! tools/gotemplate-conformance's `helmishFuncs`. Shared by the benchmark
//! and the golden test.

use std::path::Path;

use chartkit_gotemplate::{
    Func, FuncError, FuncMap, GoType, MissingKey, Signature, TemplateSet, Value,
};

pub fn funcs() -> FuncMap {
    let mut m = FuncMap::new();
    m.insert(
        "include",
        Func::new(
            Signature::fixed(&[GoType::String, GoType::Any]),
            |ctx, a| {
                ctx.execute_template(a[0].as_str().unwrap_or(""), &a[1])
                    .map(Value::string)
                    .map_err(|e| FuncError::Template(Box::new(e)))
            },
        ),
    );
    m.insert(
        "nindent",
        Func::pure(Signature::fixed(&[GoType::Int, GoType::String]), |a| {
            let n = match a[0] {
                Value::Int(n) => n.max(0) as usize,
                _ => 0,
            };
            let pad = " ".repeat(n);
            let s = a[1].as_str().unwrap_or("");
            Ok(Value::string(format!(
                "\n{pad}{}",
                s.replace('\n', &format!("\n{pad}"))
            )))
        }),
    );
    m.insert(
        "quote",
        Func::pure(Signature::variadic(&[], GoType::Any), |a| {
            let parts: Vec<String> = a
                .iter()
                .filter(|v| !v.is_nil())
                .map(|v| {
                    let s = match v {
                        Value::String(s) => s.to_string(),
                        other => chartkit_gotemplate::fmt::format_value(other),
                    };
                    chartkit_gotemplate::strconv::quote(&s)
                })
                .collect();
            Ok(Value::string(parts.join(" ")))
        }),
    );
    m.insert(
        "default",
        Func::pure(Signature::variadic(&[GoType::Any], GoType::Any), |a| {
            let given = a.get(1).cloned().unwrap_or(Value::Nil);
            Ok(if given.truthy() { given } else { a[0].clone() })
        }),
    );
    m
}

/// JSON as Helm values: objects are maps, numbers float64.
pub fn json_to_value(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        J::String(s) => Value::string(s.as_str()),
        J::Array(a) => Value::list(a.iter().map(json_to_value).collect()),
        J::Object(o) => Value::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), json_to_value(v)))
                .collect(),
        ),
    }
}

pub fn data_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data"))
}

pub struct Chart {
    pub helpers: String,
    pub main: String,
    pub data: Value,
}

pub fn load() -> Chart {
    let read = |f: &str| std::fs::read_to_string(data_dir().join(f)).expect("read benchmark data");
    let json: serde_json::Value = serde_json::from_str(&read("values.json")).expect("values.json");
    Chart {
        helpers: read("helpers.tpl"),
        main: read("statefulset.yaml"),
        data: json_to_value(&json),
    }
}

/// Parses the chart as Helm would (one set named gotpl, missingkey=zero).
pub fn parse(chart: &Chart) -> TemplateSet {
    let mut set = TemplateSet::new(funcs());
    set.set_name("gotpl");
    set.set_missing_key(MissingKey::Zero);
    set.parse("helpers.tpl", &chart.helpers)
        .expect("parse helpers");
    set.parse("statefulset.yaml", &chart.main)
        .expect("parse main");
    set
}

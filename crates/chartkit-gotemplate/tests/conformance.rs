//! Runs the conformance table: every case's expectation was produced by Go's
//! own text/template (tools/gotemplate-conformance). Each case must match
//! byte for byte: output, or the complete error text.

use std::fmt::Write as _;
use std::rc::Rc;

use chartkit_gotemplate::{
    FuncError, FuncMap, GoType, List, Map, MissingKey, Object, Signature, TemplateSet, Value,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Doc {
    generator: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    templates: Vec<(String, String)>,
    exec: String,
    #[serde(default)]
    data: Option<serde_json::Value>,
    #[serde(default)]
    missingkey: Option<String>,
    #[serde(default)]
    output: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    phase: Option<String>,
}

/// The Go test type `*main.Obj` of the generator.
#[derive(Debug)]
struct Obj {
    name: String,
    n: i64,
    this: std::cell::RefCell<Option<std::rc::Weak<Obj>>>,
}

fn arity(name: &str, want: usize, got: usize) -> FuncError {
    FuncError::arg(format!(
        "wrong number of args for {name}: want {want} got {got}"
    ))
}

impl Object for Obj {
    fn type_name(&self) -> &str {
        "*main.Obj"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Name" => Some(Value::string(self.name.as_str())),
            "N" => Some(Value::Int(self.n)),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let r = match name {
            "Hello" => {
                if !args.is_empty() {
                    return Some(Err(arity(name, 0, args.len())));
                }
                Ok(Value::string(format!("hello {}", self.name)))
            }
            "Greet" => match args {
                [Value::String(s)] => Ok(Value::string(format!("hi {s} from {}", self.name))),
                _ => Err(arity(name, 1, args.len())),
            },
            "Fail" => Err(FuncError::call("obj failed")),
            "Sum" => match args {
                [Value::Int(a), Value::Int(b)] => Ok(Value::Int(a + b + self.n)),
                _ => Err(arity(name, 2, args.len())),
            },
            "Pair" => match args {
                [Value::String(a), Value::String(b)] => Ok(Value::string(format!("{a}/{b}"))),
                _ => Err(arity(name, 2, args.len())),
            },
            "Self" => {
                let me = self.this.borrow().as_ref().and_then(std::rc::Weak::upgrade);
                Ok(me.map_or(Value::Nil, |o| Value::Object(o)))
            }
            _ => return None,
        };
        Some(r)
    }

    fn fmt_go(&self, f: &mut dyn std::fmt::Write) -> std::fmt::Result {
        write!(f, "&{{{} {}}}", self.name, self.n)
    }
}

fn decode(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::String(s) => Value::string(s.as_str()),
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else {
                Value::Float(n.as_f64().unwrap_or(0.0))
            }
        }
        J::Array(a) => Value::list(a.iter().map(decode).collect()),
        J::Object(m) => {
            if m.len() == 1 {
                let (k, inner) = m.iter().next().unwrap();
                if let Some(tag) = k.strip_prefix('$') {
                    return decode_tagged(tag, inner);
                }
            }
            Value::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), decode(v)))
                    .collect::<Map>(),
            )
        }
    }
}

fn decode_tagged(tag: &str, v: &serde_json::Value) -> Value {
    match tag {
        "int64" => Value::Int64(v.as_i64().unwrap()),
        "uint8" => Value::Uint8(v.as_u64().unwrap() as u8),
        "float" => match v {
            serde_json::Value::String(s) => Value::Float(match s.as_str() {
                "+Inf" => f64::INFINITY,
                "-Inf" => f64::NEG_INFINITY,
                "NaN" => f64::NAN,
                "-0" => -0.0,
                other => panic!("bad $float {other}"),
            }),
            n => Value::Float(n.as_f64().unwrap()),
        },
        "bytes" => Value::Bytes(v.as_str().unwrap().as_bytes().to_vec().into()),
        "strings" => Value::List(List::strings(
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned()),
        )),
        "obj" => {
            let o = Rc::new(Obj {
                name: v
                    .get("Name")
                    .and_then(|x| x.as_str())
                    .unwrap_or("")
                    .to_owned(),
                n: v.get("N").and_then(|x| x.as_i64()).unwrap_or(0),
                this: std::cell::RefCell::new(None),
            });
            *o.this.borrow_mut() = Some(Rc::downgrade(&o));
            Value::Object(o)
        }
        other => panic!("unknown tag ${other}"),
    }
}

fn s(v: String) -> Result<Value, FuncError> {
    Ok(Value::string(v))
}

/// The same functions, with the same Go signatures, as the generator's `testFuncs`.
fn test_funcs() -> FuncMap {
    use GoType::*;
    let mut m = FuncMap::new();
    let f = Signature::fixed;
    m.insert(
        "tstr",
        chartkit_gotemplate::Func::pure(f(&[String]), |a| {
            s(format!("[{}]", a[0].as_str().unwrap_or("")))
        }),
    );
    m.insert(
        "tint",
        chartkit_gotemplate::Func::pure(f(&[Int]), |a| match a[0] {
            Value::Int(i) => Ok(Value::Int(i + 1)),
            _ => Err(FuncError::call("bad")),
        }),
    );
    m.insert(
        "tint64",
        chartkit_gotemplate::Func::pure(f(&[Int64]), |a| match a[0] {
            Value::Int64(i) => Ok(Value::Int64(i + 1)),
            _ => Err(FuncError::call("bad")),
        }),
    );
    m.insert(
        "tfloat",
        chartkit_gotemplate::Func::pure(f(&[Float64]), |a| match a[0] {
            Value::Float(x) => Ok(Value::Float(x * 2.0)),
            _ => Err(FuncError::call("bad")),
        }),
    );
    m.insert(
        "tbool",
        chartkit_gotemplate::Func::pure(f(&[Bool]), |a| {
            Ok(Value::Bool(!matches!(a[0], Value::Bool(true))))
        }),
    );
    m.insert(
        "tany",
        chartkit_gotemplate::Func::pure(f(&[Any]), |a| {
            s(chartkit_gotemplate::fmt::sprintf(
                "%T=%v",
                &[a[0].clone(), a[0].clone()],
            ))
        }),
    );
    m.insert(
        "tlist",
        chartkit_gotemplate::Func::pure(f(&[List]), |a| {
            Ok(Value::Int(a[0].as_list().map_or(0, |l| l.len()) as i64))
        }),
    );
    m.insert(
        "tstrs",
        chartkit_gotemplate::Func::pure(f(&[StringList]), |a| {
            let parts: Vec<&str> = a[0]
                .as_list()
                .map(|l| l.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            s(parts.join(","))
        }),
    );
    m.insert(
        "tmap",
        chartkit_gotemplate::Func::pure(f(&[Map]), |a| {
            Ok(Value::Int(a[0].as_map().map_or(0, |m| m.len()) as i64))
        }),
    );
    m.insert(
        "tbytes",
        chartkit_gotemplate::Func::pure(f(&[Bytes]), |a| match &a[0] {
            Value::Bytes(b) => s(std::string::String::from_utf8_lossy(b).into_owned()),
            _ => s(std::string::String::new()),
        }),
    );
    m.insert(
        "tvar",
        chartkit_gotemplate::Func::pure(Signature::variadic(&[String], Int), |a| {
            let mut out = a[0].as_str().unwrap_or("").to_owned();
            out.push('[');
            for (i, v) in a[1..].iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if let Value::Int(n) = v {
                    let _ = write!(out, "{n}");
                }
            }
            out.push(']');
            s(out)
        }),
    );
    m.insert(
        "tvarany",
        chartkit_gotemplate::Func::pure(Signature::variadic(&[], Any), |a| {
            Ok(Value::Int(a.len() as i64))
        }),
    );
    m.insert(
        "terr",
        chartkit_gotemplate::Func::pure(f(&[String]), |a| {
            let msg = a[0].as_str().unwrap_or("");
            if msg.is_empty() {
                s("ok".into())
            } else {
                Err(FuncError::call(msg))
            }
        }),
    );
    m.insert(
        "tnil",
        chartkit_gotemplate::Func::pure(f(&[]), |_| Ok(Value::Nil)),
    );
    m.insert(
        "tmkint64",
        chartkit_gotemplate::Func::pure(f(&[Int]), |a| match a[0] {
            Value::Int(i) => Ok(Value::Int64(i)),
            _ => Err(FuncError::call("bad")),
        }),
    );
    m.insert(
        "tmkuint8",
        chartkit_gotemplate::Func::pure(f(&[Int]), |a| match a[0] {
            Value::Int(i) => Ok(Value::Uint8(i as u8)),
            _ => Err(FuncError::call("bad")),
        }),
    );
    m.insert(
        "tmkstrs",
        chartkit_gotemplate::Func::pure(Signature::variadic(&[], String), |a| {
            Ok(Value::List(chartkit_gotemplate::List::strings(
                a.iter().map(|v| v.as_str().unwrap_or("").to_owned()),
            )))
        }),
    );
    m.insert(
        "tinclude",
        chartkit_gotemplate::Func::new(f(&[String, Any]), |ctx, a| {
            ctx.execute_template(a[0].as_str().unwrap_or(""), &a[1])
                .map(Value::string)
                .map_err(|e| FuncError::Template(Box::new(e)))
        }),
    );
    m.insert(
        "ttpl",
        chartkit_gotemplate::Func::new(f(&[String, Any]), |ctx, a| {
            ctx.parse_and_execute("tpl", a[0].as_str().unwrap_or(""), &a[1])
                .map(Value::string)
                .map_err(|e| FuncError::Template(Box::new(e)))
        }),
    );
    m
}

/// What the engine did with one case.
fn run(case: &Case) -> (Option<String>, Option<String>, &'static str) {
    let mut set = TemplateSet::new(test_funcs());
    match case.missingkey.as_deref() {
        Some("zero") => set.set_missing_key(MissingKey::Zero),
        Some("error") => set.set_missing_key(MissingKey::Error),
        _ => {}
    }
    for (name, text) in &case.templates {
        if let Err(e) = set.parse(name, text) {
            return (None, Some(e.to_string()), "parse");
        }
    }
    let data = case.data.as_ref().map_or(Value::Nil, decode);
    match set.execute(&case.exec, &data) {
        Ok(out) => (Some(out), None, ""),
        Err(e) => (None, Some(e.to_string()), "exec"),
    }
}

#[test]
fn conformance_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance/cases.json");
    let doc: Doc = serde_json::from_str(&std::fs::read_to_string(path).expect("read cases.json"))
        .expect("parse cases.json");
    let filter = std::env::var("CONFORMANCE_FILTER").ok();
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in &doc.cases {
        if let Some(f) = &filter
            && !case.name.contains(f.as_str())
        {
            continue;
        }
        let (out, err, phase) = run(case);
        let ok = match (&case.output, &case.error) {
            (Some(want), None) => out.as_ref() == Some(want),
            (None, Some(want)) => {
                err.as_ref() == Some(want) && case.phase.as_deref() == Some(phase)
            }
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!(
                "{}\n    templates: {:?}\n    want: {:?} / {:?}\n    got:  {:?} / {:?}",
                case.name, case.templates, case.output, case.error, out, err
            ));
        }
    }
    for f in &failures {
        eprintln!("FAIL {f}");
    }
    println!(
        "conformance: {} passed, {} failed ({})",
        passed,
        failures.len(),
        doc.generator
    );
    assert!(
        failures.is_empty(),
        "{} conformance cases failed",
        failures.len()
    );
}

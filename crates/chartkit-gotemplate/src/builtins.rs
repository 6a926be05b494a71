//! Go's builtin template functions (`text/template/funcs.go`): `and`,
//! `call`, `html`, `index`, `slice`, `js`, `len`, `not`, `or`, `print`,
//! `printf`, `println`, `urlquery` and the comparisons.

use crate::exec::{Ev, truth};
use crate::func::GoType;
use crate::value::{ElemType, Value};

/// A parameter type as `evalArg` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamType {
    /// No type (`evalArg(dot, nil, node)` for a chain's receiver).
    None,
    /// `reflect.Value`: the argument as is.
    Rv,
    Go(GoType),
}

/// A builtin function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    And,
    Call,
    Html,
    Index,
    Slice,
    Js,
    Len,
    Not,
    Or,
    Print,
    Printf,
    Println,
    Urlquery,
    Eq,
    Ge,
    Gt,
    Le,
    Lt,
    Ne,
}

impl Builtin {
    /// The builtin of that name.
    pub fn from_name(name: &str) -> Option<Builtin> {
        Some(match name {
            "and" => Builtin::And,
            "call" => Builtin::Call,
            "html" => Builtin::Html,
            "index" => Builtin::Index,
            "slice" => Builtin::Slice,
            "js" => Builtin::Js,
            "len" => Builtin::Len,
            "not" => Builtin::Not,
            "or" => Builtin::Or,
            "print" => Builtin::Print,
            "printf" => Builtin::Printf,
            "println" => Builtin::Println,
            "urlquery" => Builtin::Urlquery,
            "eq" => Builtin::Eq,
            "ge" => Builtin::Ge,
            "gt" => Builtin::Gt,
            "le" => Builtin::Le,
            "lt" => Builtin::Lt,
            "ne" => Builtin::Ne,
            _ => return None,
        })
    }

    /// The Go signature: fixed parameters and the variadic element type.
    pub(crate) fn signature(self) -> (&'static [ParamType], Option<ParamType>) {
        use ParamType::*;
        const RV: &[ParamType] = &[Rv];
        const RV2: &[ParamType] = &[Rv, Rv];
        const STR: &[ParamType] = &[Go(GoType::String)];
        match self {
            Builtin::And | Builtin::Or | Builtin::Call | Builtin::Index | Builtin::Slice | Builtin::Eq => (RV, Some(Rv)),
            Builtin::Html | Builtin::Js | Builtin::Urlquery | Builtin::Print | Builtin::Println => (&[], Some(Go(GoType::Any))),
            Builtin::Printf => (STR, Some(Go(GoType::Any))),
            Builtin::Len | Builtin::Not => (RV, Option::None),
            Builtin::Ne | Builtin::Lt | Builtin::Le | Builtin::Gt | Builtin::Ge => (RV2, Option::None),
        }
    }
}

type BResult = Result<Ev, String>;

/// Calls a builtin with converted arguments. `Err` is the message Go wraps
/// as `error calling NAME: MESSAGE`.
pub(crate) fn call(b: Builtin, argv: &[Ev], callee_name: Option<&str>) -> BResult {
    let values = || argv.iter().map(Ev::value).collect::<Vec<_>>();
    match b {
        // Handled by the executor (short-circuit evaluation).
        Builtin::And | Builtin::Or => Ok(argv.last().cloned().unwrap_or(Ev::Invalid)),
        Builtin::Call => {
            let f = argv
                .first()
                .cloned()
                .unwrap_or(Ev::Invalid)
                .indirect_interface();
            if !f.is_valid() {
                return Err("call of nil".into());
            }
            Err(format!(
                "non-function {} of type {}",
                callee_name.unwrap_or(""),
                f.type_name()
            ))
        }
        Builtin::Html => Ok(Ev::Direct(Value::string(html_escape(
            &eval_args(&values()),
        )))),
        Builtin::Js => Ok(Ev::Direct(Value::string(js_escape(&eval_args(&values()))))),
        Builtin::Urlquery => Ok(Ev::Direct(Value::string(query_escape(&eval_args(
            &values(),
        ))))),
        Builtin::Print => Ok(Ev::Direct(Value::string(crate::fmt::sprint(&values())))),
        Builtin::Println => Ok(Ev::Direct(Value::string(crate::fmt::sprintln(&values())))),
        Builtin::Printf => {
            let v = values();
            let format = v.first().and_then(Value::as_str).unwrap_or("").to_owned();
            Ok(Ev::Direct(Value::string(crate::fmt::sprintf(
                &format,
                &v[1..],
            ))))
        }
        Builtin::Index => index(argv),
        Builtin::Slice => slice(argv),
        Builtin::Len => length(&argv[0]),
        Builtin::Not => Ok(Ev::Direct(Value::Bool(!truth(
            &argv[0].clone().indirect_interface(),
        )))),
        Builtin::Eq => eq(&argv[0], &argv[1..]).map(|b| Ev::Direct(Value::Bool(b))),
        Builtin::Ne => eq(&argv[0], &argv[1..2]).map(|b| Ev::Direct(Value::Bool(!b))),
        Builtin::Lt => lt(&argv[0], &argv[1]).map(|b| Ev::Direct(Value::Bool(b))),
        Builtin::Le => le(&argv[0], &argv[1]).map(|b| Ev::Direct(Value::Bool(b))),
        Builtin::Gt => le(&argv[0], &argv[1]).map(|b| Ev::Direct(Value::Bool(!b))),
        Builtin::Ge => lt(&argv[0], &argv[1]).map(|b| Ev::Direct(Value::Bool(!b))),
    }
}

// ---- indexing ------------------------------------------------------------

fn index_arg(index: &Ev, cap: usize) -> Result<usize, String> {
    let x: i64 = match index {
        Ev::Direct(Value::Int(i) | Value::Int64(i)) => *i,
        Ev::Direct(Value::Uint8(u)) => *u as i64,
        Ev::Invalid => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(argv: &[Ev]) -> BResult {
    let mut item = argv[0].clone().indirect_interface();
    if !item.is_valid() {
        return Err("index of untyped nil".into());
    }
    for index in &argv[1..] {
        let index = index.clone().indirect_interface();
        let v = match item {
            Ev::Iface(Value::Nil) => return Err("index of nil pointer".into()),
            Ev::Iface(v) | Ev::Direct(v) => v,
            Ev::Invalid => return Err("index of untyped nil".into()),
        };
        item = match &v {
            Value::List(l) => {
                let x = index_arg(&index, l.len())?;
                let Some(e) = l.items.get(x) else {
                    return Err("reflect: slice index out of range".into());
                };
                match l.elem {
                    ElemType::Interface => Ev::Iface(e.clone()),
                    ElemType::String => Ev::Direct(e.clone()),
                }
            }
            Value::Bytes(b) => {
                let x = index_arg(&index, b.len())?;
                let Some(&c) = b.get(x) else {
                    return Err("reflect: slice index out of range".into());
                };
                Ev::Direct(Value::Uint8(c))
            }
            Value::String(s) => {
                let x = index_arg(&index, s.len())?;
                let Some(&c) = s.as_bytes().get(x) else {
                    return Err("reflect: string index out of range".into());
                };
                Ev::Direct(Value::Uint8(c))
            }
            Value::Map(m) => {
                let key = match &index {
                    Ev::Invalid => return Err("value is nil; should be of type string".into()),
                    Ev::Direct(Value::String(s)) => s.clone(),
                    other => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        ));
                    }
                };
                match m.get(&key) {
                    Some(v) => Ev::Iface(v),
                    None => Ev::Iface(Value::Nil),
                }
            }
            Value::Object(o) if o.map_entries().is_some() => {
                let key = match &index {
                    Ev::Invalid => return Err("value is nil; should be of type string".into()),
                    Ev::Direct(Value::String(s)) => s.clone(),
                    other => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        ));
                    }
                };
                match o
                    .map_entries()
                    .unwrap_or_default()
                    .into_iter()
                    .find(|(k, _)| **k == *key)
                {
                    Some((_, v)) => Ev::Direct(v),
                    None => Ev::Iface(Value::Nil),
                }
            }
            other => {
                return Err(format!(
                    "can't index item of type {}",
                    elem_type_name(other)
                ));
            }
        };
    }
    Ok(item)
}

fn slice(argv: &[Ev]) -> BResult {
    let item = argv[0].clone().indirect_interface();
    let Some(v) = item.as_value() else {
        return Err("slice of untyped nil".into());
    };
    let indexes = &argv[1..];
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match v {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Value::List(l) => l.len(),
        Value::Bytes(b) => b.len(),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    // Go checks against the slice's capacity; chartkit's slices have no
    // spare capacity, so capacity is the length.
    let cap = len;
    let mut idx = [0usize, len, 0];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, cap)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let (i, j) = (idx[0], idx[1]);
    Ok(Ev::Direct(match v {
        Value::String(s) => {
            Value::string(String::from_utf8_lossy(&s.as_bytes()[i..j]).into_owned())
        }
        Value::List(l) => Value::List(crate::value::List {
            elem: l.elem,
            items: l.items[i..j].to_vec().into(),
        }),
        Value::Bytes(b) => Value::Bytes(b[i..j].to_vec().into()),
        _ => Value::Nil,
    }))
}

fn length(item: &Ev) -> BResult {
    let v = match item {
        Ev::Iface(Value::Nil) => return Err("len of nil pointer".into()),
        Ev::Invalid => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Ev::Iface(v) | Ev::Direct(v) => v,
    };
    let n = match v {
        Value::String(s) => s.len(),
        Value::List(l) => l.len(),
        Value::Map(m) => m.len(),
        Value::Bytes(b) => b.len(),
        Value::Object(o) => match o.len() {
            Some(n) => n,
            None => return Err(format!("len of type {}", elem_type_name(v))),
        },
        other => return Err(format!("len of type {}", other.type_name())),
    };
    Ok(Ev::Direct(Value::Int(n as i64)))
}

/// The type after Go's `indirect`: a pointer object's element type.
fn elem_type_name(v: &Value) -> String {
    let t = v.type_name();
    match v {
        Value::Object(o) if o.kind_name() == "ptr" => {
            t.strip_prefix('*').map(str::to_owned).unwrap_or(t)
        }
        _ => t,
    }
}

// ---- comparison ------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    String,
    Uint,
}

fn basic_kind(v: &Ev) -> Kind {
    match v.as_value() {
        Some(Value::Bool(_)) => Kind::Bool,
        Some(Value::Int(_) | Value::Int64(_)) => Kind::Int,
        Some(Value::Uint8(_)) => Kind::Uint,
        Some(Value::Float(_)) => Kind::Float,
        Some(Value::String(_)) => Kind::String,
        _ => Kind::Invalid,
    }
}

fn int_of(v: &Ev) -> i64 {
    match v.as_value() {
        Some(Value::Int(i) | Value::Int64(i)) => *i,
        _ => 0,
    }
}

fn uint_of(v: &Ev) -> u64 {
    match v.as_value() {
        Some(Value::Uint8(u)) => *u as u64,
        _ => 0,
    }
}

fn float_of(v: &Ev) -> f64 {
    match v.as_value() {
        Some(Value::Float(f)) => *f,
        _ => 0.0,
    }
}

fn str_of(v: &Ev) -> &str {
    match v.as_value() {
        Some(Value::String(s)) => s,
        _ => "",
    }
}

fn bool_of(v: &Ev) -> bool {
    matches!(v.as_value(), Some(Value::Bool(true)))
}

/// `reflect.Kind` for the non-basic comparison path.
fn reflect_kind(v: &Ev) -> &'static str {
    match v.as_value() {
        None => "invalid",
        Some(Value::Map(_)) => "map",
        Some(Value::List(_) | Value::Bytes(_)) => "slice",
        Some(Value::Object(_)) => "ptr",
        Some(Value::Nil) => "invalid",
        Some(_) => "basic",
    }
}

fn fmt_s(v: &Ev) -> String {
    crate::fmt::sprintf("%s", &[v.value()])
}

fn fmt_v(v: &Ev) -> String {
    crate::fmt::sprintf("%v", &[v.value()])
}

fn eq(arg1: &Ev, arg2: &[Ev]) -> Result<bool, String> {
    let arg1 = arg1.clone().indirect_interface();
    if arg2.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(&arg1);
    for arg in arg2 {
        let arg = arg.clone().indirect_interface();
        let k2 = basic_kind(&arg);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (Kind::Int, Kind::Uint) => {
                    int_of(&arg1) >= 0 && int_of(&arg1) as u64 == uint_of(&arg)
                }
                (Kind::Uint, Kind::Int) => {
                    int_of(&arg) >= 0 && uint_of(&arg1) == int_of(&arg) as u64
                }
                _ => {
                    if arg1.is_valid() && arg.is_valid() {
                        return Err(format!(
                            "incompatible types for comparison: {} and {}",
                            arg1.type_name(),
                            arg.type_name()
                        ));
                    }
                    false
                }
            }
        } else {
            match k1 {
                Kind::Bool => bool_of(&arg1) == bool_of(&arg),
                Kind::Float => float_of(&arg1) == float_of(&arg),
                Kind::Int => int_of(&arg1) == int_of(&arg),
                Kind::String => str_of(&arg1) == str_of(&arg),
                Kind::Uint => uint_of(&arg1) == uint_of(&arg),
                Kind::Invalid => {
                    let (rk1, rk2) = (reflect_kind(&arg1), reflect_kind(&arg));
                    if rk1 != rk2 && rk1 != "invalid" && rk2 != "invalid" {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            fmt_s(&arg1),
                            arg1.type_name(),
                            arg.type_name(),
                            fmt_v(&arg)
                        ));
                    }
                    let (n1, n2) = (!arg1.is_valid(), !arg.is_valid());
                    if n1 || n2 {
                        n1 == n2
                    } else {
                        match (arg1.as_value(), arg.as_value()) {
                            (Some(Value::Object(a)), Some(Value::Object(b))) => {
                                std::rc::Rc::ptr_eq(a, b)
                            }
                            _ => {
                                return Err(format!(
                                    "non-comparable type {}: {}",
                                    fmt_s(&arg),
                                    arg.type_name()
                                ));
                            }
                        }
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(arg1: &Ev, arg2: &Ev) -> Result<bool, String> {
    let arg1 = arg1.clone().indirect_interface();
    let k1 = basic_kind(&arg1);
    if k1 == Kind::Invalid {
        return Err("invalid type for comparison".into());
    }
    let arg2 = arg2.clone().indirect_interface();
    let k2 = basic_kind(&arg2);
    if k2 == Kind::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) => {
                Ok(int_of(&arg1) < 0 || (int_of(&arg1) as u64) < uint_of(&arg2))
            }
            (Kind::Uint, Kind::Int) => {
                Ok(int_of(&arg2) >= 0 && uint_of(&arg1) < int_of(&arg2) as u64)
            }
            _ => Err(format!(
                "incompatible types for comparison: {} and {}",
                arg1.type_name(),
                arg2.type_name()
            )),
        };
    }
    Ok(match k1 {
        Kind::Bool | Kind::Invalid => return Err("invalid type for comparison".into()),
        Kind::Float => float_of(&arg1) < float_of(&arg2),
        Kind::Int => int_of(&arg1) < int_of(&arg2),
        Kind::String => str_of(&arg1) < str_of(&arg2),
        Kind::Uint => uint_of(&arg1) < uint_of(&arg2),
    })
}

fn le(arg1: &Ev, arg2: &Ev) -> Result<bool, String> {
    let less = lt(arg1, arg2)?;
    if less {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}

// ---- escapers ----------------------------------------------------------------

/// Go's `evalArgs`: one string argument is used as is; otherwise the
/// arguments are printed with `fmt.Sprint` (nil shows as `<no value>`).
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|a| {
            if a.is_nil() {
                Value::string("<no value>")
            } else {
                a.clone()
            }
        })
        .collect();
    crate::fmt::sprint(&printable)
}

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c if c.is_ascii() => out.push(c),
            c => {
                if crate::strconv::is_print(c) {
                    out.push(c);
                } else {
                    out.push_str(&format!("\\u{:04X}", c as u32));
                }
            }
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapers() {
        assert_eq!(
            html_escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"
        );
        assert_eq!(
            js_escape("a'b=\"c\"\n<é\u{a0}>"),
            "a\\'b\\u003D\\\"c\\\"\\u000A\\u003Cé\\u00A0\\u003E"
        );
        assert_eq!(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
    }
}

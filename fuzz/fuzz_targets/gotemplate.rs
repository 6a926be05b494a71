//! Lex, parse and execute arbitrary template text against a small data
//! value: the engine must return Ok or Err, never panic, hang or overflow
//! its stack.
#![no_main]

use chartkit_gotemplate::{FuncMap, Limits, List, Map, MissingKey, TemplateSet, Value};
use libfuzzer_sys::fuzz_target;

fn data() -> Value {
    let m = Map::new();
    m.insert("s", Value::from("str"));
    m.insert("n", Value::Int(3));
    m.insert("f", Value::Float(1.5));
    m.insert("nil", Value::Nil);
    m.insert(
        "l",
        Value::list(vec![Value::Int(1), Value::from("a"), Value::Nil]),
    );
    m.insert("strs", Value::List(List::strings(["x", "y"])));
    let inner = Map::new();
    inner.insert("k", Value::Int64(7));
    m.insert("m", Value::Map(inner));
    Value::Map(m)
}

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    // The first byte picks the missing-key mode; the rest is the template.
    let (mode, text) = match text.chars().next() {
        Some(c) => (c as u32 % 3, &text[c.len_utf8()..]),
        None => (0, text),
    };
    let mut set = TemplateSet::new(FuncMap::new());
    set.set_missing_key(match mode {
        0 => MissingKey::Default,
        1 => MissingKey::Zero,
        _ => MissingKey::Error,
    });
    // Keep hostile inputs cheap: bounded recursion and output.
    set.set_limits(Limits {
        max_template_depth: 200,
        max_nested_executions: 50,
        max_output_bytes: 1 << 20,
        max_steps: 100_000,
    });
    if set.parse("fuzz", text).is_ok() {
        let _ = set.execute("fuzz", &data());
    }
});

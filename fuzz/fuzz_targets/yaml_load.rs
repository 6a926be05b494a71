//! Load arbitrary bytes as a Helm values file and push the result through
//! every encoder: the YAML loader and the emitters must return Ok or Err,
//! never panic, hang or overflow the stack.
#![no_main]

use chartkit_yaml::json::JsonOptions;
use chartkit_yaml::{Value, json, load_values_bytes, parse_spanned, to_yaml, to_yaml_pretty, toml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    if let Ok(text) = std::str::from_utf8(input) {
        let _ = parse_spanned(text);
        let _ = chartkit_yaml::from_yaml_documents(text);
        let _ = json::from_str(text);
        let _ = toml::from_str(text);
    }
    let Ok(values) = load_values_bytes(input) else { return };
    let v = Value::Map(values);
    if let Ok(printed) = to_yaml(&v) {
        // toYaml output must always load again.
        let _ = chartkit_yaml::from_yaml_str(&printed);
    }
    let _ = to_yaml_pretty(&v);
    let _ = json::to_string(&v, JsonOptions::pretty());
    let _ = toml::to_string(&v);
});

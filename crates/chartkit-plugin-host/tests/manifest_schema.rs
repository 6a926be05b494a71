//! `schemas/plugin-manifest.schema.json` and the manifest parser agree: every shipped manifest
//! passes both, and each broken manifest is refused by both.

use std::path::PathBuf;

use chartkit_plugin_host::Manifest;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas/plugin-manifest.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn schema_accepts(v: &jsonschema::Validator, toml_text: &str) -> bool {
    let value: serde_json::Value = toml::from_str(toml_text).unwrap();
    v.is_valid(&value)
}

#[test]
fn shipped_manifests_pass_schema_and_parser() {
    let v = validator();
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(root().join("plugins")).unwrap() {
        let path = entry.unwrap().path().join("chartkit-plugin.toml");
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(schema_accepts(&v, &text), "{}", path.display());
        Manifest::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        seen.push(path.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned());
    }
    seen.sort();
    assert_eq!(seen, ["consul", "elasticsearch", "etcd", "mongodb"]);
}

#[test]
fn schema_and_parser_refuse_the_same_mistakes() {
    let v = validator();
    let good = std::fs::read_to_string(root().join("plugins/consul/chartkit-plugin.toml")).unwrap();
    let bad = [
        good.replace("name = \"consul\"", "name = \"con--sul\""),
        good.replace("name = \"consul\"", "name = \"consul-\""),
        good.replace("name = \"consul\"", "name = \"Consul\""),
        good.replace("version = \"0.1.0\"", "version = \"0.1\""),
        good.replace("interface = \"0.1.0\"", "interface = \"0.01.0\""),
        good.replace("language = \"python\"", "language = \"cobol\""),
        good.replace(
            "output = \"dist/consul.wasm\"",
            "output = \"../consul.wasm\"",
        ),
        good.replace(
            "output = \"dist/consul.wasm\"",
            "output = \"/tmp/consul.wasm\"",
        ),
        good.replace("[build]", "homepage = \"x\"\n[build]"),
        good.replace("output = \"dist/consul.wasm\"", ""),
    ];
    for text in bad {
        assert!(!schema_accepts(&v, &text), "schema accepted:\n{text}");
        assert!(Manifest::parse(&text).is_err(), "parser accepted:\n{text}");
    }
}

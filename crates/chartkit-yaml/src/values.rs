//! Helm's values-file loading (`loader.LoadValues` in Helm v4): the text is
//! split into documents by apimachinery's `YAMLReader`, each document is
//! decoded into a map with sigs.k8s.io/yaml, and the maps are merged in order
//! (nested maps recursively, anything else replaced).

use crate::error::{Error, ErrorKind};
use crate::value::{Mapping, Value};

/// Splits a stream like k8s.io/apimachinery's `YAMLReader`: lines are read
/// with `bufio.Reader.ReadLine` (so `\r\n` becomes `\n`), a line starting
/// with `---` ends a document, and only spaces or a comment may follow it.
/// Empty documents are skipped.
fn split_documents(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let mut docs = Vec::new();
    let mut buffer: Vec<u8> = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (mut line, next, had_newline) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..], true),
            None => (rest, &rest[rest.len()..], false),
        };
        // ReadLine drops "\r\n" or "\n"; a lone "\r" stays.
        if had_newline && line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        rest = next;
        if let Some(after) = line.strip_prefix(b"---") {
            let trimmed = String::from_utf8_lossy(after);
            let trimmed = trimmed.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(Error::new(
                    ErrorKind::Reader,
                    format!("invalid Yaml document separator: {trimmed}"),
                ));
            }
            if !buffer.is_empty() {
                docs.push(std::mem::take(&mut buffer));
            }
            continue;
        }
        buffer.extend_from_slice(line);
        buffer.push(b'\n');
    }
    if !buffer.is_empty() {
        docs.push(buffer);
    }
    Ok(docs)
}

/// Helm's `MergeMaps`: values from `b` win; maps present on both sides merge.
fn merge_maps(a: &mut Mapping, b: Mapping) {
    for (k, v) in b {
        match (a.get_mut(&k), v) {
            (Some(Value::Map(existing)), Value::Map(incoming)) => merge_maps(existing, incoming),
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
}

/// Loads a values file (a chart's `values.yaml` or a `-f` file) exactly as
/// Helm v4's `loader.LoadValues` does, including its messages
/// (`cannot unmarshal yaml document: error converting YAML to JSON: yaml:
/// line 3: did not find expected key`). Helm prefixes these with
/// `cannot load values.yaml: ` or `failed to parse FILE: `.
pub fn load_values(text: &str) -> Result<Mapping, Error> {
    load_values_bytes(text.as_bytes())
}

/// [`load_values`] on raw bytes (files need not be valid UTF-8; go-yaml then
/// reports its reader error).
pub fn load_values_bytes(bytes: &[u8]) -> Result<Mapping, Error> {
    let docs = split_documents(bytes).map_err(|e| e.wrap("error reading yaml document"))?;
    let mut values = Mapping::new();
    for doc in docs {
        let current = crate::from_yaml_map_bytes(&doc)
            .map_err(|e| e.wrap("cannot unmarshal yaml document"))?;
        merge_maps(&mut values, current);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_apimachinery() {
        let docs = split_documents(b"a: 1\r\n---\n--- # c\nb: 2").unwrap();
        assert_eq!(docs, vec![b"a: 1\n".to_vec(), b"b: 2\n".to_vec()]);
        assert_eq!(
            split_documents(b"a: 1\n--- |\n").unwrap_err().to_string(),
            "invalid Yaml document separator: |"
        );
    }

    #[test]
    fn documents_merge() {
        let v = load_values("a: {x: 1, w: 2}\nb: 1\n---\na: {w: 3}\nb: null\n").unwrap();
        let a = v["a"].as_map().unwrap();
        assert_eq!(a["x"], Value::Float(1.0));
        assert_eq!(a["w"], Value::Float(3.0));
        assert_eq!(v["b"], Value::Null);
    }

    #[test]
    fn errors_are_wrapped_like_helm() {
        // Measured with Helm v4.1.4: `cannot load values.yaml: ` + this.
        assert_eq!(
            load_values("a: 1\nb:\n  c: [1, 2\n  d: 3\n")
                .unwrap_err()
                .to_string(),
            "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 3: did not find expected ',' or ']'"
        );
        assert_eq!(
            load_values("a: 1\n---\n\ta: 1\n").unwrap_err().to_string(),
            "cannot unmarshal yaml document: error converting YAML to JSON: yaml: found character that cannot start any token"
        );
    }
}

//! `.Files`: a chart's non-template files, as Helm's `engine.files`
//! (`map[string][]byte` with Get, GetBytes, Glob, AsConfig, AsSecrets, Lines).

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use base64::Engine as _;
use chartkit_gotemplate::{FuncError, List, Object, Value};

use crate::glob::Glob;

/// The files of one chart, by path relative to the chart root.
#[derive(Clone, Debug, Default)]
pub struct Files {
    files: Rc<BTreeMap<String, Rc<[u8]>>>,
}

impl Files {
    pub fn new<I>(files: I) -> Self
    where
        I: IntoIterator<Item = (String, Rc<[u8]>)>,
    {
        Files { files: Rc::new(files.into_iter().collect()) }
    }

    pub fn to_value(&self) -> Value {
        Value::Object(Rc::new(self.clone()))
    }

    fn get_bytes(&self, name: &str) -> Rc<[u8]> {
        self.files.get(name).cloned().unwrap_or_else(|| Rc::from(&[][..]))
    }

    fn glob(&self, pattern: &str) -> Files {
        // Helm falls back to `**` (everything) when the pattern does not compile.
        let glob = Glob::compile(pattern).unwrap_or_else(|_| Glob::match_all());
        Files::new(
            self.files
                .iter()
                .filter(|(name, _)| glob.matches(name))
                .map(|(k, v)| (k.clone(), v.clone())),
        )
    }

    /// `path.Base(name)` → contents, as Helm builds it for AsConfig/AsSecrets.
    fn by_base_name(&self, encode: impl Fn(&[u8]) -> String) -> String {
        let mut map = BTreeMap::new();
        for (name, data) in self.files.iter() {
            map.insert(go_path_base(name).to_string(), chartkit_yaml::Value::String(encode(data)));
        }
        // Helm's toYAML: "" on error, final newline trimmed.
        match chartkit_yaml::to_yaml(&chartkit_yaml::Value::Map(map)) {
            Ok(s) => s.trim_end_matches('\n').to_string(),
            Err(_) => String::new(),
        }
    }

    fn lines(&self, name: &str) -> Result<Value, FuncError> {
        let Some(data) = self.files.get(name) else {
            return Ok(Value::List(List::strings(Vec::<String>::new())));
        };
        let s = String::from_utf8_lossy(data);
        if s.is_empty() {
            // Go indexes s[len(s)-1] and panics on an empty file.
            return Err(FuncError::call("runtime error: index out of range [-1]"));
        }
        let s = s.strip_suffix('\n').unwrap_or(&s);
        Ok(Value::List(List::strings(s.split('\n').map(str::to_string))))
    }
}

/// Go's `path.Base` for slash-separated paths.
fn go_path_base(p: &str) -> &str {
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return if p.is_empty() { "." } else { "/" };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

fn one_string_arg<'a>(method: &str, args: &'a [Value]) -> Result<&'a str, FuncError> {
    match args {
        [Value::String(s)] => Ok(s),
        [Value::Nil] => Err(FuncError::arg("invalid value; expected string")),
        [other] => Err(FuncError::arg(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        ))),
        _ => Err(FuncError::arg(format!(
            "wrong number of args for {method}: want 1 got {}",
            args.len()
        ))),
    }
}

fn no_args(method: &str, args: &[Value]) -> Result<(), FuncError> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(FuncError::arg(format!("wrong number of args for {method}: want 0 got {}", args.len())))
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn kind_name(&self) -> &str {
        "map"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let result = match name {
            "Get" => one_string_arg(name, args)
                .map(|p| Value::string(String::from_utf8_lossy(&self.get_bytes(p)).as_ref())),
            "GetBytes" => one_string_arg(name, args).map(|p| Value::Bytes(self.get_bytes(p))),
            "Glob" => one_string_arg(name, args).map(|p| self.glob(p).to_value()),
            "AsConfig" => no_args(name, args)
                .map(|()| Value::string(self.by_base_name(|d| String::from_utf8_lossy(d).into_owned()))),
            "AsSecrets" => no_args(name, args).map(|()| {
                Value::string(
                    self.by_base_name(|d| base64::engine::general_purpose::STANDARD.encode(d)),
                )
            }),
            "Lines" => one_string_arg(name, args).and_then(|p| self.lines(p)),
            _ => return None,
        };
        Some(result)
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        f.write_str("map[")?;
        for (i, (name, data)) in self.files.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            write!(f, "{name}:[")?;
            for (j, b) in data.iter().enumerate() {
                if j > 0 {
                    f.write_char(' ')?;
                }
                write!(f, "{b}")?;
            }
            f.write_char(']')?;
        }
        f.write_char(']')
    }

    fn to_data(&self) -> Option<Value> {
        Some(Value::Map(
            self.files.iter().map(|(k, v)| (k.clone(), Value::Bytes(v.clone()))).collect(),
        ))
    }

    fn truthy(&self) -> bool {
        !self.files.is_empty()
    }

    fn len(&self) -> Option<usize> {
        Some(self.files.len())
    }

    fn map_entries(&self) -> Option<Vec<(String, Value)>> {
        Some(self.files.iter().map(|(k, v)| (k.clone(), Value::Bytes(v.clone()))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        Files::new(
            [
                ("config/a.conf", "a=1\n"),
                ("config/sub/b.conf", "b=2"),
                ("README.md", "hello\nworld\n"),
                ("empty", ""),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), Rc::from(v.as_bytes()))),
        )
    }

    fn call(f: &Files, m: &str, args: &[Value]) -> Result<Value, FuncError> {
        f.call_method(m, args).expect("method exists")
    }

    #[test]
    fn get_missing_file_is_empty() {
        let v = call(&files(), "Get", &[Value::string("nope")]).unwrap();
        assert_eq!(v.as_str(), Some(""));
    }

    #[test]
    fn glob_single_star_stops_at_slash() {
        let Value::Object(g) = call(&files(), "Glob", &[Value::string("config/*")]).unwrap() else {
            panic!()
        };
        assert_eq!(g.len(), Some(1));
        let Value::Object(g) = call(&files(), "Glob", &[Value::string("config/**")]).unwrap() else {
            panic!()
        };
        assert_eq!(g.len(), Some(2));
    }

    #[test]
    fn lines_drops_one_trailing_newline() {
        let v = call(&files(), "Lines", &[Value::string("README.md")]).unwrap();
        assert_eq!(v.as_list().map(|l| l.len()), Some(2));
        assert!(call(&files(), "Lines", &[Value::string("empty")]).is_err());
    }

    #[test]
    fn path_base() {
        assert_eq!(go_path_base("a/b/c.txt"), "c.txt");
        assert_eq!(go_path_base("c.txt"), "c.txt");
        assert_eq!(go_path_base("a/b/"), "b");
    }
}

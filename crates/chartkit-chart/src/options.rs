//! User values from the command line (Helm's `values.Options.MergeValues`):
//! `-f` files, then `--set-json`, `--set`, `--set-string`, `--set-file`,
//! `--set-literal`, in that order whatever order the flags were given in.

use std::io::Read;
use std::path::Path;

use chartkit_yaml::{Mapping, Value};
use thiserror::Error;

use crate::strvals::{self, StrvalsError};
use crate::values::merge_maps;

/// The values flags of `helm template`/`install`, each in command-line order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueOptions {
    /// `-f/--values` files (`-` reads standard input).
    pub value_files: Vec<String>,
    /// `--set`
    pub values: Vec<String>,
    /// `--set-string`
    pub string_values: Vec<String>,
    /// `--set-file` (`key=path`; the file's contents become a string).
    pub file_values: Vec<String>,
    /// `--set-json`
    pub json_values: Vec<String>,
    /// `--set-literal`
    pub literal_values: Vec<String>,
}

/// Errors building user values. `Display` is Helm's message.
#[derive(Debug, Error)]
pub enum OptionsError {
    /// A values file could not be read (`open x.yaml: no such file or directory`).
    #[error("{0}")]
    Read(String),
    /// A values file is not valid (`failed to parse x.yaml: ...`).
    #[error("failed to parse {file}: {reason}")]
    Parse {
        /// The file as given.
        file: String,
        /// Helm's reason text.
        reason: String,
    },
    /// A remote values file (http, https, oci): not available offline.
    #[error("cannot read {0}: remote values files are not supported (chartkit works offline)")]
    Remote(String),
    /// `--set-json` whole-object JSON failed to parse.
    #[error("failed parsing --set-json data JSON: {0}")]
    SetJsonObject(String),
    /// `--set-json key=value` failed (Helm drops the reason).
    #[error("failed parsing --set-json data {0}")]
    SetJson(String),
    /// `--set` failed.
    #[error("failed parsing --set data: {0}")]
    Set(StrvalsError),
    /// `--set-string` failed.
    #[error("failed parsing --set-string data: {0}")]
    SetString(StrvalsError),
    /// `--set-file` failed.
    #[error("failed parsing --set-file data: {0}")]
    SetFile(StrvalsError),
    /// `--set-literal` failed.
    #[error("failed parsing --set-literal data: {0}")]
    SetLiteral(StrvalsError),
}

fn go_open_error(path: &str, e: &std::io::Error) -> String {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    };
    if e.kind() == std::io::ErrorKind::IsADirectory {
        return format!("read {path}: {reason}");
    }
    format!("open {path}: {reason}")
}

/// Helm's `readFile`: `-` is standard input, URLs with a getter scheme
/// would be downloaded (refused here), anything else is a path relative to
/// `cwd`.
fn read_file(
    path: &str,
    cwd: &Path,
    stdin: &mut dyn FnMut() -> std::io::Result<Vec<u8>>,
) -> Result<Vec<u8>, String> {
    if path.trim() == "-" {
        return stdin().map_err(|e| e.to_string());
    }
    if let Some((scheme, _)) = path.split_once("://")
        && matches!(scheme, "http" | "https" | "oci")
    {
        return Err(format!(
            "cannot read {path}: remote values files are not supported (chartkit works offline)"
        ));
    }
    let full = if Path::new(path).is_absolute() {
        Path::new(path).to_path_buf()
    } else {
        cwd.join(path)
    };
    match std::fs::read(&full) {
        Ok(d) => Ok(d),
        Err(e) => Err(go_open_error(path, &e)),
    }
}

impl ValueOptions {
    /// Builds the user values tree like Helm's `MergeValues`, reading files
    /// relative to `cwd` and `-` from the process's standard input.
    pub fn merge(&self, cwd: &Path) -> Result<Mapping, OptionsError> {
        let mut stdin = || {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        };
        self.merge_with_stdin(cwd, &mut stdin)
    }

    /// [`ValueOptions::merge`] with an explicit standard input.
    pub fn merge_with_stdin(
        &self,
        cwd: &Path,
        stdin: &mut dyn FnMut() -> std::io::Result<Vec<u8>>,
    ) -> Result<Mapping, OptionsError> {
        let mut base = Mapping::new();
        for file in &self.value_files {
            let raw = read_file(file, cwd, stdin).map_err(OptionsError::Read)?;
            let current = crate::values::load_values(&raw).map_err(|e| OptionsError::Parse {
                file: file.clone(),
                reason: e.to_string(),
            })?;
            base = merge_maps(base, current);
        }
        for value in &self.json_values {
            let trimmed = value.trim();
            if trimmed.starts_with('{') {
                let m = chartkit_yaml::json::from_str_map(trimmed)
                    .map_err(|_| OptionsError::SetJsonObject(value.clone()))?;
                base = merge_maps(base, m);
            } else {
                strvals::parse_json(value, &mut base)
                    .map_err(|_| OptionsError::SetJson(value.clone()))?;
            }
        }
        for value in &self.values {
            strvals::parse_into(value, &mut base).map_err(OptionsError::Set)?;
        }
        for value in &self.string_values {
            strvals::parse_into_string(value, &mut base).map_err(OptionsError::SetString)?;
        }
        for value in &self.file_values {
            let mut reader = |p: &str| -> Result<Value, StrvalsError> {
                let bytes = read_file(p, cwd, stdin).map_err(StrvalsError)?;
                Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
            };
            strvals::parse_into_file(value, &mut base, &mut reader)
                .map_err(OptionsError::SetFile)?;
        }
        for value in &self.literal_values {
            strvals::parse_literal_into(value, &mut base).map_err(OptionsError::SetLiteral)?;
        }
        Ok(base)
    }
}

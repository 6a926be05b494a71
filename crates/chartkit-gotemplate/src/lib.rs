//! Go's `text/template`, reimplemented in Rust.
//!
//! This crate knows nothing about Helm. Embedders supply functions through
//! [`FuncMap`] and host objects through [`Object`]; the engine reproduces Go
//! 1.25's parsing, execution, comparison and `fmt` printing rules, and its
//! error texts.
//!
//! ```
//! use chartkit_gotemplate::{FuncMap, MissingKey, TemplateSet, Value, Map};
//!
//! let mut set = TemplateSet::new(FuncMap::new());
//! set.set_missing_key(MissingKey::Zero);
//! set.parse("main", r#"{{ define "hi" }}hi {{ . }}{{ end }}{{ template "hi" .name }}"#).unwrap();
//! let data = Map::new();
//! data.insert("name", Value::from("you"));
//! assert_eq!(set.execute("main", &Value::Map(data)).unwrap(), "hi you");
//! ```
//!
//! Known differences from Go are listed in the repository's
//! `COMPATIBILITY.md` (section "Template engine").

// The public API returns `Error` by value (its shape is shared with the
// other crates); it is only built on the error path.
#![allow(clippy::result_large_err)]

pub mod error;
pub mod fmt;
pub mod func;
pub mod strconv;
pub mod value;

mod builtins;
mod exec;
pub mod parse;
mod set;
mod unicode_tables;

pub use builtins::{html_escape, js_escape, query_escape};
pub use error::{Error, ErrorKind, Span, Wrapped};
pub use exec::Limits;
pub use func::{CallContext, ExecHost, Func, FuncBody, FuncError, FuncMap, GoType, Signature};
pub use set::{MissingKey, TemplateSet};
pub use value::{ElemType, List, Map, MapEntries, Object, Value};

//! Go's `text/template`, reimplemented in Rust.
//!
//! This crate knows nothing about Helm. Embedders supply functions through
//! [`FuncMap`] and host objects through [`Object`]; the engine reproduces Go
//! 1.25's parsing, execution, comparison and `fmt` printing rules, and its
//! error texts.

pub mod error;
pub mod func;
pub mod value;

pub use error::{Error, ErrorKind, Span, Wrapped};
pub use func::{CallContext, ExecHost, Func, FuncBody, FuncError, FuncMap, GoType, Signature};
pub use value::{ElemType, List, Map, MapEntries, Object, Value};

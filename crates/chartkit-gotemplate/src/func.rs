//! Template functions supplied by the embedder.
//!
//! Go's text/template type-checks every argument against the Go signature of
//! the function before calling it (and adapts untyped number literals to the
//! parameter type), so the error for `{{ indent "4" .x }}` comes from the
//! engine, not from the function. A [`Func`] therefore declares its Go
//! signature as a list of [`GoType`]s; the executor converts the arguments
//! exactly as Go's `evalArg`/`validateType` do and the function body receives
//! values already of the declared types.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::value::Value;

/// A Go parameter type, as far as template argument conversion can observe it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoType {
    /// `interface{}`: anything, nil included; number literals become `int`
    /// (or `float64` when they have a fraction or exponent).
    Any,
    String,
    Bool,
    Int,
    Int64,
    Float64,
    /// `[]interface{}`
    List,
    /// `[]string`
    StringList,
    /// `map[string]interface{}`
    Map,
    /// `[]byte`
    Bytes,
}

impl GoType {
    /// The name Go prints in conversion errors (`expected string`).
    pub fn go_name(self) -> &'static str {
        match self {
            GoType::Any => "interface {}",
            GoType::String => "string",
            GoType::Bool => "bool",
            GoType::Int => "int",
            GoType::Int64 => "int64",
            GoType::Float64 => "float64",
            GoType::List => "[]interface {}",
            GoType::StringList => "[]string",
            GoType::Map => "map[string]interface {}",
            GoType::Bytes => "[]uint8",
        }
    }
}

/// A Go function signature: fixed parameters, then optionally a variadic one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub params: Vec<GoType>,
    pub variadic: Option<GoType>,
}

impl Signature {
    pub fn fixed(params: &[GoType]) -> Self {
        Signature { params: params.to_vec(), variadic: None }
    }

    pub fn variadic(params: &[GoType], rest: GoType) -> Self {
        Signature { params: params.to_vec(), variadic: Some(rest) }
    }
}

/// Why a function call failed.
#[derive(Clone, Debug, PartialEq)]
pub enum FuncError {
    /// The function returned an error (or panicked, in Go). Go reports it as
    /// `error calling NAME: MESSAGE`.
    Call(String),
    /// An argument could not be used; reported as MESSAGE alone, the way Go
    /// reports reflect-level conversion failures.
    Arg(String),
    /// The function failed with an error from executing another template
    /// (Helm's `include`). Go prints `error calling NAME: <its text>` and
    /// keeps it wrapped (`%w`), so embedders can walk the chain.
    Template(Box<crate::Error>),
}

impl FuncError {
    pub fn call(msg: impl Into<String>) -> Self {
        FuncError::Call(msg.into())
    }

    pub fn arg(msg: impl Into<String>) -> Self {
        FuncError::Arg(msg.into())
    }

    pub fn message(&self) -> &str {
        match self {
            FuncError::Call(m) | FuncError::Arg(m) => m,
            FuncError::Template(e) => &e.go_message,
        }
    }
}

impl fmt::Display for FuncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for FuncError {}

/// What a running function may ask of the executor: executing other
/// templates of the same set (Helm's `include`) and parsing new text into a
/// copy of the set (Helm's `tpl`). Implemented by the executor.
pub trait ExecHost {
    /// Executes the named template of the current set with `data` as dot.
    fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, crate::Error>;

    /// Parses `text` as a template named `name` into a copy of the current
    /// set (its defines stay in the copy) and executes it with `data` as dot.
    /// Functions called inside see the copy.
    fn parse_and_execute(&mut self, name: &str, text: &str, data: &Value) -> Result<String, crate::Error>;

    /// Whether the current set has a template of that name.
    fn has_template(&self, name: &str) -> bool;

    /// The name of the template whose text is executing right now.
    fn current_template(&self) -> &str;
}

/// The context a function is called with.
pub struct CallContext<'a> {
    host: &'a mut dyn ExecHost,
}

impl<'a> CallContext<'a> {
    pub fn new(host: &'a mut dyn ExecHost) -> Self {
        CallContext { host }
    }

    pub fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, crate::Error> {
        self.host.execute_template(name, data)
    }

    pub fn parse_and_execute(&mut self, name: &str, text: &str, data: &Value) -> Result<String, crate::Error> {
        self.host.parse_and_execute(name, text, data)
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.host.has_template(name)
    }

    pub fn current_template(&self) -> &str {
        self.host.current_template()
    }
}

/// The body of a template function: arguments arrive converted to the
/// declared signature.
pub type FuncBody = dyn Fn(&mut CallContext<'_>, &[Value]) -> Result<Value, FuncError> + Send + Sync;

/// A template function: a Go signature and a body.
#[derive(Clone)]
pub struct Func {
    pub signature: Signature,
    body: Arc<FuncBody>,
}

impl Func {
    pub fn new<F>(signature: Signature, body: F) -> Self
    where
        F: Fn(&mut CallContext<'_>, &[Value]) -> Result<Value, FuncError> + Send + Sync + 'static,
    {
        Func { signature, body: Arc::new(body) }
    }

    /// A function that needs no context.
    pub fn pure<F>(signature: Signature, body: F) -> Self
    where
        F: Fn(&[Value]) -> Result<Value, FuncError> + Send + Sync + 'static,
    {
        Func::new(signature, move |_ctx, args| body(args))
    }

    pub fn call(&self, ctx: &mut CallContext<'_>, args: &[Value]) -> Result<Value, FuncError> {
        (self.body)(ctx, args)
    }
}

impl fmt::Debug for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Func").field("signature", &self.signature).finish_non_exhaustive()
    }
}

/// Named functions, as Go's `template.FuncMap`. Names must be known when a
/// template is parsed (`function "env" not defined` is a parse error).
/// Entries override the builtins of the same name, as in Go.
#[derive(Clone, Debug, Default)]
pub struct FuncMap {
    funcs: HashMap<String, Func>,
}

impl FuncMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, name: impl Into<String>, func: Func) -> &mut Self {
        self.funcs.insert(name.into(), func);
        self
    }

    pub fn get(&self, name: &str) -> Option<&Func> {
        self.funcs.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.funcs.contains_key(name)
    }

    pub fn remove(&mut self, name: &str) -> Option<Func> {
        self.funcs.remove(name)
    }

    pub fn extend(&mut self, other: FuncMap) {
        self.funcs.extend(other.funcs);
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.funcs.keys().map(String::as_str)
    }
}

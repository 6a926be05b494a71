//! The Go value model templates observe.
//!
//! Go's text/template works on `reflect.Value`s, and templates can observe a
//! value's dynamic type: `typeOf 1` is `int`, a number from a values file is a
//! `float64`, comparing the two is an error. [`Value`] keeps exactly the
//! distinctions templates can see and nothing more.
//!
//! Maps and lists are reference types, as in Go: cloning a [`Value::Map`]
//! clones the handle, so a function that mutates a map (Sprig's `set`) is seen
//! by every holder of it. Map keys are strings (Helm only ever builds
//! `map[string]interface{}`), kept sorted because Go prints and ranges over
//! maps in key order.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use crate::func::FuncError;

/// The entries of a Go `map[string]interface{}`, in key order.
pub type MapEntries = BTreeMap<String, Value>;

/// A shared, mutable Go map (`map[string]interface{}`).
#[derive(Clone, Default)]
pub struct Map(Rc<RefCell<MapEntries>>);

impl Map {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn from_entries(entries: MapEntries) -> Self {
        Map(Rc::new(RefCell::new(entries)))
    }

    /// Borrows the entries. Panics only if a mutable borrow is live, which
    /// cannot happen across a template function call boundary.
    pub fn borrow(&self) -> std::cell::Ref<'_, MapEntries> {
        self.0.borrow()
    }

    pub fn borrow_mut(&self) -> std::cell::RefMut<'_, MapEntries> {
        self.0.borrow_mut()
    }

    pub fn get(&self, key: &str) -> Option<Value> {
        self.0.borrow().get(key).cloned()
    }

    pub fn insert(&self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.0.borrow_mut().insert(key.into(), value)
    }

    pub fn remove(&self, key: &str) -> Option<Value> {
        self.0.borrow_mut().remove(key)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.0.borrow().contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.0.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.borrow().is_empty()
    }

    /// Sorted keys (Go's template `range` and fmt print maps in key order).
    pub fn keys(&self) -> Vec<String> {
        self.0.borrow().keys().cloned().collect()
    }

    /// A snapshot of the entries, in key order.
    pub fn entries(&self) -> Vec<(String, Value)> {
        self.0.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// True if both handles point at the same Go map.
    pub fn ptr_eq(&self, other: &Map) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// A new map with the same entries (a shallow copy).
    pub fn shallow_copy(&self) -> Map {
        Map::from_entries(self.0.borrow().clone())
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.borrow().iter()).finish()
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Map::from_entries(iter.into_iter().collect())
    }
}

/// The element type of a Go slice, which `typeOf` and `%T` reveal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElemType {
    /// `[]interface {}`
    Interface,
    /// `[]string`
    String,
}

/// A Go slice. Immutable once built: Sprig's list functions return new
/// slices rather than writing through shared ones.
#[derive(Clone, Debug)]
pub struct List {
    pub elem: ElemType,
    pub items: Rc<[Value]>,
}

impl List {
    pub fn new(items: Vec<Value>) -> Self {
        List { elem: ElemType::Interface, items: items.into() }
    }

    /// A `[]string`.
    pub fn strings<I, S>(items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<Rc<str>>,
    {
        List {
            elem: ElemType::String,
            items: items.into_iter().map(|s| Value::String(s.into())).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Value> {
        self.items.iter()
    }
}

/// A host value with Go fields and methods, such as Helm's `.Files`,
/// `.Capabilities` or `.Chart`. The engine knows nothing about what they are.
pub trait Object: fmt::Debug {
    /// The Go type name as `%T` and `typeOf` print it, e.g. `*chart.Metadata`.
    fn type_name(&self) -> &str;

    /// Go's `reflect.Kind` name for Sprig's `kindOf`: `struct`, `ptr`, `map`, ...
    fn kind_name(&self) -> &str {
        "ptr"
    }

    /// An exported field, or `None` when the type has no such field.
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    /// Calls a method. `None` when the type has no method of that name,
    /// so the executor can fall back to fields or report Go's error.
    fn call_method(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, FuncError>> {
        None
    }

    /// Writes the value as Go's `%v` would.
    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result;

    /// The plain data `encoding/json` would marshal this value as (struct
    /// fields by their JSON names), for toJson/toYaml. `None` means `{}`.
    fn to_data(&self) -> Option<Value> {
        None
    }

    /// Go's `truth`: structs and non-nil pointers are true.
    fn truthy(&self) -> bool {
        true
    }

    /// Length for `len`, if the Go type has one.
    fn len(&self) -> Option<usize> {
        None
    }

    /// For objects whose Go kind is a map (Helm's `.Files` is a
    /// `map[string][]byte` with methods): the entries in key order. The
    /// executor uses them for `range`, `index` and key lookup after methods.
    fn map_entries(&self) -> Option<Vec<(String, Value)>> {
        None
    }
}

/// A Go value as a template sees it.
#[derive(Clone, Default)]
pub enum Value {
    /// An untyped nil: a missing map key, `nil`, an unset interface.
    #[default]
    Nil,
    Bool(bool),
    /// Go `int` (template literals, `len`, most Sprig results).
    Int(i64),
    /// Go `int64` (`--set` numbers, Sprig's `int64`, arithmetic results).
    Int64(i64),
    /// Go `uint8` (`index` on a string yields a byte).
    Uint8(u8),
    /// Go `float64` (every number from a values file).
    Float(f64),
    String(Rc<str>),
    /// Go `[]byte`.
    Bytes(Rc<[u8]>),
    List(List),
    Map(Map),
    Object(Rc<dyn Object>),
}

impl Value {
    pub fn string(s: impl Into<Rc<str>>) -> Value {
        Value::String(s.into())
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(List::new(items))
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Go's `%T` / Sprig's `typeOf`.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Int64(_) => "int64".into(),
            Value::Uint8(_) => "uint8".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::Bytes(_) => "[]uint8".into(),
            Value::List(l) => match l.elem {
                ElemType::Interface => "[]interface {}".into(),
                ElemType::String => "[]string".into(),
            },
            Value::Map(_) => "map[string]interface {}".into(),
            Value::Object(o) => o.type_name().into(),
        }
    }

    /// Go's `reflect.Kind` name / Sprig's `kindOf`.
    pub fn kind_name(&self) -> &str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Uint8(_) => "uint8",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::Bytes(_) | Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => o.kind_name(),
        }
    }

    /// Go text/template's `truth`: the empty value of its type is false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Uint8(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Object(o) => o.truthy(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&List> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => f.write_str("Nil"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Int64(i) => write!(f, "Int64({i})"),
            Value::Uint8(u) => write!(f, "Uint8({u})"),
            Value::Float(x) => write!(f, "Float({x:?})"),
            Value::String(s) => write!(f, "String({s:?})"),
            Value::Bytes(b) => write!(f, "Bytes({b:?})"),
            Value::List(l) => f.debug_list().entries(l.iter()).finish(),
            Value::Map(m) => m.fmt(f),
            Value::Object(o) => o.fmt(f),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s.into())
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}

impl From<List> for Value {
    fn from(l: List) -> Self {
        Value::List(l)
    }
}

//! [`TemplateSet`]: Go's `*template.Template` with its shared set of
//! associated templates.

use std::collections::HashMap;
use std::rc::Rc;

use crate::error::{Error, ErrorKind};
use crate::exec::{self, Ev, Limits};
use crate::func::FuncMap;
use crate::parse::{self, Tree};
use crate::value::Value;

/// What a missing map key evaluates to (Go's `missingkey=` option).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingKey {
    /// `missingkey=default` (Go's default): no value, printed `<no value>`.
    #[default]
    Default,
    /// `missingkey=zero`: the zero value of the map's element type; for
    /// `map[string]interface{}` a nil interface (prints `<no value>`, and
    /// `.missing.x` fails with `nil pointer evaluating interface {}.x`).
    /// Helm uses this.
    Zero,
    /// `missingkey=error`: execution stops with `map has no entry for key "x"`.
    Error,
}

/// A set of named templates sharing functions and options, like the set
/// behind Go's `template.New(name)` plus `t.New(file).Parse(text)` calls.
///
/// Cloning is cheap (trees are shared) and gives an independent set, like
/// Go's `Clone`.
#[derive(Clone)]
pub struct TemplateSet {
    name: Rc<str>,
    templates: HashMap<Rc<str>, Rc<Tree>>,
    funcs: Rc<FuncMap>,
    missing_key: MissingKey,
    limits: Limits,
}

impl std::fmt::Debug for TemplateSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names = self.template_names();
        names.sort();
        f.debug_struct("TemplateSet").field("name", &self.name).field("templates", &names).finish_non_exhaustive()
    }
}

impl TemplateSet {
    /// A new, empty set with the given functions (they override builtins of
    /// the same name). The set's own name is empty; see [`TemplateSet::set_name`].
    pub fn new(funcs: FuncMap) -> TemplateSet {
        TemplateSet {
            name: Rc::from(""),
            templates: HashMap::new(),
            funcs: Rc::new(funcs),
            missing_key: MissingKey::Default,
            limits: Limits::default(),
        }
    }

    /// Names the set itself (Go's `template.New(name)`), which appears in
    /// `template: no template "x" associated with template "NAME"`. Helm
    /// uses `gotpl`.
    pub fn set_name(&mut self, name: &str) {
        self.name = Rc::from(name);
    }

    /// The set's own name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Go's `Option("missingkey=...")`.
    pub fn set_missing_key(&mut self, mk: MissingKey) {
        self.missing_key = mk;
    }

    /// The missing-key behaviour in force.
    pub fn missing_key(&self) -> MissingKey {
        self.missing_key
    }

    /// Sets execution limits (template call depth, nesting of executions
    /// started by functions, output size).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The functions of this set.
    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    /// Go's `t.New(name).Parse(text)` on the shared set: adds `name` and
    /// every `define`/`block` in `text`. A later non-empty definition
    /// replaces an earlier one; an empty (whitespace/comments only) one
    /// never replaces an existing template. Two non-empty definitions of
    /// one name in the same text are an error. On error nothing is added.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let trees = parse::parse(name, text, &self.funcs)?;
        for tree in trees {
            let tree = Rc::new(tree);
            if tree.is_empty() && self.templates.contains_key(&tree.name) {
                continue;
            }
            self.templates.insert(tree.name.clone(), tree);
        }
        Ok(())
    }

    /// Whether the set has a template of that name.
    pub fn has_template(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    /// The names of all templates in the set, in no particular order.
    pub fn template_names(&self) -> Vec<String> {
        self.templates.keys().map(|k| k.to_string()).collect()
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<(&str, &Tree)> {
        self.templates.get_key_value(name).map(|(k, t)| (&**k, &**t))
    }

    /// Go's `ExecuteTemplate`: executes the named template with `data` as
    /// dot and `$`, and returns what it wrote.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, Error> {
        self.execute_nested(name, data, 0)
    }

    pub(crate) fn execute_nested(&self, name: &str, data: &Value, nesting: usize) -> Result<String, Error> {
        let Some((tmpl_name, tree)) = self.lookup(name) else {
            let msg = format!(
                "template: no template {} associated with template {}",
                crate::strconv::quote(name),
                crate::strconv::quote(&self.name)
            );
            return Err(Error {
                kind: ErrorKind::NotFound,
                template: name.to_owned(),
                span: None,
                line: 0,
                col: 0,
                go_message: msg.clone(),
                cause: msg,
                wrapped: None,
            });
        };
        let dot = if data.is_nil() { Ev::Invalid } else { Ev::Direct(data.clone()) };
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || exec::execute(self, tmpl_name, tree, dot, nesting))
    }
}

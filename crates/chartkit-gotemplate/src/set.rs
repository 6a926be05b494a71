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
    templates: HashMap<std::sync::Arc<str>, Rc<Tree>>,
    funcs: Rc<FuncMap>,
    missing_key: MissingKey,
    limits: Limits,
}

impl std::fmt::Debug for TemplateSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names = self.template_names();
        names.sort();
        f.debug_struct("TemplateSet")
            .field("name", &self.name)
            .field("templates", &names)
            .finish_non_exhaustive()
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
        self.add_trees(trees);
        Ok(())
    }

    fn add_trees(&mut self, trees: Vec<parse::Tree>) {
        for tree in trees {
            let tree = Rc::new(tree);
            if tree.is_empty() && self.templates.contains_key(&tree.name) {
                continue;
            }
            self.templates.insert(tree.name.clone(), tree);
        }
    }

    /// [`parse`](Self::parse) for many texts, in order, as if each were
    /// parsed in turn; the texts are parsed on up to `threads` threads
    /// (parsing needs only the function map), and the trees are added in
    /// order. On error, the texts before the failing one have been added,
    /// as with successive `parse` calls, and the error is the first failing
    /// text's (its index and error).
    pub fn parse_many(
        &mut self,
        texts: &[(&str, &str)],
        threads: usize,
    ) -> Result<(), (usize, Error)> {
        // Parsing a few KiB costs less than starting a thread.
        const PARALLEL_MIN_BYTES: usize = 48 * 1024;
        let total: usize = texts.iter().map(|(_, t)| t.len()).sum();
        let threads = threads.clamp(1, texts.len().max(1));
        if threads == 1 || total < PARALLEL_MIN_BYTES {
            for (i, (name, text)) in texts.iter().enumerate() {
                self.parse(name, text).map_err(|e| (i, e))?;
            }
            return Ok(());
        }
        // Contiguous chunks of about equal text size, one per thread.
        let mut bounds = vec![0];
        let mut acc = 0;
        for (i, (_, t)) in texts.iter().enumerate() {
            acc += t.len();
            if acc * threads >= total * bounds.len() && bounds.len() < threads {
                bounds.push(i + 1);
            }
        }
        if bounds.last() != Some(&texts.len()) {
            bounds.push(texts.len());
        }
        let funcs: &FuncMap = &self.funcs;
        let parsed: Vec<Vec<Result<Vec<parse::Tree>, Error>>> = std::thread::scope(|scope| {
            let work = |chunk: &[(&str, &str)]| -> Vec<Result<Vec<parse::Tree>, Error>> {
                chunk
                    .iter()
                    .map(|(name, text)| parse::parse(name, text, funcs))
                    .collect()
            };
            let mut handles = Vec::new();
            for w in bounds.windows(2).skip(1) {
                let chunk = &texts[w[0]..w[1]];
                handles.push(scope.spawn(move || work(chunk)));
            }
            let mut out = vec![work(&texts[bounds[0]..bounds[1]])];
            for h in handles {
                // A panic in a worker is a bug; re-raise it here.
                out.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            out
        });
        for (i, result) in parsed.into_iter().flatten().enumerate() {
            let trees = result.map_err(|e| (i, e))?;
            self.add_trees(trees);
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
        self.templates
            .get_key_value(name)
            .map(|(k, t)| (&**k, &**t))
    }

    /// Go's `ExecuteTemplate`: executes the named template with `data` as
    /// dot and `$`, and returns what it wrote.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, Error> {
        self.execute_nested(name, data, 0)
    }

    pub(crate) fn execute_nested(
        &self,
        name: &str,
        data: &Value,
        nesting: usize,
    ) -> Result<String, Error> {
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
        let dot = if data.is_nil() {
            Ev::Invalid
        } else {
            Ev::Direct(data.clone())
        };
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            exec::execute(self, tmpl_name, tree, dot, nesting)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::func::{Func, FuncError, GoType, Signature};
    use crate::value::Map;

    /// Texts big enough to be parsed on several threads; later files
    /// redefine a template of earlier ones.
    fn many_texts() -> Vec<(String, String)> {
        (0..40)
            .map(|i| {
                let filler = format!("{{{{/* {} */}}}}line {{{{ $.x }}}}\n", "c".repeat(60)).repeat(30);
                let text = format!(
                    "{{{{define \"shared\"}}}}from {i}{{{{end}}}}{filler}{{{{template \"shared\"}}}}"
                );
                (format!("t{i:02}"), text)
            })
            .collect()
    }

    #[test]
    fn parse_many_matches_parsing_in_turn() {
        let texts = many_texts();
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        assert!(refs.iter().map(|(_, t)| t.len()).sum::<usize>() > 64 * 1024);
        let mut one = TemplateSet::new(FuncMap::new());
        for (n, t) in &refs {
            one.parse(n, t).expect("parse");
        }
        let mut many = TemplateSet::new(FuncMap::new());
        many.parse_many(&refs, 4).expect("parse_many");
        let mut a = one.template_names();
        let mut b = many.template_names();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        let data = Value::Map(Map::new());
        for name in ["t00", "t17", "t39", "shared"] {
            assert_eq!(
                one.execute(name, &data).ok(),
                many.execute(name, &data).ok(),
                "{name}"
            );
        }
        // The last definition wins, as in Go.
        assert_eq!(
            many.execute("shared", &data).ok().as_deref(),
            Some("from 39")
        );
    }

    #[test]
    fn parse_many_reports_the_first_failing_text() {
        let mut texts = many_texts();
        texts[25].1.push_str("{{ if }}");
        texts[31].1.push_str("{{ end }}");
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let mut many = TemplateSet::new(FuncMap::new());
        let (index, err) = many.parse_many(&refs, 3).expect_err("an error");
        assert_eq!(index, 25);
        let mut one = TemplateSet::new(FuncMap::new());
        let seq_err = refs
            .iter()
            .find_map(|(n, t)| one.parse(n, t).err())
            .expect("an error");
        assert_eq!(err.to_string(), seq_err.to_string());
        // Texts before the failing one were added, later ones were not.
        assert!(many.has_template("t24"));
        assert!(!many.has_template("t26"));
    }

    fn set_with(text: &str) -> TemplateSet {
        let mut set = TemplateSet::new(FuncMap::new());
        set.parse("main", text).expect("parse");
        set
    }

    #[test]
    fn execute_and_names() {
        let mut set = set_with(r#"{{define "a"}}A{{end}}{{template "a"}}!"#);
        assert!(set.has_template("main") && set.has_template("a"));
        let mut names = set.template_names();
        names.sort();
        assert_eq!(names, ["a", "main"]);
        assert_eq!(set.execute("main", &Value::Nil).unwrap(), "A!");
        set.set_name("gotpl");
        let err = set.execute("nope", &Value::Nil).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert_eq!(
            err.to_string(),
            r#"template: no template "nope" associated with template "gotpl""#
        );
    }

    #[test]
    fn parse_error_adds_nothing() {
        let mut set = TemplateSet::new(FuncMap::new());
        let err = set
            .parse("bad", "{{define \"x\"}}X{{end}}{{.y")
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
        assert_eq!(err.to_string(), "template: bad:1: unclosed action");
        assert!(!set.has_template("x") && !set.has_template("bad"));
    }

    #[test]
    fn exec_error_location_and_wrapping() {
        let mut funcs = FuncMap::new();
        funcs.insert(
            "fail",
            Func::pure(Signature::fixed(&[GoType::String]), |a| {
                Err(FuncError::call(a[0].as_str().unwrap_or("")))
            }),
        );
        let mut set = TemplateSet::new(funcs);
        set.parse("t.yaml", "a\n  {{ fail \"boom\" }}").unwrap();
        let err = set.execute("t.yaml", &Value::Nil).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"template: t.yaml:2:5: executing "t.yaml" at <fail "boom">: error calling fail: boom"#
        );
        assert_eq!((err.line, err.col), (2, 6));
        assert_eq!(err.cause, "error calling fail: boom");
        assert_eq!(
            err.wrapped.as_deref(),
            Some(&crate::error::Wrapped::Message("boom".into()))
        );
    }

    #[test]
    fn functions_execute_templates_through_the_host() {
        let mut funcs = FuncMap::new();
        funcs.insert(
            "include",
            Func::new(
                Signature::fixed(&[GoType::String, GoType::Any]),
                |ctx, a| {
                    assert!(ctx.has_template("d"));
                    ctx.execute_template(a[0].as_str().unwrap_or(""), &a[1])
                        .map(Value::string)
                        .map_err(|e| FuncError::Template(Box::new(e)))
                },
            ),
        );
        funcs.insert(
            "tpl",
            Func::new(
                Signature::fixed(&[GoType::String, GoType::Any]),
                |ctx, a| {
                    ctx.parse_and_execute("gotpl", a[0].as_str().unwrap_or(""), &a[1])
                        .map(Value::string)
                        .map_err(|e| FuncError::Template(Box::new(e)))
                },
            ),
        );
        let mut set = TemplateSet::new(funcs);
        set.parse("main", r#"{{define "d"}}<{{.}}>{{end}}{{include "d" 1}}{{tpl "{{define \"e\"}}E{{end}}{{include \"e\" .}}{{include \"d\" .}}" 2}}"#)
            .unwrap();
        assert_eq!(set.execute("main", &Value::Nil).unwrap(), "<1>E<2>");
        // The tpl's define stayed in the clone.
        assert!(!set.has_template("e"));
    }

    #[test]
    fn missing_key_modes() {
        let data = Value::Map(Map::new());
        let mut set = set_with("[{{.a}}]");
        assert_eq!(set.execute("main", &data).unwrap(), "[<no value>]");
        set.set_missing_key(MissingKey::Zero);
        assert_eq!(set.execute("main", &data).unwrap(), "[<no value>]");
        set.set_missing_key(MissingKey::Error);
        assert!(
            set.execute("main", &data)
                .unwrap_err()
                .to_string()
                .ends_with(r#"map has no entry for key "a""#)
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let n = 50_000;
        let text = format!("{}x{}", "{{if true}}".repeat(n), "{{end}}".repeat(n));
        let set = set_with(&text);
        assert_eq!(set.execute("main", &Value::Nil).unwrap(), "x");
        let parens = format!("{{{{{}1{}}}}}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(set_with(&parens).execute("main", &Value::Nil).unwrap(), "1");
        let too_deep = format!("{{{{{}1{}}}}}", "(".repeat(10_001), ")".repeat(10_001));
        let err = TemplateSet::new(FuncMap::new())
            .parse("p", &too_deep)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "template: p:1: max expression depth exceeded"
        );
    }

    #[test]
    fn template_recursion_hits_gos_depth_limit() {
        let set = set_with(r#"{{define "r"}}{{template "r"}}{{end}}{{template "r"}}"#);
        let err = set.execute("main", &Value::Nil).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"template: main:1:25: executing "r" at <{{template "r"}}>: exceeded maximum template depth (100000)"#
        );
    }

    #[test]
    fn limits_stop_hostile_templates() {
        let mut set = set_with("{{range 1000000000}}{{end}}");
        set.set_limits(Limits {
            max_steps: 10_000,
            ..Limits::default()
        });
        let err = set.execute("main", &Value::Nil).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Limit);
        let mut set = set_with("{{range 100000}}xxxxxxxxxx{{end}}");
        set.set_limits(Limits {
            max_output_bytes: 1000,
            ..Limits::default()
        });
        let err = set.execute("main", &Value::Nil).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Limit);
        assert!(
            err.to_string()
                .ends_with("chartkit: output exceeds the limit of 1000 bytes"),
            "{err}"
        );
        let mut funcs = FuncMap::new();
        funcs.insert(
            "include",
            Func::new(
                Signature::fixed(&[GoType::String, GoType::Any]),
                |ctx, a| {
                    ctx.execute_template(a[0].as_str().unwrap_or(""), &a[1])
                        .map(Value::string)
                        .map_err(|e| FuncError::Template(Box::new(e)))
                },
            ),
        );
        let mut set = TemplateSet::new(funcs);
        set.parse(
            "main",
            r#"{{define "r"}}{{include "r" .}}{{end}}{{include "r" .}}"#,
        )
        .unwrap();
        set.set_limits(Limits {
            max_nested_executions: 300,
            ..Limits::default()
        });
        let err = set.execute("main", &Value::Nil).unwrap_err();
        assert!(
            err.to_string()
                .contains("exceeded maximum nesting of template executions (300)"),
            "{}",
            &err.to_string()[..200]
        );
    }
}

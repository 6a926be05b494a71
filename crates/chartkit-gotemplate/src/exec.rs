//! Execution: Go's `text/template/exec.go`.
//!
//! Go works on `reflect.Value`s; the distinctions templates can observe are
//! kept in [`Ev`]: "no value" (an invalid reflect.Value), a value reached
//! through an `interface{}` (a map entry or `[]interface{}` element, which
//! may be a nil interface), and a plain value. The executor tracks the
//! "current node" exactly where Go does (`s.at(node)`), because error
//! messages name it.

use std::fmt;

use crate::builtins::{self, Builtin, ParamType};
use crate::error::{Error, ErrorKind, Wrapped};
use crate::func::{CallContext, ExecHost, Func, FuncError, FuncMap, GoType};
use crate::parse::Tree;
use crate::parse::node::{
    Arg, BranchNode, CommandNode, ListNode, Node, NumberNode, PipeNode, VariableNode,
};
use crate::set::{MissingKey, TemplateSet};
use crate::value::{ElemType, Value};

/// A function an identifier refers to, resolved when the template is parsed
/// (the set's functions cannot change afterwards).
#[derive(Clone, Debug)]
pub enum Callee {
    Builtin(Builtin),
    User(Func),
}

impl Callee {
    /// Go's `findFunction`: the set's functions first, then the builtins.
    pub(crate) fn resolve(funcs: &FuncMap, name: &str) -> Option<Callee> {
        if let Some(f) = funcs.get(name) {
            return Some(Callee::User(f.clone()));
        }
        Builtin::from_name(name).map(Callee::Builtin)
    }
}

/// A value as the executor sees it.
#[derive(Clone, Debug)]
pub(crate) enum Ev {
    /// Go's invalid `reflect.Value` ("no value").
    Invalid,
    /// A value of its own (concrete) type.
    Direct(Value),
    /// A value held in an `interface{}`; `Iface(Value::Nil)` is a nil interface.
    Iface(Value),
}

impl Ev {
    /// The result of a function call: nil results are nil interfaces.
    pub(crate) fn from_result(v: Value) -> Ev {
        if v.is_nil() {
            Ev::Iface(Value::Nil)
        } else {
            Ev::Direct(v)
        }
    }

    /// The Go value handed to functions (`nil` for no value).
    pub(crate) fn value(&self) -> Value {
        match self {
            Ev::Invalid => Value::Nil,
            Ev::Direct(v) | Ev::Iface(v) => v.clone(),
        }
    }

    pub(crate) fn as_value(&self) -> Option<&Value> {
        match self {
            Ev::Invalid => None,
            Ev::Direct(v) | Ev::Iface(v) => Some(v),
        }
    }

    /// Go's `indirectInterface`.
    pub(crate) fn indirect_interface(self) -> Ev {
        match self {
            Ev::Iface(Value::Nil) => Ev::Invalid,
            Ev::Iface(v) => Ev::Direct(v),
            other => other,
        }
    }

    pub(crate) fn is_valid(&self) -> bool {
        !matches!(self, Ev::Invalid)
    }

    /// `value.Type()` as Go prints it.
    pub(crate) fn type_name(&self) -> String {
        match self {
            Ev::Invalid => "<nil>".into(),
            Ev::Iface(_) => "interface {}".into(),
            Ev::Direct(v) => v.type_name(),
        }
    }
}

/// Go's `isTrue` on an unwrapped value.
pub(crate) fn truth(v: &Ev) -> bool {
    match v {
        Ev::Invalid => false,
        Ev::Direct(v) | Ev::Iface(v) => v.truthy(),
    }
}

/// Why a walk stopped early.
pub(crate) enum Flow {
    Break,
    Continue,
    Err(Box<Error>),
}

impl From<Box<Error>> for Flow {
    fn from(e: Box<Error>) -> Self {
        Flow::Err(e)
    }
}

type EResult<T> = Result<T, Box<Error>>;

/// The node execution is at, for error messages.
#[derive(Clone, Copy)]
enum At<'s> {
    None,
    Node(&'s Node),
    List(&'s ListNode),
    Pipe(&'s PipeNode),
    Cmd(&'s CommandNode),
    Arg(&'s Arg),
    Var(&'s VariableNode),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::None => 0,
            At::Node(n) => n.pos(),
            At::List(l) => l.pos,
            At::Pipe(p) => p.pos,
            At::Cmd(c) => c.pos,
            At::Arg(a) => a.pos(),
            At::Var(v) => v.pos,
        }
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::None => Ok(()),
            At::Node(n) => write!(f, "{n}"),
            At::List(l) => write!(f, "{l}"),
            At::Pipe(p) => write!(f, "{p}"),
            At::Cmd(c) => write!(f, "{c}"),
            At::Arg(a) => write!(f, "{a}"),
            At::Var(v) => write!(f, "{v}"),
        }
    }
}

/// Resource limits for execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Go's `maxExecDepth`: nesting of `{{template}}` calls within one
    /// execution (Go: 100000, error `exceeded maximum template depth (N)`).
    pub max_template_depth: usize,
    /// Nesting of executions started by functions (`include`/`tpl` through
    /// [`ExecHost`]). Go has no limit (it crashes on its stack limit).
    pub max_nested_executions: usize,
    /// Bytes one execution may write.
    pub max_output_bytes: usize,
    /// Nodes executed plus `range` iterations, per execution (a fuel
    /// budget against `{{range 1000000000}}`). Unlimited by default, as in Go.
    pub max_steps: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_template_depth: 100_000,
            max_nested_executions: 10_000,
            max_output_bytes: usize::MAX,
            max_steps: u64::MAX,
        }
    }
}

const RED_ZONE: usize = 128 * 1024;
const STACK_CHUNK: usize = 2 * 1024 * 1024;

pub(crate) struct State<'s> {
    set: &'s TemplateSet,
    tmpl_name: &'s str,
    tree: &'s Tree,
    out: String,
    vars: Vec<(&'s str, Ev)>,
    node: At<'s>,
    depth: usize,
    nesting: usize,
    steps: u64,
}

/// Executes the template `name` of `set` (already looked up) with `data`.
pub(crate) fn execute(
    set: &TemplateSet,
    tmpl_name: &str,
    tree: &Tree,
    data: Ev,
    nesting: usize,
) -> Result<String, Error> {
    let mut s = State {
        set,
        tmpl_name,
        tree,
        out: String::new(),
        vars: vec![("$", data.clone())],
        node: At::None,
        depth: 0,
        nesting,
        steps: 0,
    };
    if nesting > set.limits().max_nested_executions {
        return Err(*s.limit_error(format!(
            "chartkit: exceeded maximum nesting of template executions ({})",
            set.limits().max_nested_executions
        )));
    }
    match s.walk_list(&data, &tree.root) {
        Ok(()) => Ok(s.out),
        Err(Flow::Err(e)) => Err(*e),
        // The parser rejects break/continue outside range.
        Err(Flow::Break | Flow::Continue) => Ok(s.out),
    }
}

/// The executor's side of [`ExecHost`], handed to functions.
struct Host<'s> {
    set: &'s TemplateSet,
    current: &'s str,
    nesting: usize,
}

impl ExecHost for Host<'_> {
    fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, Error> {
        self.set.execute_nested(name, data, self.nesting + 1)
    }

    fn parse_and_execute(&mut self, name: &str, text: &str, data: &Value) -> Result<String, Error> {
        let mut clone = self.set.clone();
        clone.parse(name, text)?;
        clone.execute_nested(name, data, self.nesting + 1)
    }

    fn has_template(&self, name: &str) -> bool {
        self.set.has_template(name)
    }

    fn current_template(&self) -> &str {
        self.current
    }
}

impl<'s> State<'s> {
    // ---- errors ----------------------------------------------------------

    fn at(&mut self, node: At<'s>) {
        self.node = node;
    }

    fn make_error(&self, kind: ErrorKind, msg: String) -> Box<Error> {
        let name = self.tmpl_name;
        match self.node {
            At::None => Box::new(Error {
                kind,
                template: self.tree.parse_name.to_string(),
                span: None,
                line: 0,
                col: 0,
                go_message: format!("template: {name}: {msg}"),
                cause: msg,
                wrapped: None,
            }),
            node => {
                let pos = node.pos();
                let (line, col) = self.tree.location(pos);
                let context = node.to_string();
                let go_message = format!(
                    "template: {}:{}:{}: executing {} at <{}>: {}",
                    self.tree.parse_name,
                    line,
                    col,
                    crate::strconv::quote(name),
                    context,
                    msg
                );
                Box::new(Error {
                    kind,
                    template: self.tree.parse_name.to_string(),
                    span: Some(crate::error::Span {
                        start: pos,
                        end: pos + context.len(),
                    }),
                    line,
                    col: col + 1,
                    go_message,
                    cause: msg,
                    wrapped: None,
                })
            }
        }
    }

    fn errorf<T>(&self, msg: impl Into<String>) -> EResult<T> {
        Err(self.make_error(ErrorKind::Exec, msg.into()))
    }

    fn limit_error(&self, msg: String) -> Box<Error> {
        self.make_error(ErrorKind::Limit, msg)
    }

    fn write(&mut self, s: &str) -> EResult<()> {
        if self.out.len() + s.len() > self.set.limits().max_output_bytes {
            return Err(self.limit_error(format!(
                "chartkit: output exceeds the limit of {} bytes",
                self.set.limits().max_output_bytes
            )));
        }
        self.out.push_str(s);
        Ok(())
    }

    // ---- variables -------------------------------------------------------

    fn mark(&self) -> usize {
        self.vars.len()
    }

    fn pop(&mut self, mark: usize) {
        self.vars.truncate(mark);
    }

    fn set_var(&mut self, name: &str, value: Ev) -> EResult<()> {
        for v in self.vars.iter_mut().rev() {
            if v.0 == name {
                v.1 = value;
                return Ok(());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    fn set_top_var(&mut self, n: usize, value: Ev) {
        let len = self.vars.len();
        self.vars[len - n].1 = value;
    }

    fn var_value(&self, name: &str) -> EResult<Ev> {
        for v in self.vars.iter().rev() {
            if v.0 == name {
                return Ok(v.1.clone());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    // ---- statements ------------------------------------------------------

    fn walk_list(&mut self, dot: &Ev, list: &'s ListNode) -> Result<(), Flow> {
        self.at(At::List(list));
        for n in &list.nodes {
            self.walk(dot, n)?;
        }
        Ok(())
    }

    fn step(&mut self) -> EResult<()> {
        self.steps += 1;
        if self.steps > self.set.limits().max_steps {
            return Err(self.limit_error(format!(
                "chartkit: execution exceeded {} steps",
                self.set.limits().max_steps
            )));
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Ev, node: &'s Node) -> Result<(), Flow> {
        self.at(At::Node(node));
        self.step()?;
        match node {
            Node::Text { text, .. } => self.write(text)?,
            Node::Action { pipe, .. } => {
                let val = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at(At::Node(node));
                    self.print_value(&val)?;
                }
            }
            Node::Comment { .. } => {}
            Node::If(b) => self.walk_if_or_with(false, dot, b)?,
            Node::With(b) => self.walk_if_or_with(true, dot, b)?,
            Node::Range(b) => {
                stacker::maybe_grow(RED_ZONE, STACK_CHUNK, || self.walk_range(dot, node, b))?;
            }
            Node::Template { name, pipe, .. } => {
                stacker::maybe_grow(RED_ZONE, STACK_CHUNK, || {
                    self.walk_template(dot, node, name, pipe.as_ref())
                })?;
            }
            Node::Break { .. } => return Err(Flow::Break),
            Node::Continue { .. } => return Err(Flow::Continue),
        }
        Ok(())
    }

    fn walk_if_or_with(&mut self, is_with: bool, dot: &Ev, b: &'s BranchNode) -> Result<(), Flow> {
        let mark = self.mark();
        let r = stacker::maybe_grow(RED_ZONE, STACK_CHUNK, || -> Result<(), Flow> {
            let val = self.eval_pipeline(dot, &b.pipe)?;
            if truth(&val.clone().indirect_interface()) {
                if is_with {
                    self.walk_list(&val, &b.list)
                } else {
                    self.walk_list(dot, &b.list)
                }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(())
            }
        });
        self.pop(mark);
        r
    }

    fn walk_range(&mut self, dot: &Ev, node: &'s Node, r: &'s BranchNode) -> Result<(), Flow> {
        self.at(At::Node(node));
        let mark0 = self.mark();
        let res = self.walk_range_inner(dot, r);
        self.pop(mark0);
        match res {
            Err(Flow::Break) => Ok(()),
            other => other,
        }
    }

    fn one_iteration(
        &mut self,
        r: &'s BranchNode,
        mark: usize,
        index: Ev,
        elem: Ev,
    ) -> Result<(), Flow> {
        self.step()?;
        let decl = &r.pipe.decl;
        if !decl.is_empty() {
            if r.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(&decl[0].ident[0], index.clone())?;
                } else {
                    self.set_var(&decl[0].ident[0], elem.clone())?;
                }
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if decl.len() > 1 {
            if r.pipe.is_assign {
                self.set_var(&decl[1].ident[0], elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let res = self.walk_list(&elem, &r.list);
        self.pop(mark);
        match res {
            Err(Flow::Continue) => Ok(()),
            other => other,
        }
    }

    fn walk_range_inner(&mut self, dot: &Ev, r: &'s BranchNode) -> Result<(), Flow> {
        let val = self.eval_pipeline(dot, &r.pipe)?.indirect_interface();
        let mark = self.mark();
        let ran = match &val {
            Ev::Direct(v @ (Value::Int(_) | Value::Int64(_) | Value::Uint8(_))) => {
                if r.pipe.decl.len() > 1 {
                    let shown = crate::fmt::format_value(v);
                    return Err(self
                        .errorf::<()>(format!(
                            "can't use {shown} to iterate over more than one variable"
                        ))
                        .unwrap_err()
                        .into());
                }
                let n = match v {
                    Value::Int(n) | Value::Int64(n) => *n,
                    Value::Uint8(n) => *n as i64,
                    _ => 0,
                };
                for i in 0..n.max(0) {
                    let e = match v {
                        Value::Int(_) => Value::Int(i),
                        Value::Int64(_) => Value::Int64(i),
                        _ => Value::Uint8(i as u8),
                    };
                    self.one_iteration(r, mark, Ev::Invalid, Ev::Direct(e))?;
                }
                n > 0
            }
            Ev::Direct(Value::List(l)) => {
                let l = l.clone();
                for (i, e) in l.iter().enumerate() {
                    let elem = match l.elem {
                        ElemType::Interface => Ev::Iface(e.clone()),
                        ElemType::String => Ev::Direct(e.clone()),
                    };
                    self.one_iteration(r, mark, Ev::Direct(Value::Int(i as i64)), elem)?;
                }
                !l.is_empty()
            }
            Ev::Direct(Value::Bytes(b)) => {
                let b = b.clone();
                for (i, c) in b.iter().enumerate() {
                    self.one_iteration(
                        r,
                        mark,
                        Ev::Direct(Value::Int(i as i64)),
                        Ev::Direct(Value::Uint8(*c)),
                    )?;
                }
                !b.is_empty()
            }
            Ev::Direct(Value::Map(m)) => {
                // A snapshot (Go's fmtsort copies keys and values first); keys
                // become values only when a variable receives them.
                let want_keys = r.pipe.decl.len() > 1;
                let entries: Vec<(Ev, Value)> = m
                    .borrow()
                    .iter()
                    .map(|(k, v)| {
                        let key = if want_keys { Ev::Direct(Value::string(k.as_str())) } else { Ev::Invalid };
                        (key, v.clone())
                    })
                    .collect();
                for (k, v) in &entries {
                    self.one_iteration(r, mark, k.clone(), Ev::Iface(v.clone()))?;
                }
                !entries.is_empty()
            }
            Ev::Invalid => false,
            Ev::Direct(Value::Object(o)) if o.map_entries().is_some() => {
                let entries = o.map_entries().unwrap_or_default();
                for (k, v) in &entries {
                    self.one_iteration(
                        r,
                        mark,
                        Ev::Direct(Value::string(k.as_str())),
                        Ev::Direct(v.clone()),
                    )?;
                }
                !entries.is_empty()
            }
            Ev::Direct(other) | Ev::Iface(other) => {
                let shown = printable(other);
                return Err(self
                    .errorf::<()>(format!("range can't iterate over {shown}"))
                    .unwrap_err()
                    .into());
            }
        };
        if !ran && let Some(e) = &r.else_list {
            self.walk_list(dot, e)?;
        }
        Ok(())
    }

    fn walk_template(
        &mut self,
        dot: &Ev,
        node: &'s Node,
        name: &str,
        pipe: Option<&'s PipeNode>,
    ) -> Result<(), Flow> {
        self.at(At::Node(node));
        let Some((tmpl_name, tree)) = self.set.lookup(name) else {
            return Err(self
                .errorf::<()>(format!(
                    "template {} not defined",
                    crate::strconv::quote(name)
                ))
                .unwrap_err()
                .into());
        };
        let max = self.set.limits().max_template_depth;
        if self.depth >= max {
            return Err(self
                .errorf::<()>(format!("exceeded maximum template depth ({max})"))
                .unwrap_err()
                .into());
        }
        let new_dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Ev::Invalid,
        };
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$", new_dot.clone())]);
        let saved = (self.tmpl_name, self.tree, self.node);
        self.tmpl_name = tmpl_name;
        self.tree = tree;
        self.depth += 1;
        let res = self.walk_list(&new_dot, &tree.root);
        self.depth -= 1;
        self.vars = saved_vars;
        (self.tmpl_name, self.tree, self.node) = saved;
        match res {
            Err(Flow::Break | Flow::Continue) => Ok(()),
            other => other,
        }
    }

    fn print_value(&mut self, v: &Ev) -> EResult<()> {
        match v {
            Ev::Invalid => self.write("<no value>"),
            Ev::Direct(Value::String(s)) | Ev::Iface(Value::String(s)) => {
                let s = s.clone();
                self.write(&s)
            }
            Ev::Direct(v) | Ev::Iface(v) => {
                let s = printable(v);
                self.write(&s)
            }
        }
    }

    // ---- expressions -----------------------------------------------------

    fn eval_pipeline(&mut self, dot: &Ev, pipe: &'s PipeNode) -> EResult<Ev> {
        self.at(At::Pipe(pipe));
        let mut value: Option<Ev> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            value = Some(match v {
                Ev::Iface(Value::Nil) => Ev::Invalid,
                Ev::Iface(v) => Ev::Direct(v),
                v => v,
            });
        }
        let value = value.unwrap_or(Ev::Invalid);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(&var.ident[0], value.clone())?;
            } else {
                self.vars.push((&var.ident[0], value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &'s [Arg], final_: &Option<Ev>) -> EResult<()> {
        if args.len() > 1 || final_.is_some() {
            return self.errorf(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Ev, cmd: &'s CommandNode, final_: Option<Ev>) -> EResult<Ev> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { ident, .. } => {
                return self.eval_field_node(dot, first, ident, Some(&cmd.args), final_);
            }
            Arg::Chain { .. } => return self.eval_chain_node(dot, first, Some(&cmd.args), final_),
            Arg::Identifier { name, callee, .. } => {
                self.at(At::Arg(first));
                return self.eval_call(dot, callee, At::Cmd(cmd), name, Some(&cmd.args), final_);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &final_)?;
                return stacker::maybe_grow(RED_ZONE, STACK_CHUNK, || self.eval_pipeline(dot, p));
            }
            Arg::Variable(v) => return self.eval_variable_node(dot, v, Some(&cmd.args), final_),
            _ => {}
        }
        self.at(At::Arg(first));
        self.not_a_function(&cmd.args, &final_)?;
        match first {
            Arg::Bool { val, .. } => Ok(Ev::Direct(Value::Bool(*val))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => self.errorf("nil is not a command"),
            Arg::Number(n) => self.ideal_constant(first, n),
            Arg::String { text, .. } => Ok(Ev::Direct(Value::String(std::rc::Rc::from(&**text)))),
            _ => self.errorf(format!(
                "can't evaluate command {}",
                crate::strconv::quote(&first.to_string())
            )),
        }
    }

    fn ideal_constant(&mut self, node: &'s Arg, n: &NumberNode) -> EResult<Ev> {
        self.at(At::Arg(node));
        let text = &*n.text;
        let is_hex_int = text.len() > 2
            && text.as_bytes()[0] == b'0'
            && (text.as_bytes()[1] == b'x' || text.as_bytes()[1] == b'X')
            && !text.contains(['p', 'P']);
        let is_rune_int = text.starts_with('\'');
        if n.is_complex {
            return self.errorf(format!(
                "chartkit: complex constant {text} is not supported"
            ));
        }
        if n.is_float && !is_hex_int && !is_rune_int && text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Ev::Direct(Value::Float(n.float64)));
        }
        if n.is_int {
            return Ok(Ev::Direct(Value::Int(n.int64)));
        }
        if n.is_uint {
            return self.errorf(format!("{text} overflows int"));
        }
        Ok(Ev::Invalid)
    }

    fn eval_field_node(
        &mut self,
        dot: &Ev,
        node: &'s Arg,
        ident: &'s [Box<str>],
        args: Option<&'s [Arg]>,
        final_: Option<Ev>,
    ) -> EResult<Ev> {
        self.at(At::Arg(node));
        self.eval_field_chain(dot, dot.clone(), At::Arg(node), ident, args, final_)
    }

    fn eval_chain_node(
        &mut self,
        dot: &Ev,
        chain: &'s Arg,
        args: Option<&'s [Arg]>,
        final_: Option<Ev>,
    ) -> EResult<Ev> {
        self.at(At::Arg(chain));
        let Arg::Chain { node, field, .. } = chain else {
            return self.errorf("internal error: not a chain");
        };
        if field.is_empty() {
            return self.errorf("internal error: no fields in evalChainNode");
        }
        if let Arg::Nil { .. } = node.as_ref() {
            return self.errorf(format!("indirection through explicit nil in {chain}"));
        }
        let pipe = self.eval_arg(dot, ParamType::None, node)?;
        self.eval_field_chain(dot, pipe, At::Arg(chain), field, args, final_)
    }

    fn eval_variable_node(
        &mut self,
        dot: &Ev,
        v: &'s VariableNode,
        args: Option<&'s [Arg]>,
        final_: Option<Ev>,
    ) -> EResult<Ev> {
        self.at(At::Var(v));
        let value = self.var_value(&v.ident[0])?;
        if v.ident.len() == 1 {
            if let Some(args) = args {
                self.not_a_function(args, &final_)?;
            } else if final_.is_some() {
                return self.errorf(format!("can't give argument to non-function {v}"));
            }
            return Ok(value);
        }
        self.eval_field_chain(dot, value, At::Var(v), &v.ident[1..], args, final_)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Ev,
        receiver: Ev,
        node: At<'s>,
        ident: &'s [Box<str>],
        args: Option<&'s [Arg]>,
        final_: Option<Ev>,
    ) -> EResult<Ev> {
        let n = ident.len();
        let mut receiver = receiver;
        for name in &ident[..n - 1] {
            receiver = self.eval_field(dot, name, node, None, None, receiver)?;
        }
        self.eval_field(dot, &ident[n - 1], node, args, final_, receiver)
    }

    fn eval_field(
        &mut self,
        dot: &Ev,
        field_name: &'s str,
        node: At<'s>,
        args: Option<&'s [Arg]>,
        final_: Option<Ev>,
        receiver: Ev,
    ) -> EResult<Ev> {
        if !receiver.is_valid() {
            if self.set.missing_key() == MissingKey::Error {
                return self.errorf(format!(
                    "nil data; no entry for key {}",
                    crate::strconv::quote(field_name)
                ));
            }
            return Ok(Ev::Invalid);
        }
        let typ = receiver.type_name();
        let receiver = match receiver {
            Ev::Iface(Value::Nil) => {
                return self.errorf(format!("nil pointer evaluating {typ}.{field_name}"));
            }
            Ev::Iface(v) | Ev::Direct(v) => v,
            Ev::Invalid => Value::Nil,
        };
        let has_args = args.is_some_and(|a| a.len() > 1) || final_.is_some();
        match &receiver {
            Value::Object(obj) => {
                let obj = obj.clone();
                // Go looks for a method, then a field; a Go type cannot have
                // both of one name, so asking for the field first is
                // equivalent and does not evaluate arguments needlessly.
                if let Some(v) = obj.field(field_name) {
                    if has_args {
                        return self.errorf(format!(
                            "{field_name} has arguments but cannot be invoked as function"
                        ));
                    }
                    return Ok(if v.is_nil() {
                        Ev::Iface(Value::Nil)
                    } else {
                        Ev::Direct(v)
                    });
                }
                let mut argv = Vec::new();
                if let Some(args) = args {
                    for a in &args[1..] {
                        let v = self.eval_arg(dot, ParamType::Go(GoType::Any), a)?;
                        argv.push(v.value());
                    }
                }
                if let Some(f) = &final_ {
                    argv.push(f.value());
                }
                if let Some(result) = obj.call_method(field_name, &argv) {
                    return match result {
                        Ok(v) => Ok(Ev::from_result(v)),
                        Err(e) => {
                            self.at(node);
                            self.func_error(field_name, e)
                        }
                    };
                }
                if let Some(entries) = obj.map_entries() {
                    if has_args {
                        return self
                            .errorf(format!("{field_name} is not a method but has arguments"));
                    }
                    return match entries.into_iter().find(|(k, _)| k == field_name) {
                        Some((_, v)) => Ok(Ev::Direct(v)),
                        None => match self.set.missing_key() {
                            MissingKey::Default => Ok(Ev::Invalid),
                            MissingKey::Zero => Ok(Ev::Iface(Value::Nil)),
                            MissingKey::Error => self.errorf(format!(
                                "map has no entry for key {}",
                                crate::strconv::quote(field_name)
                            )),
                        },
                    };
                }
            }
            Value::Map(m) => {
                if has_args {
                    return self.errorf(format!("{field_name} is not a method but has arguments"));
                }
                return match m.get(field_name) {
                    Some(v) => Ok(Ev::Iface(v)),
                    None => match self.set.missing_key() {
                        MissingKey::Default => Ok(Ev::Invalid),
                        MissingKey::Zero => Ok(Ev::Iface(Value::Nil)),
                        MissingKey::Error => self.errorf(format!(
                            "map has no entry for key {}",
                            crate::strconv::quote(field_name)
                        )),
                    },
                };
            }
            _ => {}
        }
        self.errorf(format!("can't evaluate field {field_name} in type {typ}"))
    }

    /// `error calling NAME: %w` (or the bare message for argument errors).
    fn func_error<T>(&self, name: &str, e: FuncError) -> EResult<T> {
        let (msg, wrapped) = match e {
            FuncError::Call(m) => (format!("error calling {name}: {m}"), Wrapped::Message(m)),
            FuncError::Template(inner) => (
                format!("error calling {name}: {}", inner.go_message),
                Wrapped::Template(*inner),
            ),
            FuncError::Arg(m) => return self.errorf(m),
        };
        let mut err = self.make_error(ErrorKind::Exec, msg);
        err.wrapped = Some(Box::new(wrapped));
        Err(err)
    }

    /// Go's `evalCall` for functions (builtin or user). `node` is where a
    /// failing call is reported.
    fn eval_call(
        &mut self,
        dot: &Ev,
        callee: &Callee,
        node: At<'s>,
        name: &str,
        args: Option<&'s [Arg]>,
        final_: Option<Ev>,
    ) -> EResult<Ev> {
        let args: &'s [Arg] = match args {
            Some(a) => &a[1..],
            None => &[],
        };
        let (builtin_params, variadic, nparams): (&[ParamType], Option<ParamType>, usize) =
            match callee {
                Callee::Builtin(b) => {
                    let (p, v) = b.signature();
                    (p, v, p.len())
                }
                Callee::User(f) => {
                    (&[], f.signature.variadic.map(ParamType::Go), f.signature.params.len())
                }
            };
        let param = |i: usize| match callee {
            Callee::Builtin(_) => builtin_params[i],
            Callee::User(f) => ParamType::Go(f.signature.params[i]),
        };
        let num_in_decl = nparams + usize::from(variadic.is_some());
        let num_in = args.len() + usize::from(final_.is_some());
        let num_fixed = if variadic.is_some() {
            nparams
        } else {
            args.len()
        };
        if variadic.is_some() {
            if num_in < num_fixed {
                return self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    nparams,
                    args.len()
                ));
            }
        } else if num_in != num_in_decl {
            return self.errorf(format!(
                "wrong number of args for {name}: want {num_in_decl} got {num_in}"
            ));
        }

        if let Callee::Builtin(b @ (Builtin::And | Builtin::Or)) = callee {
            let is_or = *b == Builtin::Or;
            let mut v = Ev::Invalid;
            for a in args {
                v = self.eval_arg(dot, ParamType::Rv, a)?;
                if truth(&v.clone().indirect_interface()) == is_or {
                    return Ok(v);
                }
            }
            if let Some(f) = final_ {
                v = self.validate_type(f, ParamType::Rv)?;
            }
            return Ok(v);
        }

        let mut argv: Vec<Ev> = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            let v = self.eval_arg(dot, param(i), &args[i])?;
            argv.push(v);
            i += 1;
        }
        if let Some(vt) = variadic {
            while i < args.len() {
                let v = self.eval_arg(dot, vt, &args[i])?;
                argv.push(v);
                i += 1;
            }
        }
        if let Some(f) = final_ {
            let t = match variadic {
                Some(vt) => {
                    if num_in - 1 < num_fixed {
                        param(num_in - 1)
                    } else {
                        vt
                    }
                }
                None => param(nparams - 1),
            };
            let v = self.validate_type(f, t)?;
            argv.push(v);
        }

        match callee {
            Callee::Builtin(b) => {
                let callee_name;
                let extra = if *b == Builtin::Call {
                    callee_name = if args.is_empty() {
                        argv.first()
                            .map(|v| crate::fmt::format_value(&v.value()))
                            .unwrap_or_default()
                    } else {
                        args[0].to_string()
                    };
                    Some(callee_name.as_str())
                } else {
                    None
                };
                match builtins::call(*b, &argv, extra) {
                    Ok(v) => Ok(v),
                    Err(msg) => {
                        self.at(node);
                        self.func_error(name, FuncError::Call(msg))
                    }
                }
            }
            Callee::User(f) => {
                let values: Vec<Value> = argv.iter().map(Ev::value).collect();
                let mut host = Host {
                    set: self.set,
                    current: self.tmpl_name,
                    nesting: self.nesting,
                };
                let mut ctx = CallContext::new(&mut host);
                match f.call(&mut ctx, &values) {
                    Ok(v) => Ok(Ev::from_result(v)),
                    Err(e) => {
                        self.at(node);
                        self.func_error(name, e)
                    }
                }
            }
        }
    }

    fn validate_type(&mut self, value: Ev, typ: ParamType) -> EResult<Ev> {
        let go = match typ {
            ParamType::None => return Ok(value),
            ParamType::Rv => {
                return Ok(value);
            }
            ParamType::Go(t) => t,
        };
        if !value.is_valid() {
            if can_be_nil(go) {
                return Ok(Ev::Iface(Value::Nil));
            }
            return self.errorf(format!("invalid value; expected {}", go.go_name()));
        }
        if assignable(&value, go) {
            return Ok(value);
        }
        if let Ev::Iface(v) = &value
            && !v.is_nil()
        {
            let inner = Ev::Direct(v.clone());
            if assignable(&inner, go) {
                return Ok(inner);
            }
            return self.errorf(format!(
                "wrong type for value; expected {}; got {}",
                go.go_name(),
                inner.type_name()
            ));
        }
        self.errorf(format!(
            "wrong type for value; expected {}; got {}",
            go.go_name(),
            value.type_name()
        ))
    }

    fn eval_arg(&mut self, dot: &Ev, typ: ParamType, n: &'s Arg) -> EResult<Ev> {
        self.at(At::Arg(n));
        match n {
            Arg::Dot { .. } => return self.validate_type(dot.clone(), typ),
            Arg::Nil { .. } => {
                return match typ {
                    ParamType::Rv | ParamType::None => Ok(Ev::Invalid),
                    ParamType::Go(t) if can_be_nil(t) => Ok(Ev::Iface(Value::Nil)),
                    ParamType::Go(t) => {
                        self.errorf(format!("cannot assign nil to {}", t.go_name()))
                    }
                };
            }
            Arg::Field { ident, .. } => {
                let v = self.eval_field_node(dot, n, ident, Some(std::slice::from_ref(n)), None)?;
                return self.validate_type(v, typ);
            }
            Arg::Variable(v) => {
                let v = self.eval_variable_node(dot, v, None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Pipe(p) => {
                let v = stacker::maybe_grow(RED_ZONE, STACK_CHUNK, || self.eval_pipeline(dot, p))?;
                return self.validate_type(v, typ);
            }
            Arg::Identifier { name, callee, .. } => {
                self.at(At::Arg(n));
                let v = self.eval_call(dot, callee, At::Arg(n), name, None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Chain { .. } => {
                let v = self.eval_chain_node(dot, n, None, None)?;
                return self.validate_type(v, typ);
            }
            _ => {}
        }
        let go = match typ {
            ParamType::Rv | ParamType::None | ParamType::Go(GoType::Any) => {
                return self.eval_empty_interface(dot, n);
            }
            ParamType::Go(t) => t,
        };
        match go {
            GoType::Bool => {
                self.at(At::Arg(n));
                if let Arg::Bool { val, .. } = n {
                    return Ok(Ev::Direct(Value::Bool(*val)));
                }
                self.errorf(format!("expected bool; found {n}"))
            }
            GoType::Float64 => {
                self.at(At::Arg(n));
                if let Arg::Number(num) = n
                    && num.is_float
                {
                    return Ok(Ev::Direct(Value::Float(num.float64)));
                }
                self.errorf(format!("expected float; found {n}"))
            }
            GoType::Int | GoType::Int64 => {
                self.at(At::Arg(n));
                if let Arg::Number(num) = n
                    && num.is_int
                {
                    return Ok(Ev::Direct(if go == GoType::Int {
                        Value::Int(num.int64)
                    } else {
                        Value::Int64(num.int64)
                    }));
                }
                self.errorf(format!("expected integer; found {n}"))
            }
            GoType::String => {
                self.at(At::Arg(n));
                if let Arg::String { text, .. } = n {
                    return Ok(Ev::Direct(Value::String(std::rc::Rc::from(&**text))));
                }
                self.errorf(format!("expected string; found {n}"))
            }
            GoType::Any => self.eval_empty_interface(dot, n),
            GoType::List | GoType::StringList | GoType::Map | GoType::Bytes => {
                self.errorf(format!("can't handle {n} for arg of type {}", go.go_name()))
            }
        }
    }

    fn eval_empty_interface(&mut self, dot: &Ev, n: &'s Arg) -> EResult<Ev> {
        self.at(At::Arg(n));
        match n {
            Arg::Bool { val, .. } => Ok(Ev::Direct(Value::Bool(*val))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Field { ident, .. } => self.eval_field_node(dot, n, ident, None, None),
            Arg::Identifier { name, callee, .. } => {
                self.eval_call(dot, callee, At::Arg(n), name, None, None)
            }
            Arg::Nil { .. } => self.errorf("evalEmptyInterface: nil (can't happen)"),
            Arg::Number(num) => self.ideal_constant(n, num),
            Arg::String { text, .. } => Ok(Ev::Direct(Value::String(std::rc::Rc::from(&**text)))),
            Arg::Variable(v) => self.eval_variable_node(dot, v, None, None),
            Arg::Pipe(p) => self.eval_pipeline(dot, p),
            Arg::Chain { .. } => self.errorf(format!(
                "can't handle assignment of {n} to empty interface argument"
            )),
        }
    }
}

/// Go's `printableValue` + `fmt.Fprint`: pointers are dereferenced first,
/// so a pointer to a struct prints `{...}`, not `&{...}`.
fn printable(v: &Value) -> String {
    let mut s = String::new();
    crate::fmt::write_value(&mut s, v);
    if let Value::Object(o) = v
        && o.kind_name() == "ptr"
        && s.starts_with('&')
    {
        s.remove(0);
    }
    s
}

fn can_be_nil(t: GoType) -> bool {
    matches!(
        t,
        GoType::Any | GoType::List | GoType::StringList | GoType::Map | GoType::Bytes
    )
}

/// Go's `AssignableTo` between a value's dynamic type and a parameter type.
fn assignable(v: &Ev, t: GoType) -> bool {
    if t == GoType::Any {
        return true;
    }
    let Ev::Direct(v) = v else { return false };
    matches!(
        (t, v),
        (GoType::String, Value::String(_))
            | (GoType::Bool, Value::Bool(_))
            | (GoType::Int, Value::Int(_))
            | (GoType::Int64, Value::Int64(_))
            | (GoType::Float64, Value::Float(_))
            | (GoType::Map, Value::Map(_))
            | (GoType::Bytes, Value::Bytes(_))
    ) || matches!((t, v), (GoType::List, Value::List(l)) if l.elem == ElemType::Interface)
        || matches!((t, v), (GoType::StringList, Value::List(l)) if l.elem == ElemType::String)
}

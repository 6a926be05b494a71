//! Parsing: Go's `text/template/parse`, producing [`Tree`]s of spanned
//! nodes. The parser mirrors Go's structure (three-token lookahead, the
//! same error points) so parse errors read and number lines exactly as
//! Go's do.

pub(crate) mod lex;
pub mod node;

use std::sync::Arc as Rc;

use lex::{Item, ItemType, Lexer};
use node::{Arg, BranchNode, CommandNode, ListNode, Node, NumberNode, PipeNode, Pos, VariableNode};

use crate::error::{Error, ErrorKind};
use crate::exec::Callee;
use crate::func::FuncMap;
use crate::strconv;

/// A parsed template body: the text of one `define`/`block`, or of the
/// top level of a parsed text.
#[derive(Debug)]
pub struct Tree {
    /// The template's name.
    pub name: Rc<str>,
    /// The name of the text it was parsed from (Go's `ParseName`), used in
    /// error locations.
    pub parse_name: Rc<str>,
    /// The complete text it was parsed from (positions index into it).
    pub text: Rc<str>,
    pub root: ListNode,
}

impl Tree {
    /// Go's `parse.IsEmptyTree`.
    pub fn is_empty(&self) -> bool {
        node::is_empty_list(&self.root)
    }

    /// 1-based line and Go's 0-based byte column of a position.
    pub fn location(&self, pos: Pos) -> (usize, usize) {
        let pos = pos.min(self.text.len());
        let before = &self.text.as_bytes()[..pos];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let col = match before.iter().rposition(|&b| b == b'\n') {
            Some(nl) => pos - (nl + 1),
            None => pos,
        };
        (line, col)
    }
}

/// Go's `parse.maxStackDepth`: nesting of parenthesised pipelines.
const MAX_STACK_DEPTH: usize = 10000;

struct ParseError {
    msg: String,
    line: usize,
}

type PResult<T> = Result<T, ParseError>;

/// What `textOrAction` can produce: a node, or the `{{end}}`/`{{else}}`
/// that closes a list.
enum Step {
    Node(Node),
    End,
    Else(Pos),
}

impl Step {
    fn describe(&self) -> String {
        match self {
            Step::Node(n) => n.to_string(),
            Step::End => "{{end}}".into(),
            Step::Else(_) => "{{else}}".into(),
        }
    }
}

/// Per-tree parser state (Go creates a new Tree sharing the lexer for each
/// `define` and `block`).
struct TreeState<'a> {
    token: [Item<'a>; 3],
    peek_count: usize,
    vars: Vec<Box<str>>,
    action_line: usize,
    range_depth: usize,
    stack_depth: usize,
}

impl<'a> TreeState<'a> {
    fn new() -> Self {
        let eof = || Item {
            typ: ItemType::Eof,
            pos: 0,
            val: "".into(),
            line: 0,
        };
        TreeState {
            token: [eof(), eof(), eof()],
            peek_count: 0,
            vars: vec!["$".into()],
            action_line: 0,
            range_depth: 0,
            stack_depth: 0,
        }
    }
}

struct Parser<'a, 'f> {
    lex: Lexer<'a>,
    st: TreeState<'a>,
    parse_name: Rc<str>,
    text: Rc<str>,
    funcs: &'f FuncMap,
    /// Trees defined by this parse, in definition order (names unique).
    tree_set: Vec<Tree>,
}

/// Parses `text` as the template `name` (Go's `parse.Parse`): returns the
/// top-level tree and every `define`/`block` in it.
pub(crate) fn parse(name: &str, text: &str, funcs: &FuncMap) -> Result<Vec<Tree>, Error> {
    let text_rc: Rc<str> = Rc::from(text);
    let name_rc: Rc<str> = Rc::from(name);
    let mut lexer = Lexer::new(text);
    lexer.break_ok = !has_function(funcs, "break");
    lexer.continue_ok = !has_function(funcs, "continue");
    let mut p = Parser {
        lex: lexer,
        st: TreeState::new(),
        parse_name: name_rc.clone(),
        text: text_rc,
        funcs,
        tree_set: Vec::new(),
    };
    match p.parse_top(name_rc) {
        Ok(()) => Ok(p.tree_set),
        Err(e) => Err(Error {
            kind: ErrorKind::Parse,
            template: name.to_owned(),
            span: None,
            line: e.line,
            col: 0,
            go_message: e.msg.clone(),
            wrapped: None,
            cause: e
                .msg
                .split_once(": ")
                .and_then(|(_, rest)| rest.split_once(": "))
                .map_or(e.msg.clone(), |(_, c)| c.to_owned()),
        }),
    }
}

pub(crate) fn has_function(funcs: &FuncMap, name: &str) -> bool {
    funcs.contains(name) || crate::builtins::Builtin::from_name(name).is_some()
}

fn number_error(msg: String) -> String {
    msg
}

impl<'a, 'f> Parser<'a, 'f> {
    // ---- errors ----------------------------------------------------------

    fn errorf<T>(&self, msg: impl Into<String>) -> PResult<T> {
        let line = self.st.token[0].line;
        Err(ParseError {
            msg: format!("template: {}:{}: {}", self.parse_name, line, msg.into()),
            line,
        })
    }

    fn unexpected<T>(&self, token: &Item<'a>, context: &str) -> PResult<T> {
        if token.typ == ItemType::Error {
            let mut extra = String::new();
            if self.st.action_line != 0 && self.st.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.st.action_line
                );
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_owned();
                }
            }
            return self.errorf(format!("{}{}", token.describe(), extra));
        }
        self.errorf(format!("unexpected {} in {}", token.describe(), context))
    }

    // ---- token stream ----------------------------------------------------

    fn next(&mut self) -> Item<'a> {
        if self.st.peek_count > 0 {
            self.st.peek_count -= 1;
        } else {
            self.st.token[0] = self.lex.next_item();
        }
        self.st.token[self.st.peek_count].clone()
    }

    fn backup(&mut self) {
        self.st.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item<'a>) {
        self.st.token[1] = t1;
        self.st.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item<'a>, t1: Item<'a>) {
        self.st.token[1] = t1;
        self.st.token[2] = t2;
        self.st.peek_count = 3;
    }

    fn peek(&mut self) -> Item<'a> {
        if self.st.peek_count > 0 {
            return self.st.token[self.st.peek_count - 1].clone();
        }
        self.st.peek_count = 1;
        self.st.token[0] = self.lex.next_item();
        self.st.token[0].clone()
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let t = self.next();
            if t.typ != ItemType::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> PResult<Item<'a>> {
        let t = self.next_non_space();
        if t.typ != expected {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn expect_one_of(&mut self, e1: ItemType, e2: ItemType, context: &str) -> PResult<Item<'a>> {
        let t = self.next_non_space();
        if t.typ != e1 && t.typ != e2 {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    // ---- trees -----------------------------------------------------------

    /// Adds a finished tree to this parse's set (Go's `Tree.add`).
    fn add(&mut self, tree: Tree) -> PResult<()> {
        if let Some(i) = self.tree_set.iter().position(|t| t.name == tree.name) {
            if self.tree_set[i].is_empty() {
                self.tree_set[i] = tree;
                return Ok(());
            }
            if !tree.is_empty() {
                return self.errorf(format!(
                    "template: multiple definition of template {}",
                    strconv::quote(&tree.name)
                ));
            }
            return Ok(());
        }
        self.tree_set.push(tree);
        Ok(())
    }

    fn new_tree(&self, name: Rc<str>, root: ListNode) -> Tree {
        Tree {
            name,
            parse_name: self.parse_name.clone(),
            text: self.text.clone(),
            root,
        }
    }

    /// Runs `f` with fresh per-tree state, as Go does for a new Tree that
    /// shares the lexer.
    fn with_new_tree<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let saved = std::mem::replace(&mut self.st, TreeState::new());
        let r = f(self);
        if r.is_ok() {
            self.st = saved;
        } else {
            // Keep the failing tree's token for the error line, but it is
            // already baked into the message.
            self.st = saved;
        }
        r
    }

    fn parse_top(&mut self, name: Rc<str>) -> PResult<()> {
        let pos = self.peek().pos;
        let mut root = ListNode {
            pos,
            nodes: Vec::new(),
        };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                if self.next_non_space().typ == ItemType::Define {
                    self.with_new_tree(|p| p.parse_definition())?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Step::Node(n) => root.nodes.push(n),
                s @ (Step::End | Step::Else(_)) => {
                    return self.errorf(format!("unexpected {}", s.describe()));
                }
            }
        }
        let tree = self.new_tree(name, root);
        self.add(tree)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let name_tok = self.expect_one_of(ItemType::String, ItemType::RawString, CONTEXT)?;
        let name = match strconv::unquote(&name_tok.val) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(()) => return self.errorf(strconv::ERR_SYNTAX),
        };
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let (root, end) = self.item_list()?;
        if !matches!(end, Step::End) {
            return self.errorf(format!("unexpected {} in {}", end.describe(), CONTEXT));
        }
        let tree = self.new_tree(Rc::from(name), root);
        self.add(tree)
    }

    fn item_list(&mut self) -> PResult<(ListNode, Step)> {
        let pos = self.peek_non_space().pos;
        let mut list = ListNode {
            pos,
            nodes: Vec::new(),
        };
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Step::Node(n) => list.nodes.push(n),
                s => return Ok((list, s)),
            }
        }
        self.errorf("unexpected EOF")
    }

    fn text_or_action(&mut self) -> PResult<Step> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            let token = self.next_non_space();
            match token.typ {
                ItemType::Text => Ok(Step::Node(Node::Text {
                    pos: token.pos,
                    text: token.val.as_ref().into(),
                })),
                ItemType::LeftDelim => {
                    self.st.action_line = token.line;
                    let r = self.action();
                    self.st.action_line = 0;
                    r
                }
                ItemType::Comment => Ok(Step::Node(Node::Comment {
                    pos: token.pos,
                    text: token.val.as_ref().into(),
                })),
                _ => self.unexpected(&token, "input"),
            }
        })
    }

    fn action(&mut self) -> PResult<Step> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => return self.block_control().map(Step::Node),
            ItemType::Break => return self.break_control(token.pos, true),
            ItemType::Continue => return self.break_control(token.pos, false),
            ItemType::Else => return self.else_control(),
            ItemType::End => {
                self.expect(ItemType::RightDelim, "end")?;
                return Ok(Step::End);
            }
            ItemType::If => return self.if_control().map(Step::Node),
            ItemType::Range => return self.range_control().map(Step::Node),
            ItemType::Template => return self.template_control().map(Step::Node),
            ItemType::With => return self.with_control().map(Step::Node),
            _ => {}
        }
        self.backup();
        let token = self.peek();
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Step::Node(Node::Action {
            pos: token.pos,
            pipe,
        }))
    }

    fn break_control(&mut self, pos: Pos, is_break: bool) -> PResult<Step> {
        let word = if is_break {
            "{{break}}"
        } else {
            "{{continue}}"
        };
        let token = self.next_non_space();
        if token.typ != ItemType::RightDelim {
            return self.unexpected(&token, word);
        }
        if self.st.range_depth == 0 {
            return self.errorf(format!("{word} outside {{{{range}}}}"));
        }
        Ok(Step::Node(if is_break {
            Node::Break { pos }
        } else {
            Node::Continue { pos }
        }))
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<PipeNode> {
        let token = self.peek_non_space();
        let mut pipe = PipeNode {
            pos: token.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ == ItemType::Variable {
                self.next();
                let token_after_variable = self.peek();
                let next = self.peek_non_space();
                if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                    pipe.is_assign = next.typ == ItemType::Assign;
                    self.next_non_space();
                    pipe.decl.push(new_variable(v.pos, &v.val));
                    self.st.vars.push(v.val.as_ref().into());
                } else if next.typ == ItemType::Char && next.val == "," {
                    self.next_non_space();
                    pipe.decl.push(new_variable(v.pos, &v.val));
                    self.st.vars.push(v.val.as_ref().into());
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                                continue 'decls;
                            }
                            _ => return self.errorf("range can only initialize variables"),
                        }
                    }
                    return self.errorf(format!("too many declarations in {context}"));
                } else if token_after_variable.typ == ItemType::Space {
                    self.backup3(v, token_after_variable);
                } else {
                    self.backup2(v);
                }
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            match token.typ {
                t if t == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &PipeNode, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool { .. }
                    | Arg::Dot { .. }
                    | Arg::Nil { .. }
                    | Arg::Number(_)
                    | Arg::String { .. }
            ) {
                return self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn parse_control(&mut self, context: &str) -> PResult<BranchNode> {
        let nvars = self.st.vars.len();
        let r = self.parse_control_inner(context);
        self.st.vars.truncate(nvars);
        r
    }

    fn parse_control_inner(&mut self, context: &str) -> PResult<BranchNode> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.st.range_depth += 1;
        }
        let (list, next) = self.item_list()?;
        if context == "range" {
            self.st.range_depth -= 1;
        }
        let mut else_list = None;
        if let Step::Else(else_pos) = next {
            if context == "if" && self.peek().typ == ItemType::If {
                self.next();
                let n = self.if_control()?;
                else_list = Some(ListNode {
                    pos: else_pos,
                    nodes: vec![n],
                });
            } else if context == "with" && self.peek().typ == ItemType::With {
                self.next();
                let n = self.with_control()?;
                else_list = Some(ListNode {
                    pos: else_pos,
                    nodes: vec![n],
                });
            } else {
                let (l, next) = self.item_list()?;
                if !matches!(next, Step::End) {
                    return self.errorf(format!("expected end; found {}", next.describe()));
                }
                else_list = Some(l);
            }
        }
        Ok(BranchNode {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn if_control(&mut self) -> PResult<Node> {
        Ok(Node::If(Box::new(self.parse_control("if")?)))
    }

    fn range_control(&mut self) -> PResult<Node> {
        Ok(Node::Range(Box::new(self.parse_control("range")?)))
    }

    fn with_control(&mut self) -> PResult<Node> {
        Ok(Node::With(Box::new(self.parse_control("with")?)))
    }

    fn else_control(&mut self) -> PResult<Step> {
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If || peek.typ == ItemType::With {
            return Ok(Step::Else(peek.pos));
        }
        let token = self.expect(ItemType::RightDelim, "else")?;
        Ok(Step::Else(token.pos))
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;
        let outer_line = self.st.token[0].line;
        let block_name: Rc<str> = Rc::from(name.as_str());
        self.with_new_tree(|p| {
            let (root, end) = p.item_list()?;
            if !matches!(end, Step::End) {
                // Go reports this with the enclosing tree's line.
                let msg = format!(
                    "template: {}:{}: unexpected {} in {}",
                    p.parse_name,
                    outer_line,
                    end.describe(),
                    CONTEXT
                );
                return Err(ParseError {
                    msg,
                    line: outer_line,
                });
            }
            let tree = p.new_tree(block_name, root);
            p.add(tree)
        })?;
        Ok(Node::Template {
            pos: token.pos,
            name: name.into(),
            pipe: Some(pipe),
        })
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, ItemType::RightDelim)?);
        }
        Ok(Node::Template {
            pos: token.pos,
            name: name.into(),
            pipe,
        })
    }

    fn parse_template_name(&mut self, token: &Item<'a>, context: &str) -> PResult<String> {
        match token.typ {
            ItemType::String | ItemType::RawString => match strconv::unquote(&token.val) {
                Ok(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
                Err(()) => self.errorf(strconv::ERR_SYNTAX),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn command(&mut self) -> PResult<CommandNode> {
        let pos = self.peek_non_space().pos;
        let mut cmd = CommandNode {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.errorf("empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ == ItemType::Field {
            let chain_pos = self.peek().pos;
            let mut fields: Vec<Box<str>> = Vec::new();
            while self.peek().typ == ItemType::Field {
                let f = self.next();
                fields.push(f.val[1..].into());
            }
            return match node {
                Arg::Field { ident, .. } => {
                    let mut ident = ident;
                    ident.extend(fields);
                    Ok(Some(Arg::Field {
                        pos: chain_pos,
                        ident,
                    }))
                }
                Arg::Variable(v) => {
                    let mut ident = v.ident;
                    ident.extend(fields);
                    Ok(Some(Arg::Variable(VariableNode {
                        pos: chain_pos,
                        ident,
                    })))
                }
                Arg::Bool { .. }
                | Arg::String { .. }
                | Arg::Number(_)
                | Arg::Nil { .. }
                | Arg::Dot { .. } => self.errorf(format!(
                    "unexpected . after term {}",
                    strconv::quote(&node.to_string())
                )),
                other => Ok(Some(Arg::Chain {
                    pos: chain_pos,
                    node: Box::new(other),
                    field: fields,
                })),
            };
        }
        Ok(Some(node))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        let pos = token.pos;
        Ok(Some(match token.typ {
            ItemType::Identifier => {
                let name: &str = &token.val;
                let Some(callee) = Callee::resolve(self.funcs, name) else {
                    return self.errorf(format!("function {} not defined", strconv::quote(name)));
                };
                Arg::Identifier {
                    pos,
                    name: name.into(),
                    callee,
                }
            }
            ItemType::Dot => Arg::Dot { pos },
            ItemType::Nil => Arg::Nil { pos },
            ItemType::Variable => return self.use_var(pos, &token.val).map(Some),
            ItemType::Field => Arg::Field {
                pos,
                ident: vec![token.val[1..].into()],
            },
            ItemType::Bool => Arg::Bool {
                pos,
                val: token.val == "true",
            },
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                match new_number(pos, &token.val, token.typ) {
                    Ok(n) => Arg::Number(Box::new(n)),
                    Err(msg) => return self.errorf(msg),
                }
            }
            ItemType::LeftParen => {
                if self.st.stack_depth >= MAX_STACK_DEPTH {
                    return self.errorf("max expression depth exceeded");
                }
                self.st.stack_depth += 1;
                let r = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    self.pipeline("parenthesized pipeline", ItemType::RightParen)
                });
                self.st.stack_depth -= 1;
                Arg::Pipe(Box::new(r?))
            }
            ItemType::String | ItemType::RawString => match strconv::unquote(&token.val) {
                Ok(b) => {
                    let text: Rc<str> = match String::from_utf8(b) {
                        Ok(s) => Rc::from(s),
                        Err(e) => Rc::from(String::from_utf8_lossy(e.as_bytes()).into_owned()),
                    };
                    Arg::String {
                        pos,
                        quoted: token.val.as_ref().into(),
                        text,
                    }
                }
                Err(()) => return self.errorf(strconv::ERR_SYNTAX),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }

    fn use_var(&mut self, pos: Pos, name: &str) -> PResult<Arg> {
        let v = new_variable(pos, name);
        if self.st.vars.iter().any(|n| **n == *v.ident[0]) {
            return Ok(Arg::Variable(v));
        }
        self.errorf(format!(
            "undefined variable {}",
            strconv::quote(&v.ident[0])
        ))
    }
}

fn new_variable(pos: Pos, ident: &str) -> VariableNode {
    VariableNode {
        pos,
        ident: ident.split('.').map(Into::into).collect(),
    }
}

/// Go's `Tree.newNumber`.
fn new_number(pos: Pos, text: &str, typ: ItemType) -> Result<NumberNode, String> {
    let mut n = NumberNode {
        pos,
        text: text.into(),
        ..Default::default()
    };
    match typ {
        ItemType::CharConstant => {
            let b = text.as_bytes();
            let (r, _, consumed) = strconv::unquote_char(&b[1..], b[0])
                .map_err(|()| strconv::ERR_SYNTAX.to_owned())?;
            if &text[1 + consumed..] != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            n.int64 = r as i64;
            n.is_int = true;
            n.uint64 = r as u64;
            n.is_uint = true;
            n.float64 = r as f64;
            n.is_float = true;
            return Ok(n);
        }
        ItemType::Complex => {
            let c = parse_complex(text).ok_or_else(|| "expected integer".to_owned())?;
            n.is_complex = true;
            n.complex = c;
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    if let Some(body) = text.strip_suffix('i')
        && let Some(f) = strconv::parse_float(body)
    {
        n.is_complex = true;
        n.complex = (0.0, f);
        simplify_complex(&mut n);
        return Ok(n);
    }
    let u = strconv::parse_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Some(i) = strconv::parse_int(text) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            n.is_uint = true;
            n.uint64 = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Some(f) = strconv::parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(number_error(format!(
                "integer overflow: {}",
                strconv::quote(text)
            )));
        }
        n.is_float = true;
        n.float64 = f;
        if !n.is_int && (f as i64) as f64 == f && f.fract() == 0.0 && f.abs() < 9.3e18 {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if !n.is_uint && f >= 0.0 && (f as u64) as f64 == f && f < 1.8e19 {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", strconv::quote(text)));
    }
    Ok(n)
}

fn simplify_complex(n: &mut NumberNode) {
    n.is_float = n.complex.1 == 0.0;
    if n.is_float {
        let f = n.complex.0;
        n.float64 = f;
        n.is_int = f.fract() == 0.0 && f.abs() < 9.3e18 && (f as i64) as f64 == f;
        if n.is_int {
            n.int64 = f as i64;
        }
        n.is_uint = f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 && (f as u64) as f64 == f;
        if n.is_uint {
            n.uint64 = f as u64;
        }
    }
}

/// `fmt.Sscan` of a complex literal like `1+2i` (the lexer guarantees the
/// shape: a real part, a sign, an imaginary part ending in `i`).
fn parse_complex(text: &str) -> Option<(f64, f64)> {
    let body = text.strip_suffix('i')?;
    let bytes = body.as_bytes();
    // Split at the last sign that is not an exponent sign or leading.
    let mut split = None;
    for i in (1..bytes.len()).rev() {
        if (bytes[i] == b'+' || bytes[i] == b'-')
            && !matches!(bytes[i - 1], b'e' | b'E' | b'p' | b'P')
        {
            split = Some(i);
            break;
        }
    }
    let i = split?;
    let re = strconv::parse_float(&body[..i])?;
    let im = strconv::parse_float(&body[i..])?;
    Some((re, im))
}

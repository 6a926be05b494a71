//! libyaml's emitter as go-yaml v2 and v3 run it, for the node shapes the
//! encoders produce (block and empty flow collections, implicit scalars).
//!
//! The state machine of `emitterc.go` is followed function by function —
//! indentation, simple-key checks, scalar analysis and style selection, line
//! folding at `best_width` — so the output matches byte for byte. The two
//! versions differ in a few places, selected by [`Flavor`]: v3 indents block
//! sequences under mapping keys, never folds (infinite width), tolerates tabs
//! in block scalars and computes nested indentation differently.

/// An event-tree node to emit.
#[derive(Clone, Debug)]
pub(crate) enum ENode {
    Scalar { value: String, style: ReqStyle },
    Seq(Vec<ENode>),
    Map(Vec<(ENode, ENode)>),
}

/// The style the encoder asks for; the emitter may override it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReqStyle {
    Plain,
    DoubleQuoted,
    Literal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    V2,
    V3,
}

/// The emitter's "return" states that matter for v3's indentation rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    DocumentEnd,
    BlockSequenceItem,
    BlockMappingKey,
    BlockMappingSimpleValue,
    BlockMappingValue,
    FlowSequenceItem,
    FlowMappingKey,
    FlowMappingSimpleValue,
    FlowMappingValue,
}

#[derive(Default, Clone, Copy)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

struct Emitter {
    flavor: Flavor,
    out: String,
    best_indent: i64,
    best_width: i64,
    indent: i64,
    indents: Vec<i64>,
    states: Vec<State>,
    column: i64,
    whitespace: bool,
    indention: bool,
    flow_level: usize,
    root_context: bool,
    sequence_context: bool,
    mapping_context: bool,
    simple_key_context: bool,
}

// Character classes of yamlprivateh.go, on chars instead of UTF-8 bytes.
fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_blankz(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => is_blank(c) || is_break(c) || c == '\0',
    }
}

/// go-yaml's `is_printable` (note: no 4-byte characters, no tabs).
fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

fn analyze(value: &str, flavor: Flavor) -> Analysis {
    let chars: Vec<char> = value.chars().collect();
    if chars.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut tab_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.starts_with("---") || value.starts_with("...") {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let n = chars.len();
    for i in 0..n {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let followed_by_whitespace = next.is_none_or(is_blank);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if flavor == Flavor::V3 && c == '\t' {
            tab_characters = true;
        } else if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(Some(c));
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || tab_characters || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

impl Emitter {
    fn new(flavor: Flavor, best_indent: i64) -> Self {
        let best_indent = if (2..=9).contains(&best_indent) {
            best_indent
        } else {
            2
        };
        Emitter {
            flavor,
            out: String::new(),
            best_indent,
            best_width: match flavor {
                Flavor::V2 => 80,
                Flavor::V3 => i64::from(i32::MAX),
            },
            indent: -1,
            indents: Vec::new(),
            states: Vec::new(),
            column: 0,
            whitespace: true,
            indention: true,
            flow_level: 0,
            root_context: false,
            sequence_context: false,
            mapping_context: false,
            simple_key_context: false,
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        if self.flavor == Flavor::V3 {
            self.indention = true;
        }
    }

    fn write(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
            if self.flavor == Flavor::V3 {
                self.indention = true;
            }
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { self.best_indent } else { 0 };
        } else if !indentless {
            match self.flavor {
                Flavor::V2 => self.indent += self.best_indent,
                Flavor::V3 => {
                    if self.states.last() == Some(&State::BlockSequenceItem) {
                        self.indent += 2;
                    } else {
                        self.indent = self.best_indent
                            * ((self.indent + self.best_indent) / self.best_indent);
                    }
                }
            }
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        ind: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.write(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn document(&mut self, root: &ENode) {
        self.states.push(State::DocumentEnd);
        self.node(root, true, false, false, false);
        self.states.pop();
        // DOCUMENT-END (implicit).
        self.write_indent();
    }

    fn node(&mut self, node: &ENode, root: bool, sequence: bool, mapping: bool, simple_key: bool) {
        self.root_context = root;
        self.sequence_context = sequence;
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match node {
            ENode::Scalar { value, style } => self.scalar(value, *style),
            ENode::Seq(items) => {
                if self.flow_level > 0 || items.is_empty() {
                    self.flow_sequence(items);
                } else {
                    self.block_sequence(items);
                }
            }
            ENode::Map(pairs) => {
                if self.flow_level > 0 || pairs.is_empty() {
                    self.flow_mapping(pairs);
                } else {
                    self.block_mapping(pairs);
                }
            }
        }
    }

    fn child(
        &mut self,
        state: State,
        node: &ENode,
        sequence: bool,
        mapping: bool,
        simple_key: bool,
    ) {
        self.states.push(state);
        self.node(node, false, sequence, mapping, simple_key);
        self.states.pop();
    }

    fn flow_sequence(&mut self, items: &[ENode]) {
        self.write_indicator("[", true, true, false);
        self.increase_indent(true, false);
        self.flow_level += 1;
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.write_indicator(",", false, false, false);
            }
            if self.column > self.best_width {
                self.write_indent();
            }
            self.child(State::FlowSequenceItem, item, true, false, false);
        }
        self.flow_level -= 1;
        self.pop_indent();
        if self.flavor == Flavor::V3 && self.column == 0 {
            self.write_indent();
        }
        self.write_indicator("]", false, false, false);
    }

    fn flow_mapping(&mut self, pairs: &[(ENode, ENode)]) {
        self.write_indicator("{", true, true, false);
        self.increase_indent(true, false);
        self.flow_level += 1;
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                self.write_indicator(",", false, false, false);
            }
            if self.column > self.best_width {
                self.write_indent();
            }
            if self.check_simple_key(k) {
                self.child(State::FlowMappingSimpleValue, k, false, true, true);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, false);
                self.child(State::FlowMappingValue, k, false, true, false);
                if self.column > self.best_width {
                    self.write_indent();
                }
                self.write_indicator(":", true, false, false);
            }
            self.child(State::FlowMappingKey, v, false, true, false);
        }
        self.flow_level -= 1;
        self.pop_indent();
        if self.flavor == Flavor::V3 && self.column == 0 {
            self.write_indent();
        }
        self.write_indicator("}", false, false, false);
    }

    fn block_sequence(&mut self, items: &[ENode]) {
        let indentless = match self.flavor {
            Flavor::V2 => self.mapping_context && !self.indention,
            Flavor::V3 => false,
        };
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.child(State::BlockSequenceItem, item, true, false, false);
        }
        self.pop_indent();
    }

    fn block_mapping(&mut self, pairs: &[(ENode, ENode)]) {
        self.increase_indent(false, false);
        for (k, v) in pairs {
            self.write_indent();
            if self.check_simple_key(k) {
                self.child(State::BlockMappingSimpleValue, k, false, true, true);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.child(State::BlockMappingValue, k, false, true, false);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.child(State::BlockMappingKey, v, false, true, false);
        }
        self.pop_indent();
    }

    fn check_simple_key(&self, node: &ENode) -> bool {
        match node {
            ENode::Scalar { value, .. } => {
                !analyze(value, self.flavor).multiline && value.len() <= 128
            }
            ENode::Seq(items) => items.is_empty(),
            ENode::Map(pairs) => pairs.is_empty(),
        }
    }

    fn scalar(&mut self, value: &str, requested: ReqStyle) {
        let a = analyze(value, self.flavor);
        let mut style = match requested {
            ReqStyle::Plain => Style::Plain,
            ReqStyle::DoubleQuoted => Style::Double,
            ReqStyle::Literal => Style::Literal,
        };
        if self.simple_key_context && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed)
                || (self.flow_level == 0 && !a.block_plain_allowed)
            {
                style = Style::Single;
            }
            if value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal
            && (!a.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            Style::Plain => self.plain(value, allow_breaks),
            Style::Single => self.single_quoted(value, allow_breaks),
            Style::Double => self.double_quoted(value, allow_breaks),
            Style::Literal => self.literal(value),
        }
        self.pop_indent();
    }

    fn plain(&mut self, value: &str, allow_breaks: bool) {
        let chars: Vec<char> = value.chars().collect();
        if (self.flavor == Flavor::V2 || !chars.is_empty()) && !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.write(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        if self.flavor == Flavor::V2 || !chars.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn single_quoted(&mut self, value: &str, allow_breaks: bool) {
        let chars: Vec<char> = value.chars().collect();
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let n = chars.len();
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i + 1 < n
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.write(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.write(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn double_quoted(&mut self, value: &str, allow_breaks: bool) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let chars: Vec<char> = value.chars().collect();
        // go-yaml's is_bom looks at the start of the value, not at the
        // current character: a leading BOM escapes everything.
        let starts_with_bom = value.starts_with('\u{FEFF}');
        self.write_indicator("\"", true, false, false);
        let mut spaces = false;
        let n = chars.len();
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let v = c as u32;
                match c {
                    '\0' => self.put('0'),
                    '\u{07}' => self.put('a'),
                    '\u{08}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{0B}' => self.put('v'),
                    '\u{0C}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1B}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{A0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let (letter, width) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for k in (0..width).rev() {
                            self.put(HEX[((v >> (k * 4)) & 0xF) as usize] as char);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > self.best_width && i > 0 && i + 1 < n {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.write(c);
                }
                spaces = true;
            } else {
                self.write(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn block_hints(&mut self, chars: &[char]) {
        if let Some(&first) = chars.first()
            && (first == ' ' || is_break(first))
        {
            let hint = char::from(b'0' + self.best_indent as u8);
            self.write_indicator(&hint.to_string(), false, false, false);
        }
        let chomp = match chars.len() {
            0 => Some('-'),
            n => {
                if !is_break(chars[n - 1]) {
                    Some('-')
                } else if n == 1 || is_break(chars[n - 2]) {
                    Some('+')
                } else {
                    None
                }
            }
        };
        if let Some(c) = chomp {
            self.write_indicator(&c.to_string(), false, false, false);
        }
    }

    fn literal(&mut self, value: &str) {
        let chars: Vec<char> = value.chars().collect();
        self.write_indicator("|", true, false, false);
        self.block_hints(&chars);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in &chars {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// Emits one document the way go-yaml's `Marshal`/`Encoder.Encode` does.
pub(crate) fn emit(root: &ENode, flavor: Flavor, indent: i64) -> String {
    let mut e = Emitter::new(flavor, indent);
    e.document(root);
    e.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> ENode {
        ENode::Scalar {
            value: v.into(),
            style: ReqStyle::Plain,
        }
    }

    #[test]
    fn v2_block_layout() {
        let doc = ENode::Map(vec![
            (
                s("a"),
                ENode::Seq(vec![
                    s("x"),
                    ENode::Map(vec![(s("k"), s("v")), (s("k2"), s("v2"))]),
                ]),
            ),
            (s("b"), ENode::Map(vec![])),
            (s("c"), ENode::Seq(vec![])),
        ]);
        assert_eq!(
            emit(&doc, Flavor::V2, 2),
            "a:\n- x\n- k: v\n  k2: v2\nb: {}\nc: []\n"
        );
        assert_eq!(
            emit(&doc, Flavor::V3, 2),
            "a:\n  - x\n  - k: v\n    k2: v2\nb: {}\nc: []\n"
        );
    }

    #[test]
    fn v2_folds_long_plain_scalars() {
        let long = "word ".repeat(20).trim_end().to_owned();
        let out = emit(&ENode::Map(vec![(s("k"), s(&long))]), Flavor::V2, 2);
        assert_eq!(
            out,
            format!(
                "k: {}\n  {}\n",
                "word ".repeat(16).trim_end(),
                "word ".repeat(4).trim_end()
            )
        );
    }

    #[test]
    fn literal_blocks() {
        let lit = |v: &str| ENode::Scalar {
            value: v.into(),
            style: ReqStyle::Literal,
        };
        let doc = ENode::Map(vec![
            (s("a"), lit("x\ny")),
            (s("b"), lit("x\n")),
            (s("c"), lit("x\n\n")),
        ]);
        assert_eq!(
            emit(&doc, Flavor::V2, 2),
            "a: |-\n  x\n  y\nb: |\n  x\nc: |+\n  x\n\n"
        );
    }
}

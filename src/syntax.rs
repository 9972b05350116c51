//! meshlint's own HCL syntax tree: what the parsers produce and the model reads.
//!
//! Every node carries a [`Span`]. Nothing here names a parser crate, so the model and the
//! rules never depend on which parser (hcl-edit, or tree-sitter for broken files) read a file.

use crate::source::Span;
/// Names and string literals: nearly all are at most 24 bytes long, and `CompactString` keeps
/// those inline, in the 24 bytes a `String` itself takes. A large tree holds over a million
/// of them (1.27 million on the 2,000-stack benchmark), and each was a heap allocation.
pub use compact_str::CompactString;

/// The contents of a file or of a block.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.key == key)
    }

    pub fn blocks_named<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ident == ident)
    }
}

#[derive(Debug, Clone)]
pub struct Attribute {
    pub key: CompactString,
    pub key_span: Span,
    pub value: Expr,
    /// The whole `key = value`.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub ident: CompactString,
    pub ident_span: Span,
    pub labels: Vec<Label>,
    pub body: Body,
    /// The whole block, from its identifier to its closing brace.
    pub span: Span,
    /// False when the block was recovered from a file with a syntax error and may be missing
    /// parts: rules that report something as *absent* must not trust such a block.
    pub complete: bool,
}

impl Block {
    /// `resource "aws_ecs_service" "web"`: from the identifier to the end of the last label.
    pub fn header_span(&self) -> Span {
        match self.labels.last() {
            Some(label) => self.ident_span.to(label.span),
            None => self.ident_span,
        }
    }

    pub fn label(&self, index: usize) -> Option<&str> {
        self.labels.get(index).map(|l| l.value.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Label {
    pub value: CompactString,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    /// A quoted string without interpolations, already unescaped.
    String(CompactString),
    /// A quoted string or heredoc with interpolations or directives.
    Template(Template),
    Array(Vec<Expr>),
    Object(Vec<ObjectItem>),
    /// A bare name such as `var` or `string` (the root of most traversals).
    Variable(CompactString),
    Traversal(Box<Traversal>),
    Call(Box<Call>),
    Conditional(Box<Conditional>),
    Parenthesis(Box<Expr>),
    /// `-x`, `!x`.
    Unary(Box<Unary>),
    /// `a + b`, `a == b`, `a && b`, …
    Binary(Box<Binary>),
    /// `[for k, v in coll : v if cond]`, `{for k, v in coll : k => v...}`.
    For(Box<ForExpr>),
    /// Anything meshlint cannot represent (a number out of range, an unreadable node).
    Unsupported(&'static str),
}

#[derive(Debug, Clone)]
pub struct Unary {
    pub op: UnaryOp,
    pub operand: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Debug, Clone)]
pub struct Binary {
    pub op: BinaryOp,
    pub lhs: Expr,
    pub rhs: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    And,
    Or,
}

#[derive(Debug, Clone)]
pub struct ForExpr {
    pub key_var: Option<String>,
    pub value_var: String,
    pub collection: Expr,
    /// Present in the object form (`{for … : key => value}`).
    pub key: Option<Expr>,
    pub value: Expr,
    pub condition: Option<Expr>,
    /// `...` after the value: each key collects a list of values.
    pub grouping: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
    /// True for heredocs (`<<EOT`), false for quoted strings.
    pub heredoc: bool,
}

#[derive(Debug, Clone)]
pub enum TemplatePart {
    Literal(CompactString),
    Interpolation(Expr),
    /// `%{ if cond }…%{ else }…%{ endif }`; strip markers (`~`) are already applied to the
    /// literals around and inside it. Boxed, as `For` is: directives are rare, and inline they
    /// made every literal part of every string 128 bytes instead of 48.
    If(Box<TemplateIf>),
    /// `%{ for k, v in coll }…%{ endfor }`.
    For(Box<TemplateFor>),
}

#[derive(Debug, Clone)]
pub struct TemplateIf {
    pub condition: Expr,
    pub then: Vec<TemplatePart>,
    pub otherwise: Vec<TemplatePart>,
}

#[derive(Debug, Clone)]
pub struct TemplateFor {
    pub key_var: Option<String>,
    pub value_var: String,
    pub collection: Expr,
    pub body: Vec<TemplatePart>,
}

#[derive(Debug, Clone)]
pub struct ObjectItem {
    pub key: ObjectKey,
    pub key_span: Span,
    pub value: Expr,
}

#[derive(Debug, Clone)]
pub enum ObjectKey {
    /// `name = …` or `"name" = …`.
    Name(CompactString),
    /// `(var.k) = …` or any other computed key. Boxed: rare, and inline it tripled the size
    /// of the key of every object item.
    Expr(Box<Expr>),
}

impl ObjectItem {
    pub fn key_name(&self) -> Option<&str> {
        match &self.key {
            ObjectKey::Name(name) => Some(name),
            ObjectKey::Expr(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Traversal {
    pub base: Expr,
    pub ops: Vec<TraversalOp>,
}

#[derive(Debug, Clone)]
pub enum TraversalOp {
    Attr(CompactString, Span),
    Index(Expr),
    Splat,
}

#[derive(Debug, Clone)]
pub struct Call {
    pub name: CompactString,
    pub name_span: Span,
    pub args: Vec<Expr>,
    /// `f(list...)`.
    pub expand_final: bool,
}

#[derive(Debug, Clone)]
pub struct Conditional {
    pub condition: Expr,
    pub if_true: Expr,
    pub if_false: Expr,
}

impl Expr {
    /// The dotted name of a static reference (`var.port`, `aws_ecs_task_definition.app.arn`),
    /// up to the first index or splat. `None` for anything that is not a reference.
    pub fn reference(&self) -> Option<Vec<&str>> {
        match &self.kind {
            ExprKind::Variable(name) => Some(vec![name.as_str()]),
            ExprKind::Traversal(t) => {
                let ExprKind::Variable(root) = &t.base.kind else {
                    return None;
                };
                let mut parts = vec![root.as_str()];
                for op in &t.ops {
                    match op {
                        TraversalOp::Attr(name, _) => parts.push(name.as_str()),
                        _ => break,
                    }
                }
                Some(parts)
            }
            ExprKind::Parenthesis(inner) => inner.reference(),
            // `"${var.x}"` is `var.x` itself (older Terraform style, and all of JSON syntax).
            ExprKind::Template(t) => match t.parts.as_slice() {
                [TemplatePart::Interpolation(inner)] => inner.reference(),
                _ => None,
            },
            _ => None,
        }
    }

    /// Calls `visit` on this expression and every expression nested in it, depth first.
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        visit(self);
        match &self.kind {
            ExprKind::Template(t) => walk_parts(&t.parts, visit),
            ExprKind::Array(items) => items.iter().for_each(|e| e.walk(visit)),
            ExprKind::Object(items) => {
                for item in items {
                    if let ObjectKey::Expr(k) = &item.key {
                        k.walk(visit);
                    }
                    item.value.walk(visit);
                }
            }
            ExprKind::Traversal(t) => {
                t.base.walk(visit);
                for op in &t.ops {
                    if let TraversalOp::Index(e) = op {
                        e.walk(visit);
                    }
                }
            }
            ExprKind::Call(c) => c.args.iter().for_each(|e| e.walk(visit)),
            ExprKind::Conditional(c) => {
                c.condition.walk(visit);
                c.if_true.walk(visit);
                c.if_false.walk(visit);
            }
            ExprKind::Parenthesis(inner) => inner.walk(visit),
            ExprKind::Unary(u) => u.operand.walk(visit),
            ExprKind::Binary(b) => {
                b.lhs.walk(visit);
                b.rhs.walk(visit);
            }
            ExprKind::For(f) => {
                f.collection.walk(visit);
                if let Some(key) = &f.key {
                    key.walk(visit);
                }
                f.value.walk(visit);
                if let Some(condition) = &f.condition {
                    condition.walk(visit);
                }
            }
            _ => {}
        }
    }

    /// The object item with this key, when the expression is an object literal.
    pub fn object_item(&self, key: &str) -> Option<&ObjectItem> {
        match &self.kind {
            ExprKind::Object(items) => items.iter().find(|i| i.key_name() == Some(key)),
            _ => None,
        }
    }

    /// A call to the named function, looking through parentheses.
    pub fn as_call(&self, name: &str) -> Option<&Call> {
        match &self.kind {
            ExprKind::Call(call) if call.name == name => Some(call),
            ExprKind::Parenthesis(inner) => inner.as_call(name),
            _ => None,
        }
    }
}

fn walk_parts<'a>(parts: &'a [TemplatePart], visit: &mut dyn FnMut(&'a Expr)) {
    for part in parts {
        match part {
            TemplatePart::Literal(_) => {}
            TemplatePart::Interpolation(e) => e.walk(visit),
            TemplatePart::If(directive) => {
                directive.condition.walk(visit);
                walk_parts(&directive.then, visit);
                walk_parts(&directive.otherwise, visit);
            }
            TemplatePart::For(directive) => {
                directive.collection.walk(visit);
                walk_parts(&directive.body, visit);
            }
        }
    }
}

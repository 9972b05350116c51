//! The main Terraform front end: hcl-edit (fast, lossless, exact spans) into [`crate::syntax`].

use crate::source::{FileId, Span};
use crate::syntax::*;
use hcl_edit::expr::{
    BinaryOperator, Expression, ObjectKey as HclObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::structure::{Body as HclBody, Structure};
use hcl_edit::template::{Directive, Element, Template as HclTemplate};

/// Where and why hcl-edit rejected a file.
pub struct ParseFailure {
    pub offset: usize,
    pub message: String,
}

pub fn parse(file: FileId, text: &str) -> Result<Body, ParseFailure> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| ParseFailure {
        offset: e.location().offset(),
        message: e.message().to_string(),
    })?;
    Ok(Converter::new(file).body(&body))
}

/// Where a piece of text parsed on its own (a string of a JSON file) sits in its file.
#[derive(Clone)]
pub enum Placement {
    /// The text starts at this byte offset of the file and is the file's own bytes there.
    At(usize),
    /// The text was unescaped first: `offsets[i]` is where its byte `i` was written in the
    /// file (an escape for every byte it stands for), `offsets[len]` where the text ends.
    Mapped { offsets: Vec<usize>, within: Span },
    /// The text's offsets do not map: every node gets this span.
    Within(Span),
}

/// Parses a template (the text of a JSON string) into meshlint's template parts.
pub fn template(file: FileId, text: &str, placement: Placement) -> Option<Template> {
    let template = hcl_edit::parser::parse_template(text).ok()?;
    Some(Converter { file, placement }.template(&template, false))
}

/// Parses an expression (a JSON string holding a type or a reference).
pub fn expression(file: FileId, text: &str, placement: Placement) -> Option<Expr> {
    let expr = hcl_edit::parser::parse_expr(text).ok()?;
    Some(Converter { file, placement }.expr(&expr))
}

struct Converter {
    file: FileId,
    placement: Placement,
}

impl Converter {
    fn new(file: FileId) -> Converter {
        Converter {
            file,
            placement: Placement::At(0),
        }
    }

    fn span(&self, node: &impl hcl_edit::Span) -> Span {
        match &self.placement {
            Placement::At(offset) => {
                let range = node.span().unwrap_or(0..0);
                Span::new(self.file, offset + range.start, offset + range.end)
            }
            Placement::Mapped { offsets, within } => {
                let mapped = node
                    .span()
                    .and_then(|range| Some((*offsets.get(range.start)?, *offsets.get(range.end)?)));
                match mapped {
                    Some((start, end)) => Span::new(self.file, start, end),
                    None => *within,
                }
            }
            Placement::Within(span) => *span,
        }
    }

    fn body(&self, body: &HclBody) -> Body {
        let mut out = Body::default();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => out.attributes.push(Attribute {
                    key: CompactString::from(attr.key.as_str()),
                    key_span: self.span(&attr.key),
                    value: self.expr(&attr.value),
                    span: self.span(attr),
                }),
                Structure::Block(block) => out.blocks.push(Block {
                    ident: CompactString::from(block.ident.as_str()),
                    ident_span: self.span(&block.ident),
                    labels: block
                        .labels
                        .iter()
                        .map(|l| Label {
                            value: CompactString::from(l.as_str()),
                            span: self.span(l),
                        })
                        .collect(),
                    body: self.body(&block.body),
                    span: self.span(block),
                    complete: true,
                }),
            }
        }
        // Bodies live until the run ends; growth slack would be a quarter of their memory.
        out.attributes.shrink_to_fit();
        out.blocks.shrink_to_fit();
        out
    }

    fn expr(&self, expr: &Expression) -> Expr {
        let span = self.span(expr);
        let kind = match expr {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => match n.value().as_f64() {
                Some(n) => ExprKind::Number(n),
                None => ExprKind::Unsupported("number out of range"),
            },
            Expression::String(s) => ExprKind::String(CompactString::from(s.value().as_str())),
            Expression::Array(items) => ExprKind::Array(items.iter().map(|e| self.expr(e)).collect()),
            Expression::Object(object) => ExprKind::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let (key, key_span) = self.object_key(key);
                        ObjectItem {
                            key,
                            key_span,
                            value: self.expr(value.expr()),
                        }
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => ExprKind::Template(self.template(t, false)),
            Expression::HeredocTemplate(h) => ExprKind::Template(self.template(&h.template, true)),
            Expression::Parenthesis(p) => ExprKind::Parenthesis(Box::new(self.expr(p.inner()))),
            Expression::Variable(v) => ExprKind::Variable(CompactString::from(v.as_str())),
            Expression::Conditional(c) => ExprKind::Conditional(Box::new(Conditional {
                condition: self.expr(&c.cond_expr),
                if_true: self.expr(&c.true_expr),
                if_false: self.expr(&c.false_expr),
            })),
            Expression::FuncCall(call) => {
                let mut name: Vec<&str> = call.name.namespace.iter().map(|n| n.as_str()).collect();
                name.push(call.name.name.as_str());
                ExprKind::Call(Box::new(Call {
                    name: CompactString::from(name.join("::")),
                    name_span: self.span(&call.name.name),
                    args: call.args.iter().map(|a| self.expr(a)).collect(),
                    expand_final: call.args.expand_final(),
                }))
            }
            Expression::Traversal(t) => ExprKind::Traversal(Box::new(Traversal {
                base: self.expr(&t.expr),
                ops: t
                    .operators
                    .iter()
                    .map(|op| match op.value() {
                        TraversalOperator::GetAttr(name) => {
                            TraversalOp::Attr(CompactString::from(name.as_str()), self.span(name))
                        }
                        TraversalOperator::Index(e) => TraversalOp::Index(self.expr(e)),
                        TraversalOperator::LegacyIndex(i) => {
                            let index_span = self.span(op);
                            TraversalOp::Index(Expr {
                                kind: ExprKind::Number(*i.value() as f64),
                                span: index_span,
                            })
                        }
                        TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                            TraversalOp::Splat
                        }
                    })
                    .collect(),
            })),
            Expression::UnaryOp(u) => ExprKind::Unary(Box::new(Unary {
                op: match u.operator.value() {
                    UnaryOperator::Neg => UnaryOp::Neg,
                    UnaryOperator::Not => UnaryOp::Not,
                },
                operand: self.expr(&u.expr),
            })),
            Expression::BinaryOp(b) => ExprKind::Binary(Box::new(Binary {
                op: binary_op(*b.operator.value()),
                lhs: self.expr(&b.lhs_expr),
                rhs: self.expr(&b.rhs_expr),
            })),
            Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f.intro.key_var.as_ref().map(|k| k.as_str().to_string()),
                value_var: f.intro.value_var.as_str().to_string(),
                collection: self.expr(&f.intro.collection_expr),
                key: f.key_expr.as_ref().map(|k| self.expr(k)),
                value: self.expr(&f.value_expr),
                condition: f.cond.as_ref().map(|c| self.expr(&c.expr)),
                grouping: f.grouping,
            })),
        };
        Expr { kind, span }
    }

    fn object_key(&self, key: &HclObjectKey) -> (ObjectKey, Span) {
        let span = self.span(key);
        match key {
            HclObjectKey::Ident(ident) => (ObjectKey::Name(CompactString::from(ident.as_str())), span),
            HclObjectKey::Expression(Expression::String(s)) => {
                (ObjectKey::Name(CompactString::from(s.value().as_str())), span)
            }
            HclObjectKey::Expression(e) => (ObjectKey::Expr(Box::new(self.expr(e))), span),
        }
    }

    /// hcl-edit has already removed a `<<-` heredoc's common indentation from its literals;
    /// strip markers (`~`) are applied here, as HCL does when it parses.
    fn template(&self, template: &HclTemplate, heredoc: bool) -> Template {
        Template {
            parts: self.template_parts(template),
            heredoc,
        }
    }

    fn template_parts(&self, template: &HclTemplate) -> Vec<TemplatePart> {
        let mut parts = Vec::new();
        // Set by a `~}` marker: the next literal loses its leading whitespace.
        let mut strip_next = false;
        for element in template.iter() {
            // What the element does to the literal before it, and to the one after it.
            let (strip_before, strip_after) = match element {
                Element::Literal(text) => {
                    let mut text = text.value().as_str();
                    if std::mem::take(&mut strip_next) {
                        text = text.trim_start();
                    }
                    parts.push(TemplatePart::Literal(CompactString::from(text)));
                    continue;
                }
                Element::Interpolation(i) => {
                    parts.push(TemplatePart::Interpolation(self.expr(&i.expr)));
                    (i.strip.strip_start(), i.strip.strip_end())
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        let mut then = self.template_parts(&d.if_expr.template);
                        strip_inner(&mut then, d.if_expr.strip.strip_end(), false);
                        let mut otherwise = Vec::new();
                        let closing = match &d.else_expr {
                            Some(e) => {
                                strip_inner(&mut then, false, e.strip.strip_start());
                                otherwise = self.template_parts(&e.template);
                                strip_inner(&mut otherwise, e.strip.strip_end(), false);
                                &mut otherwise
                            }
                            None => &mut then,
                        };
                        strip_inner(closing, false, d.endif_expr.strip.strip_start());
                        let (before, after) = (d.if_expr.strip.strip_start(), d.endif_expr.strip.strip_end());
                        parts.push(TemplatePart::If(Box::new(TemplateIf {
                            condition: self.expr(&d.if_expr.cond_expr),
                            then,
                            otherwise,
                        })));
                        (before, after)
                    }
                    Directive::For(d) => {
                        let mut body = self.template_parts(&d.for_expr.template);
                        strip_inner(
                            &mut body,
                            d.for_expr.strip.strip_end(),
                            d.endfor_expr.strip.strip_start(),
                        );
                        let (before, after) =
                            (d.for_expr.strip.strip_start(), d.endfor_expr.strip.strip_end());
                        parts.push(TemplatePart::For(Box::new(TemplateFor {
                            key_var: d.for_expr.key_var.as_ref().map(|k| k.as_str().to_string()),
                            value_var: d.for_expr.value_var.as_str().to_string(),
                            collection: self.expr(&d.for_expr.collection_expr),
                            body,
                        })));
                        (before, after)
                    }
                },
            };
            if strip_before {
                let last = parts.len() - 1;
                if let Some(TemplatePart::Literal(text)) = last.checked_sub(1).and_then(|i| parts.get_mut(i))
                {
                    text.truncate(text.trim_end().len());
                }
            }
            strip_next = strip_after;
        }
        parts
    }
}

/// Applies a directive's inner strip markers to the first / last literal of its body.
fn strip_inner(parts: &mut [TemplatePart], start: bool, end: bool) {
    if start {
        if let Some(TemplatePart::Literal(text)) = parts.first_mut() {
            *text = CompactString::from(text.trim_start());
        }
    }
    if end {
        if let Some(TemplatePart::Literal(text)) = parts.last_mut() {
            text.truncate(text.trim_end().len());
        }
    }
}

fn binary_op(op: BinaryOperator) -> BinaryOp {
    match op {
        BinaryOperator::Eq => BinaryOp::Eq,
        BinaryOperator::NotEq => BinaryOp::NotEq,
        BinaryOperator::LessEq => BinaryOp::LessEq,
        BinaryOperator::GreaterEq => BinaryOp::GreaterEq,
        BinaryOperator::Less => BinaryOp::Less,
        BinaryOperator::Greater => BinaryOp::Greater,
        BinaryOperator::Plus => BinaryOp::Add,
        BinaryOperator::Minus => BinaryOp::Sub,
        BinaryOperator::Mul => BinaryOp::Mul,
        BinaryOperator::Div => BinaryOp::Div,
        BinaryOperator::Mod => BinaryOp::Mod,
        BinaryOperator::And => BinaryOp::And,
        BinaryOperator::Or => BinaryOp::Or,
    }
}

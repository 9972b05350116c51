//! The main Terraform front end: hcl-edit (fast, lossless, exact spans) into [`crate::syntax`].

use crate::source::{FileId, Span};
use crate::syntax::*;
use hcl_edit::expr::{Expression, ObjectKey as HclObjectKey, TraversalOperator};
use hcl_edit::structure::{Body as HclBody, Structure};
use hcl_edit::template::{Element, Template as HclTemplate};

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
#[derive(Clone, Copy)]
pub enum Placement {
    /// The text starts at this byte offset of the file and is the file's own bytes there.
    At(usize),
    /// The text was unescaped first, so its offsets do not map: every node gets this span.
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
        match self.placement {
            Placement::At(offset) => {
                let range = node.span().unwrap_or(0..0);
                Span::new(self.file, offset + range.start, offset + range.end)
            }
            Placement::Within(span) => span,
        }
    }

    fn body(&self, body: &HclBody) -> Body {
        let mut out = Body::default();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => out.attributes.push(Attribute {
                    key: attr.key.as_str().to_string(),
                    key_span: self.span(&attr.key),
                    value: self.expr(&attr.value),
                    span: self.span(attr),
                }),
                Structure::Block(block) => out.blocks.push(Block {
                    ident: block.ident.as_str().to_string(),
                    ident_span: self.span(&block.ident),
                    labels: block
                        .labels
                        .iter()
                        .map(|l| Label {
                            value: l.as_str().to_string(),
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
            Expression::String(s) => ExprKind::String(s.value().clone()),
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
            Expression::Variable(v) => ExprKind::Variable(v.as_str().to_string()),
            Expression::Conditional(c) => ExprKind::Conditional(Box::new(Conditional {
                condition: self.expr(&c.cond_expr),
                if_true: self.expr(&c.true_expr),
                if_false: self.expr(&c.false_expr),
            })),
            Expression::FuncCall(call) => {
                let mut name: Vec<&str> = call.name.namespace.iter().map(|n| n.as_str()).collect();
                name.push(call.name.name.as_str());
                ExprKind::Call(Box::new(Call {
                    name: name.join("::"),
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
                            TraversalOp::Attr(name.as_str().to_string(), self.span(name))
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
            Expression::UnaryOp(_) | Expression::BinaryOp(_) => ExprKind::Unsupported("operator"),
            Expression::ForExpr(_) => ExprKind::Unsupported("for expression"),
        };
        Expr { kind, span }
    }

    fn object_key(&self, key: &HclObjectKey) -> (ObjectKey, Span) {
        let span = self.span(key);
        match key {
            HclObjectKey::Ident(ident) => (ObjectKey::Name(ident.as_str().to_string()), span),
            HclObjectKey::Expression(Expression::String(s)) => (ObjectKey::Name(s.value().clone()), span),
            HclObjectKey::Expression(e) => (ObjectKey::Expr(self.expr(e)), span),
        }
    }

    /// hcl-edit has already removed a `<<-` heredoc's common indentation from its literals.
    fn template(&self, template: &HclTemplate, heredoc: bool) -> Template {
        let parts = template
            .iter()
            .map(|element| match element {
                Element::Literal(text) => TemplatePart::Literal(text.value().clone()),
                Element::Interpolation(i) => TemplatePart::Interpolation(self.expr(&i.expr)),
                Element::Directive(d) => TemplatePart::Directive(self.span(d.as_ref())),
            })
            .collect();
        Template { parts, heredoc }
    }
}

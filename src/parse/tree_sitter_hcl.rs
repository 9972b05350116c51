//! Error-tolerant fallback for Terraform files that hcl-edit rejects.
//!
//! tree-sitter-hcl keeps going past syntax errors, so the blocks and attributes that did parse
//! can still be checked. Anything under an error node is dropped, and blocks that contain an
//! error are marked incomplete so that no rule reports an input as missing when it may simply
//! sit past the error. Deliberately partial: heredocs and operators come out as unsupported
//! (unknown) values, which is always safe.

use crate::source::{FileId, Span};
use crate::syntax::*;
use tree_sitter::{Node, Parser};

/// Deeper nesting than this is not converted (it evaluates as unknown).
const MAX_DEPTH: usize = 128;

pub fn recover(file: FileId, text: &str) -> Body {
    let mut parser = Parser::new();
    if parser.set_language(&tree_sitter_hcl::LANGUAGE.into()).is_err() {
        return Body::default();
    }
    let Some(tree) = parser.parse(text, None) else {
        return Body::default();
    };
    let converter = Converter { file, text };
    let mut body = Body::default();
    converter.collect(tree.root_node(), &mut body, 0);
    body
}

struct Converter<'a> {
    file: FileId,
    text: &'a str,
}

fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

impl Converter<'_> {
    fn span(&self, node: Node) -> Span {
        Span::new(self.file, node.start_byte(), node.end_byte())
    }

    fn text(&self, node: Node) -> &str {
        self.text.get(node.start_byte()..node.end_byte()).unwrap_or("")
    }

    /// Gathers blocks and attributes below `node`, looking through error and body nodes.
    fn collect(&self, node: Node, out: &mut Body, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in named_children(node) {
            match child.kind() {
                "block" => {
                    if let Some(block) = self.block(child, depth + 1) {
                        out.blocks.push(block);
                    }
                }
                "attribute" if !child.has_error() => {
                    if let Some(attr) = self.attribute(child, depth + 1) {
                        out.attributes.push(attr);
                    }
                }
                "body" | "ERROR" | "config_file" => self.collect(child, out, depth + 1),
                _ => {}
            }
        }
    }

    fn block(&self, node: Node, depth: usize) -> Option<Block> {
        let children = named_children(node);
        let ident = children.first().filter(|n| n.kind() == "identifier")?;
        let mut labels = Vec::new();
        let mut body = Body::default();
        for child in &children[1..] {
            match child.kind() {
                "string_lit" => labels.push(Label {
                    value: CompactString::from(self.string_lit(*child)?),
                    span: self.span(*child),
                }),
                "identifier" => labels.push(Label {
                    value: CompactString::from(self.text(*child)),
                    span: self.span(*child),
                }),
                "body" => self.collect(*child, &mut body, depth + 1),
                _ => {}
            }
        }
        Some(Block {
            ident: CompactString::from(self.text(*ident)),
            ident_span: self.span(*ident),
            labels,
            body,
            span: self.span(node),
            complete: !node.has_error(),
        })
    }

    fn attribute(&self, node: Node, depth: usize) -> Option<Attribute> {
        let children = named_children(node);
        let key = children.first().filter(|n| n.kind() == "identifier")?;
        let value = children.get(1)?;
        Some(Attribute {
            key: CompactString::from(self.text(*key)),
            key_span: self.span(*key),
            value: self.expr(*value, depth + 1),
            span: self.span(node),
        })
    }

    fn unsupported(&self, node: Node, what: &'static str) -> Expr {
        Expr {
            kind: ExprKind::Unsupported(what),
            span: self.span(node),
        }
    }

    fn expr(&self, node: Node, depth: usize) -> Expr {
        if depth > MAX_DEPTH || node.has_error() {
            return self.unsupported(node, "unparsed expression");
        }
        let span = self.span(node);
        let kind = match node.kind() {
            "expression" => return self.expression(node, depth),
            "literal_value" => match named_children(node).first() {
                Some(inner) => return self.expr(*inner, depth + 1),
                None => ExprKind::Unsupported("literal"),
            },
            "numeric_lit" => match self.text(node).parse::<f64>() {
                Ok(n) => ExprKind::Number(n),
                Err(_) => ExprKind::Unsupported("number"),
            },
            "bool_lit" => ExprKind::Bool(self.text(node) == "true"),
            "null_lit" => ExprKind::Null,
            "string_lit" => match self.string_lit(node) {
                Some(s) => ExprKind::String(CompactString::from(s)),
                None => ExprKind::Unsupported("string"),
            },
            "template_expr" => match named_children(node).first() {
                Some(t) if t.kind() == "quoted_template" => self.quoted_template(*t, depth),
                _ => ExprKind::Unsupported("heredoc"),
            },
            "collection_value" => match named_children(node).first() {
                Some(inner) => return self.expr(*inner, depth + 1),
                None => ExprKind::Unsupported("collection"),
            },
            "tuple" => ExprKind::Array(
                named_children(node)
                    .into_iter()
                    .filter(|n| n.kind() == "expression")
                    .map(|n| self.expr(n, depth + 1))
                    .collect(),
            ),
            "object" => ExprKind::Object(
                named_children(node)
                    .into_iter()
                    .filter(|n| n.kind() == "object_elem")
                    .filter_map(|n| self.object_elem(n, depth + 1))
                    .collect(),
            ),
            "function_call" => self.function_call(node, depth),
            "conditional" => {
                let parts: Vec<Expr> = named_children(node)
                    .into_iter()
                    .map(|n| self.expr(n, depth + 1))
                    .collect();
                match <[Expr; 3]>::try_from(parts) {
                    Ok([condition, if_true, if_false]) => ExprKind::Conditional(Box::new(Conditional {
                        condition,
                        if_true,
                        if_false,
                    })),
                    Err(_) => ExprKind::Unsupported("conditional"),
                }
            }
            _ => ExprKind::Unsupported("expression"),
        };
        Expr { kind, span }
    }

    /// `expression` nodes hold a traversal as flat siblings: `variable_expr get_attr index …`.
    fn expression(&self, node: Node, depth: usize) -> Expr {
        let children = named_children(node);
        let Some(first) = children.first() else {
            return self.unsupported(node, "expression");
        };
        let base = if first.kind() == "variable_expr" {
            Expr {
                kind: ExprKind::Variable(CompactString::from(self.text(*first).trim())),
                span: self.span(*first),
            }
        } else {
            self.expr(*first, depth + 1)
        };
        if children.len() == 1 {
            return base;
        }
        let mut ops = Vec::new();
        for op in &children[1..] {
            match op.kind() {
                "get_attr" => match named_children(*op).first() {
                    Some(name) => ops.push(TraversalOp::Attr(
                        CompactString::from(self.text(*name)),
                        self.span(*name),
                    )),
                    None => return self.unsupported(node, "traversal"),
                },
                "index" => match named_children(*op)
                    .first()
                    .and_then(|n| named_children(*n).first().copied())
                {
                    Some(inner) => ops.push(TraversalOp::Index(self.expr(inner, depth + 1))),
                    None => return self.unsupported(node, "index"),
                },
                "splat" => ops.push(TraversalOp::Splat),
                _ => return self.unsupported(node, "traversal"),
            }
        }
        Expr {
            kind: ExprKind::Traversal(Box::new(Traversal { base, ops })),
            span: self.span(node),
        }
    }

    fn object_elem(&self, node: Node, depth: usize) -> Option<ObjectItem> {
        let key = node.child_by_field_name("key")?;
        let value = node.child_by_field_name("val")?;
        let key_expr = self.expr(key, depth + 1);
        let key_name = match &key_expr.kind {
            ExprKind::Variable(name) => ObjectKey::Name(name.clone()),
            ExprKind::String(s) => ObjectKey::Name(s.clone()),
            _ => ObjectKey::Expr(Box::new(key_expr.clone())),
        };
        Some(ObjectItem {
            key: key_name,
            key_span: key_expr.span,
            value: self.expr(value, depth + 1),
        })
    }

    fn function_call(&self, node: Node, depth: usize) -> ExprKind {
        let children = named_children(node);
        let Some(name) = children.first().filter(|n| n.kind() == "identifier") else {
            return ExprKind::Unsupported("function call");
        };
        let mut args = Vec::new();
        let mut expand_final = false;
        if let Some(arguments) = children.iter().find(|n| n.kind() == "function_arguments") {
            for arg in named_children(*arguments) {
                match arg.kind() {
                    "expression" => args.push(self.expr(arg, depth + 1)),
                    "expand_final" => expand_final = true,
                    _ => {}
                }
            }
        }
        ExprKind::Call(Box::new(Call {
            name: CompactString::from(self.text(*name)),
            name_span: self.span(*name),
            args,
            expand_final,
        }))
    }

    fn quoted_template(&self, node: Node, depth: usize) -> ExprKind {
        let children = named_children(node);
        let mut parts = Vec::new();
        // Literal text is taken from the source between interpolations: tree-sitter-hcl leaves
        // the whitespace next to an interpolation out of its literal nodes.
        let mut literal_start = None;
        for child in &children {
            match child.kind() {
                "quoted_template_start" => literal_start = Some(child.end_byte()),
                "template_interpolation" | "quoted_template_end" | "template_directive" => {
                    if let Some(start) = literal_start.take() {
                        let raw = self.text.get(start..child.start_byte()).unwrap_or("");
                        if !raw.is_empty() {
                            parts.push(TemplatePart::Literal(CompactString::from(unescape(raw))));
                        }
                    }
                    match child.kind() {
                        "template_interpolation" => {
                            match named_children(*child)
                                .into_iter()
                                .find(|n| n.kind() == "expression")
                            {
                                Some(e) => parts.push(TemplatePart::Interpolation(self.expr(e, depth + 1))),
                                None => return ExprKind::Unsupported("interpolation"),
                            }
                        }
                        // Recovered files keep no directive structure: the template is unknown.
                        "template_directive" => return ExprKind::Unsupported("template directive"),
                        _ => {}
                    }
                    literal_start = Some(child.end_byte());
                }
                _ => {}
            }
        }
        ExprKind::Template(Template {
            parts,
            heredoc: false,
        })
    }

    fn string_lit(&self, node: Node) -> Option<String> {
        let text = self.text(node);
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        Some(unescape(inner))
    }
}

/// HCL string escapes: `\n`, `\t`, `\r`, `\"`, `\\`, `\uXXXX`; `$${` and `%%{` are literal.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) => out.push(decoded),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out.replace("$${", "${").replace("%%{", "%{")
}

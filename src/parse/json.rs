//! Terraform's JSON syntax (`*.tf.json`, `*.tfvars.json`) into [`crate::syntax`], with spans.
//!
//! jsonc-parser (strict JSON options) gives every value its byte range. The mapping follows
//! Terraform's JSON configuration syntax: top-level properties are block types, one level of
//! nested objects per block label (or arrays of such objects, for repeated blocks); inside a
//! body every property is an argument, whose strings are templates (`${...}`) parsed by the same
//! HCL template parser as native files. A string that is nothing but one interpolation is that
//! expression, as in Terraform. `source` and `version` of a module, and variable defaults, are
//! literal. A property named `//` is a comment.

use super::hcl_edit::{self, Placement};
use super::SyntaxError;
use crate::source::{FileId, Span};
use crate::syntax::*;
use jsonc_parser::ast::{Object, ObjectProp, Value as Json};
use jsonc_parser::common::Ranged;

/// Nested blocks of the resources meshlint models, which JSON writes as objects (or arrays of
/// objects) just like map arguments: these names become blocks, everything else arguments.
const NESTED_BLOCKS: [&str; 12] = [
    "network_configuration",
    "load_balancer",
    "service_registries",
    "capacity_provider_strategy",
    "inline_policy",
    "statement",
    "principals",
    "condition",
    "volume",
    "ingress",
    "egress",
    "lifecycle",
];

pub fn parse(file: FileId, text: &str, is_tfvars: bool) -> (Body, Option<SyntaxError>) {
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let error = |start: usize, end: usize, message: String| SyntaxError {
        span: Span::new(file, start, end),
        message,
    };
    let result = match jsonc_parser::parse_to_ast(text, &Default::default(), &options) {
        Ok(result) => result,
        Err(e) => {
            let range = e.range();
            return (
                Body::default(),
                Some(error(range.start, range.end, e.kind().to_string())),
            );
        }
    };
    let Some(Json::Object(root)) = result.value else {
        return (
            Body::default(),
            Some(error(
                0,
                text.len().min(1),
                "a Terraform JSON file must hold one object".into(),
            )),
        );
    };
    let reader = Reader { file, text };
    let body = if is_tfvars {
        reader.arguments(&root, Literal::Always)
    } else {
        reader.config(&root)
    };
    (body, None)
}

/// How a body's string values are read.
#[derive(Clone, Copy, PartialEq)]
enum Literal {
    /// Every string is a template.
    Never,
    /// Every value is taken literally (tfvars).
    Always,
    /// A module call: `source` and `version` are literal, the rest templates.
    ModuleMeta,
    /// A variable: `default`, `description` literal, `type` a type expression.
    Variable,
}

struct Reader<'t> {
    file: FileId,
    text: &'t str,
}

impl Reader<'_> {
    fn span(&self, node: &impl Ranged) -> Span {
        let range = node.range();
        Span::new(self.file, range.start, range.end)
    }

    /// The span of a property name without its quotes.
    fn name_span(&self, prop: &ObjectProp) -> Span {
        let span = self.span(&prop.name);
        let quoted = self
            .text
            .get(span.start()..span.end())
            .is_some_and(|t| t.len() >= 2 && t.starts_with('"'));
        if quoted {
            Span::new(self.file, span.start() + 1, span.end() - 1)
        } else {
            span
        }
    }

    fn config(&self, root: &Object) -> Body {
        let mut body = Body::default();
        for prop in &root.properties {
            let labels = match prop.name.as_str() {
                "resource" | "data" => 2,
                "module" | "variable" | "output" | "provider" => 1,
                "locals" | "terraform" => 0,
                _ => continue,
            };
            let ident = prop.name.as_str().to_string();
            self.blocks(
                &ident,
                self.name_span(prop),
                &prop.value,
                labels,
                Vec::new(),
                &mut body.blocks,
            );
        }
        body
    }

    /// One block per object found `remaining` label levels down (arrays allowed at each level).
    fn blocks(
        &self,
        ident: &str,
        ident_span: Span,
        value: &Json,
        remaining: usize,
        labels: Vec<Label>,
        out: &mut Vec<Block>,
    ) {
        match value {
            Json::Array(array) => {
                for element in &array.elements {
                    self.blocks(ident, ident_span, element, remaining, labels.clone(), out);
                }
            }
            Json::Object(object) if remaining == 0 => {
                let literal = match (ident, labels.len()) {
                    ("module", _) => Literal::ModuleMeta,
                    ("variable", _) => Literal::Variable,
                    _ => Literal::Never,
                };
                let nested = ident == "resource" || ident == "data";
                // The block type is written far above; its innermost label is where it starts.
                let ident_span = labels.last().map_or(ident_span, |l| l.span);
                out.push(Block {
                    ident: CompactString::from(ident),
                    ident_span,
                    labels,
                    body: self.body(object, literal, nested),
                    span: self.span(object),
                    complete: true,
                });
            }
            Json::Object(object) => {
                for prop in &object.properties {
                    let mut labels = labels.clone();
                    labels.push(Label {
                        value: CompactString::from(prop.name.as_str()),
                        span: self.name_span(prop),
                    });
                    self.blocks(ident, ident_span, &prop.value, remaining - 1, labels, out);
                }
            }
            _ => {}
        }
    }

    fn body(&self, object: &Object, literal: Literal, nested_blocks: bool) -> Body {
        let mut body = self.arguments_where(object, literal, |name| {
            !(nested_blocks && NESTED_BLOCKS.contains(&name))
        });
        if nested_blocks {
            for prop in &object.properties {
                let name = prop.name.as_str();
                if NESTED_BLOCKS.contains(&name) {
                    let span = self.name_span(prop);
                    self.blocks(name, span, &prop.value, 0, Vec::new(), &mut body.blocks);
                }
            }
        }
        body
    }

    fn arguments(&self, object: &Object, literal: Literal) -> Body {
        self.arguments_where(object, literal, |_| true)
    }

    fn arguments_where(&self, object: &Object, literal: Literal, keep: impl Fn(&str) -> bool) -> Body {
        let mut body = Body::default();
        for prop in &object.properties {
            let key = prop.name.as_str();
            if key == "//" || !keep(key) {
                continue;
            }
            let value = match (literal, key) {
                (Literal::Always, _) | (Literal::ModuleMeta, "source" | "version") => {
                    self.literal(&prop.value)
                }
                (Literal::Variable, "type") => self.type_expr(&prop.value),
                (Literal::Variable, "default" | "description") => self.literal(&prop.value),
                _ => self.expr(&prop.value),
            };
            body.attributes.push(Attribute {
                key: CompactString::from(key),
                key_span: self.name_span(prop),
                value,
                span: self.span(prop),
            });
        }
        body
    }

    /// A JSON value taken as it is: strings are never templates.
    fn literal(&self, value: &Json) -> Expr {
        self.convert(value, false)
    }

    fn expr(&self, value: &Json) -> Expr {
        self.convert(value, true)
    }

    fn convert(&self, value: &Json, templates: bool) -> Expr {
        let span = self.span(value);
        let kind = match value {
            Json::NullKeyword(_) => ExprKind::Null,
            Json::BooleanLit(b) => ExprKind::Bool(b.value),
            Json::NumberLit(n) => match n.value.parse::<f64>() {
                Ok(n) => ExprKind::Number(n),
                Err(_) => ExprKind::Unsupported("number out of range"),
            },
            Json::StringLit(s) if templates && (s.value.contains("${") || s.value.contains("%{")) => {
                return self.template(&s.value, span);
            }
            Json::StringLit(s) => ExprKind::String(CompactString::from(s.value.as_ref())),
            Json::Array(array) => ExprKind::Array(
                array
                    .elements
                    .iter()
                    .map(|e| self.convert(e, templates))
                    .collect(),
            ),
            Json::Object(object) => ExprKind::Object(
                object
                    .properties
                    .iter()
                    .filter(|p| p.name.as_str() != "//")
                    .map(|prop| ObjectItem {
                        key: ObjectKey::Name(CompactString::from(prop.name.as_str())),
                        key_span: self.name_span(prop),
                        value: self.convert(&prop.value, templates),
                    })
                    .collect(),
            ),
        };
        Expr { kind, span }
    }

    /// Where the unescaped string sits in the file: byte for byte when it has no escapes,
    /// through the escapes otherwise.
    fn placement(&self, value: &str, span: Span) -> Placement {
        let raw = self
            .text
            .get(span.start() + 1..span.end().saturating_sub(1))
            .unwrap_or("");
        if raw == value {
            return Placement::At(span.start() + 1);
        }
        match escape_offsets(raw, span.start() + 1) {
            Some(offsets) if offsets.len() == value.len() + 1 => Placement::Mapped {
                offsets,
                within: span,
            },
            _ => Placement::Within(span),
        }
    }

    fn template(&self, value: &str, span: Span) -> Expr {
        let Some(template) = hcl_edit::template(self.file, value, self.placement(value, span)) else {
            return Expr {
                kind: ExprKind::Unsupported("template that does not parse"),
                span,
            };
        };
        match <[TemplatePart; 1]>::try_from(template.parts) {
            // "${expr}" alone is the expression's value, not a string of it.
            Ok([TemplatePart::Interpolation(expr)]) => expr,
            Ok(parts) => Expr {
                kind: ExprKind::Template(Template {
                    parts: parts.into(),
                    heredoc: false,
                }),
                span,
            },
            Err(parts) => Expr {
                kind: ExprKind::Template(Template {
                    parts,
                    heredoc: false,
                }),
                span,
            },
        }
    }

    /// A variable's `type`: a string holding a type expression such as `"list(string)"`.
    fn type_expr(&self, value: &Json) -> Expr {
        let span = self.span(value);
        match value {
            Json::StringLit(s) => hcl_edit::expression(self.file, &s.value, self.placement(&s.value, span))
                .unwrap_or(Expr {
                    kind: ExprKind::Unsupported("type expression"),
                    span,
                }),
            _ => self.literal(value),
        }
    }
}

/// For the JSON string body `raw` (written at `start`), the file offset of each byte of its
/// unescaped text, then of its end; `None` for an escape that is not JSON's.
fn escape_offsets(raw: &str, start: usize) -> Option<Vec<usize>> {
    let mut offsets = Vec::with_capacity(raw.len() + 1);
    let bytes = raw.as_bytes();
    let mut at = 0;
    while at < raw.len() {
        if bytes[at] != b'\\' {
            let len = raw[at..].chars().next()?.len_utf8();
            offsets.extend((at..at + len).map(|i| start + i));
            at += len;
            continue;
        }
        let (len, decoded) = match *bytes.get(at + 1)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => (2, 1),
            b'u' => {
                let unit = |from: usize| u32::from_str_radix(raw.get(from..from + 4)?, 16).ok();
                let first = unit(at + 2)?;
                if (0xD800..0xDC00).contains(&first) && raw.get(at + 6..at + 8) == Some("\\u") {
                    let second = unit(at + 8)?;
                    let c =
                        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second.checked_sub(0xDC00)?))?;
                    (12, c.len_utf8())
                } else {
                    (6, char::from_u32(first)?.len_utf8())
                }
            }
            _ => return None,
        };
        offsets.extend(std::iter::repeat_n(start + at, decoded));
        at += len;
    }
    offsets.push(start + raw.len());
    Some(offsets)
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;

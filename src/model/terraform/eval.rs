//! Evaluation of Terraform expressions within one module, three-valued and with provenance.
//!
//! Evaluated: literals, templates, heredocs, `var.*` (tfvars over default, converted to the
//! declared primitive type), `local.*`, literal attributes of resources and data sources of
//! the same module, conditionals with a known condition, and a small set of pure functions.
//! Everything else is unknown with a reason; unknown is never a finding.

use crate::model::terraform::functions;
use crate::model::terraform::value::{format_number, Origin, OriginKind, Value, ValueKind};
use crate::model::terraform::{Module, PrimitiveType};
use crate::source::Span;
use crate::syntax::{Expr, ExprKind, ObjectKey, TemplatePart, TraversalOp};
use std::cell::Cell;

/// How many references may be followed in one evaluation (cycles end here too).
const MAX_DEPTH: usize = 64;

pub struct Evaluator<'m> {
    module: &'m Module,
    depth: Cell<usize>,
}

impl<'m> Evaluator<'m> {
    pub fn new(module: &'m Module) -> Evaluator<'m> {
        Evaluator {
            module,
            depth: Cell::new(0),
        }
    }

    pub fn eval(&self, expr: &Expr) -> Value {
        if self.depth.get() >= MAX_DEPTH {
            return Value::unknown("references nest too deeply (or form a cycle)", expr.span);
        }
        self.depth.set(self.depth.get() + 1);
        let value = self.eval_inner(expr);
        self.depth.set(self.depth.get() - 1);
        value
    }

    fn eval_inner(&self, expr: &Expr) -> Value {
        let span = expr.span;
        let kind = match &expr.kind {
            ExprKind::Null => ValueKind::Null,
            ExprKind::Bool(b) => ValueKind::Bool(*b),
            ExprKind::Number(n) => ValueKind::Number(*n),
            ExprKind::String(s) => ValueKind::String(s.clone()),
            ExprKind::Template(t) => return self.template(&t.parts, span),
            ExprKind::Array(items) => ValueKind::List(items.iter().map(|e| self.eval(e)).collect()),
            ExprKind::Object(items) => {
                let mut fields = Vec::with_capacity(items.len());
                for item in items {
                    let key = match &item.key {
                        ObjectKey::Name(name) => name.clone(),
                        ObjectKey::Expr(e) => match self.eval(e).to_template_string() {
                            Some(k) => k,
                            None => return Value::unknown("an object key is not known", span),
                        },
                    };
                    fields.push((key, self.eval(&item.value)));
                }
                ValueKind::Object(fields)
            }
            ExprKind::Parenthesis(inner) => return self.eval(inner),
            ExprKind::Conditional(c) => {
                return match self.eval(&c.condition).kind {
                    ValueKind::Bool(true) => self.eval(&c.if_true),
                    ValueKind::Bool(false) => self.eval(&c.if_false),
                    ValueKind::Unknown(reason) => Value::unknown(reason, span),
                    _ => Value::unknown("condition is not a boolean", span),
                }
            }
            ExprKind::Call(call) => {
                if call.expand_final {
                    return Value::unknown("argument expansion (`...`) is not evaluated", span);
                }
                if call.name == "file" {
                    return self.file(call, span);
                }
                let args: Vec<Value> = call.args.iter().map(|a| self.eval(a)).collect();
                return functions::call(&call.name, args, span);
            }
            ExprKind::Variable(name) => {
                ValueKind::Unknown(format!("`{name}` is not a value meshlint can evaluate"))
            }
            ExprKind::Traversal(t) => return self.traversal(&t.base, &t.ops, span),
            ExprKind::Unsupported(what) => ValueKind::Unknown(format!("{what} is not evaluated")),
        };
        Value::new(kind, span)
    }

    /// `file(path)`: the text of a file the engine read for this module, spanning the file.
    fn file(&self, call: &crate::syntax::Call, span: Span) -> Value {
        let read = call
            .args
            .first()
            .and_then(crate::model::terraform::module_relative_path)
            .and_then(|path| self.module.read_files.get(&path));
        match read {
            Some(file) => Value::new(
                ValueKind::String(file.text.clone()),
                Span::new(file.id, 0, file.text.len()),
            ),
            None => Value::unknown("the file is not one meshlint read", span),
        }
    }

    fn template(&self, parts: &[TemplatePart], span: Span) -> Value {
        let mut out = String::new();
        for part in parts {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Interpolation(e) => {
                    let value = self.eval(e);
                    match value.to_template_string() {
                        Some(s) => out.push_str(&s),
                        None => {
                            let reason = value
                                .unknown_reason()
                                .unwrap_or("an interpolated value is not a string")
                                .to_string();
                            return Value::unknown(reason, span);
                        }
                    }
                }
                TemplatePart::Directive(_) => {
                    return Value::unknown("template directives are not evaluated", span)
                }
            }
        }
        Value::new(ValueKind::String(out), span)
    }

    fn traversal(&self, base: &Expr, ops: &[TraversalOp], span: Span) -> Value {
        let root = match &base.kind {
            ExprKind::Variable(root) => root.as_str(),
            _ => return self.apply_ops(self.eval(base), ops, span),
        };
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOp::Attr(name, _)) => Some(name.as_str()),
            _ => None,
        };
        let (value, used) = match root {
            "var" => match attr(0) {
                Some(name) => (self.variable(name, span), 1),
                None => return Value::unknown("`var` must be followed by a name", span),
            },
            "local" => match attr(0) {
                Some(name) => (self.local(name, span), 1),
                None => return Value::unknown("`local` must be followed by a name", span),
            },
            "module" => {
                let name = attr(0).unwrap_or("?");
                let output = attr(1).unwrap_or("?");
                return Value::unknown(
                    format!("output `{output}` of module `{name}` is not evaluated"),
                    span,
                );
            }
            "data" => match (attr(0), attr(1)) {
                (Some(kind), Some(name)) => (self.resource_attr(true, kind, name, attr(2), span), 3),
                _ => return Value::unknown("incomplete data source reference", span),
            },
            "count" | "each" | "self" | "path" | "terraform" => {
                return Value::unknown(
                    format!("`{root}.*` is known only per instance or at run time"),
                    span,
                )
            }
            kind => match attr(0) {
                Some(name) => (self.resource_attr(false, kind, name, attr(1), span), 2),
                None => {
                    return Value::unknown(format!("`{kind}` is not a value meshlint can evaluate"), span)
                }
            },
        };
        self.apply_ops(value, ops.get(used..).unwrap_or(&[]), span)
    }

    fn apply_ops(&self, mut value: Value, ops: &[TraversalOp], span: Span) -> Value {
        for op in ops {
            if !value.is_known() {
                return value;
            }
            let next = match op {
                TraversalOp::Attr(name, _) => value.get(name).cloned(),
                TraversalOp::Index(index) => {
                    let index = self.eval(index);
                    match (&value.kind, &index.kind) {
                        (_, ValueKind::Unknown(reason)) => Some(Value::unknown(reason.clone(), span)),
                        (ValueKind::List(items), ValueKind::Number(n)) if *n >= 0.0 => {
                            items.get(*n as usize).cloned()
                        }
                        (ValueKind::Object(_), ValueKind::String(key)) => value.get(key).cloned(),
                        _ => None,
                    }
                }
                TraversalOp::Splat => return Value::unknown("splat expressions are not evaluated", span),
            };
            let origins = std::mem::take(&mut value.origins);
            value = match next {
                Some(mut v) => {
                    let mut all = origins;
                    all.append(&mut v.origins);
                    v.origins = all;
                    v
                }
                None => return Value::unknown("the attribute or element does not exist", span),
            };
        }
        value
    }

    fn variable(&self, name: &str, span: Span) -> Value {
        let Some(variable) = self.module.variables.get(name) else {
            return Value::unknown(format!("variable `{name}` is not declared in this module"), span);
        };
        let (value, what) = if let Some(assigned) = self.module.tfvars.get(name) {
            (self.eval(&assigned.value), format!("value of `{name}` in tfvars"))
        } else if let Some(default) = variable.default() {
            (self.eval(&default.value), format!("default of variable `{name}`"))
        } else {
            return Value::unknown(
                format!("variable `{name}` has no default and no value in a tfvars file"),
                span,
            );
        };
        let origin_span = value.span;
        convert(value, variable.ty).via(Origin {
            span: origin_span,
            what,
            kind: OriginKind::Variable,
        })
    }

    fn local(&self, name: &str, span: Span) -> Value {
        let Some(local) = self.module.locals.get(name) else {
            return Value::unknown(format!("local `{name}` is not defined in this module"), span);
        };
        self.eval(&local.value).via(Origin {
            span: local.value.span,
            what: format!("local `{name}`"),
            kind: OriginKind::Local,
        })
    }

    fn resource_attr(
        &self,
        is_data: bool,
        kind: &str,
        name: &str,
        attribute: Option<&str>,
        span: Span,
    ) -> Value {
        let prefix = if is_data { "data." } else { "" };
        let resource = if is_data {
            self.module.data_source(kind, name)
        } else {
            self.module.resource(kind, name)
        };
        let Some(resource) = resource else {
            return Value::unknown(
                format!("`{prefix}{kind}.{name}` is not defined in this module"),
                span,
            );
        };
        if resource.is_repeated() {
            return Value::unknown(format!("`{prefix}{kind}.{name}` uses count or for_each"), span);
        }
        let Some(attribute) = attribute else {
            return Value::unknown(
                format!("`{prefix}{kind}.{name}` as a whole is not evaluated"),
                span,
            );
        };
        match resource.attr(attribute) {
            Some(attr) => self.eval(&attr.value).via(Origin {
                span: attr.value.span,
                what: format!("`{attribute}` of {prefix}{kind}.{name}"),
                kind: OriginKind::ResourceAttribute,
            }),
            None => Value::unknown(
                format!("`{prefix}{kind}.{name}.{attribute}` is known only after apply"),
                span,
            ),
        }
    }
}

/// Terraform converts a value to the variable's declared primitive type on assignment.
fn convert(mut value: Value, ty: Option<PrimitiveType>) -> Value {
    let converted = match (ty, &value.kind) {
        (Some(PrimitiveType::String), ValueKind::Number(n)) => Some(ValueKind::String(format_number(*n))),
        (Some(PrimitiveType::String), ValueKind::Bool(b)) => Some(ValueKind::String(b.to_string())),
        (Some(PrimitiveType::Number), ValueKind::String(s)) => Some(s.trim().parse::<f64>().map_or_else(
            |_| ValueKind::Unknown(format!("\"{s}\" is not a number")),
            ValueKind::Number,
        )),
        (Some(PrimitiveType::Bool), ValueKind::String(s)) => Some(match s.as_str() {
            "true" => ValueKind::Bool(true),
            "false" => ValueKind::Bool(false),
            _ => ValueKind::Unknown(format!("\"{s}\" is not a bool")),
        }),
        _ => None,
    };
    if let Some(kind) = converted {
        value.kind = kind;
    }
    value
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;

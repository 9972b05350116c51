//! Evaluating a module's own plan-time checks (from the schema data) against one call.
//!
//! Three-valued like the rest of the model: a check fails only when every value it reads is
//! known. Inputs the call leaves out take the release's default.

use crate::model::consul_ecs::schema::{Check, Schema};
use crate::model::mesh::follow_locals;
use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::value::{format_number, Origin, Value, ValueKind};
use crate::model::terraform::{Module, ModuleCall};
use crate::source::Span;
use crate::syntax::{Expr, ExprKind};

/// One failed check.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Identifies the same failure across releases: the kind of check, the input, the key.
    pub id: String,
    pub span: Span,
    pub origins: Vec<Origin>,
    /// The input whose value is wrong, when the message is about one value.
    pub subject: Option<String>,
    /// What is wrong, in meshlint's words, without the module call's name (nor `subject`).
    pub what: String,
    /// The remedy.
    pub help: String,
    /// The module's own error message.
    pub module_message: String,
}

pub struct CallInputs<'a> {
    pub call: &'a ModuleCall,
    pub module: &'a Module,
    pub eval: &'a Evaluator<'a>,
}

impl CallInputs<'_> {
    fn value(&self, name: &str) -> Option<Value> {
        self.call.attr(name).map(|a| self.eval.eval(&a.value))
    }

    fn span(&self, name: &str) -> Option<Span> {
        self.call.attr(name).map(|a| a.value.span)
    }

    /// True or false as Terraform reads a `bool` input; the default when absent.
    fn is_true(&self, schema: &Schema, name: &str) -> Option<bool> {
        match self.value(name) {
            None => schema.input(name)?.default_bool(),
            Some(v) => match &v.kind {
                ValueKind::Bool(b) => Some(*b),
                ValueKind::String(s) => s.parse().ok(),
                _ => None,
            },
        }
    }

    /// Whether an input is "provided": non-empty, or true for a bool.
    fn is_set(&self, schema: &Schema, name: &str) -> Option<bool> {
        match self.value(name) {
            None => {
                let input = schema.input(name)?;
                Some(input.default_bool().unwrap_or(!input.default_is_empty()))
            }
            Some(v) => match &v.kind {
                ValueKind::Unknown(_) | ValueKind::Error(_) => None,
                ValueKind::Bool(b) => Some(*b),
                ValueKind::Number(_) => Some(true),
                _ => Some(!v.is_known_empty()),
            },
        }
    }
}

fn failure(id: String, span: Span, what: String, help: String, message: &str) -> Failure {
    Failure {
        id,
        span,
        origins: Vec::new(),
        subject: None,
        what,
        help,
        module_message: message.to_string(),
    }
}

/// Runs one check. Checks that other rules own (a zero `port`, transparent proxy with Fargate,
/// upstream keys) and free-form conditions are not evaluated here and give no failure.
pub fn evaluate(check: &Check, schema: &Schema, inputs: &CallInputs) -> Vec<Failure> {
    let mut out = Vec::new();
    match check {
        Check::RequiresSetIf {
            input, when, message, ..
        } if inputs.is_true(schema, when) == Some(true) && inputs.is_set(schema, input) == Some(false) => {
            let Some(span) = inputs.span(input).or_else(|| inputs.span(when)) else {
                return out;
            };
            out.push(failure(
                format!("set-if:{input}"),
                span,
                format!("sets `{when} = true` but leaves `{input}` empty"),
                format!("set `{input}`, which `{when} = true` needs"),
                message,
            ));
        }
        Check::RequiresTrueIf {
            input, when, message, ..
        } if inputs.is_true(schema, when) == Some(true) && inputs.is_true(schema, input) == Some(false) => {
            let Some(span) = inputs.span(input).or_else(|| inputs.span(when)) else {
                return out;
            };
            out.push(failure(
                format!("true-if:{input}"),
                span,
                format!("sets `{when} = true` without `{input} = true`"),
                format!("set `{input} = true`, or turn `{when}` off"),
                message,
            ));
        }
        Check::ForbiddenIf {
            input,
            when,
            if_value,
            message,
            ..
        } if inputs.is_true(schema, when) == Some(*if_value)
            && inputs.is_set(schema, input) == Some(true) =>
        {
            let Some(span) = inputs.span(input) else {
                return out;
            };
            out.push(failure(
                format!("forbidden-if:{input}"),
                span,
                format!("sets `{input}` although `{when}` is {if_value}"),
                format!("remove `{input}`: with `{when} = {if_value}` the module does not manage that role, so attach the policies to your role yourself"),
                message,
            ));
        }
        Check::MutuallyExclusive {
            inputs: names,
            message,
            ..
        } => {
            let set: Vec<&String> = names
                .iter()
                .filter(|n| inputs.is_set(schema, n) == Some(true))
                .collect();
            if set.len() >= 2 {
                let Some(span) = set.iter().rev().find_map(|n| inputs.span(n)) else {
                    return out;
                };
                let list = set
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                out.push(failure(
                    format!("exclusive:{}", names.join(",")),
                    span,
                    format!("sets both {list}, which exclude each other"),
                    "keep only one of them".to_string(),
                    message,
                ));
            }
        }
        Check::Range {
            input,
            min,
            max,
            message,
            ..
        } => {
            number_check(inputs, input, message, &mut out, |n| {
                (n < *min as f64 || n > *max as f64).then(|| {
                    (
                        format!("is {}, outside {min}–{max}", format_number(n)),
                        format!("use a port from {min} to {max}"),
                    )
                })
            });
        }
        Check::NotIn {
            input,
            values,
            message,
            ..
        } => {
            number_check(inputs, input, message, &mut out, |n| {
                values.iter().any(|v| *v as f64 == n).then(|| {
                    (
                        format!(
                            "is {}, which the module keeps for Consul or Envoy",
                            format_number(n)
                        ),
                        "choose a port the module does not reserve".to_string(),
                    )
                })
            });
        }
        Check::OneOf {
            input,
            values,
            message,
            ..
        } => {
            string_check(inputs, input, message, &mut out, |s| {
                (!values.iter().any(|v| v == s)).then(|| {
                    let list = values
                        .iter()
                        .map(|v| format!("\"{v}\""))
                        .collect::<Vec<_>>()
                        .join(", ");
                    (
                        format!("is \"{s}\", not one of {list}"),
                        format!("use one of {list}"),
                    )
                })
            });
        }
        Check::Regex {
            input,
            pattern,
            allow_empty,
            message,
            ..
        } => {
            let Ok(regex) = regex::Regex::new(pattern) else {
                return out;
            };
            string_check(inputs, input, message, &mut out, |s| {
                let ok = (s.is_empty() && *allow_empty) || regex.is_match(s);
                (!ok).then(|| {
                    (
                        format!("is \"{s}\", which does not match `{pattern}`"),
                        "use lower-case letters, digits, `-` and `_`, starting and ending with a letter or digit".to_string(),
                    )
                })
            });
        }
        Check::StartsAndEndsWith {
            input,
            prefix,
            suffix,
            message,
            ..
        } => {
            string_check(inputs, input, message, &mut out, |s| {
                (!s.starts_with(prefix.as_str()) || !s.ends_with(suffix.as_str())).then(|| {
                    let rule = match (prefix.is_empty(), suffix.is_empty()) {
                        (false, false) => format!("begin with `{prefix}` and end with `{suffix}`"),
                        (false, true) => format!("begin with `{prefix}`"),
                        _ => format!("end with `{suffix}`"),
                    };
                    (format!("is \"{s}\", but must {rule}"), format!("make it {rule}"))
                })
            });
        }
        Check::KeysAllowed {
            input,
            path,
            keys,
            message,
            ..
        } if input != "upstreams" => {
            let Some(attr) = inputs.call.attr(input) else {
                return out;
            };
            let value = inputs.eval.eval(&attr.value);
            let (_, expr) = follow_locals(&attr.value, inputs.module);
            let segments: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
            let shown = if path.is_empty() {
                input.clone()
            } else {
                format!("{input}.{path}")
            };
            let mut found = Vec::new();
            extra_keys(&value, Some(expr), &segments, keys, &mut found);
            for (key, span) in found {
                let names: Vec<&str> = keys.iter().map(String::as_str).collect();
                let help = match crate::suggest::closest_identifier(&key, &names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "remove `{key}`; allowed: {}",
                        names
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push(failure(
                    format!("keys:{input}:{path}:{key}:{}", span.start()),
                    span,
                    format!("has `{key}` in `{shown}`, a key the module does not allow there"),
                    help,
                    message,
                ));
            }
        }
        _ => {}
    }
    out
}

fn number_check(
    inputs: &CallInputs,
    input: &str,
    message: &str,
    out: &mut Vec<Failure>,
    test: impl Fn(f64) -> Option<(String, String)>,
) {
    let (Some(value), Some(span)) = (inputs.value(input), inputs.span(input)) else {
        return;
    };
    let number = match &value.kind {
        ValueKind::Number(n) => *n,
        ValueKind::String(s) => match s.trim().parse() {
            Ok(n) => n,
            Err(_) => return,
        },
        _ => return,
    };
    if let Some((what, help)) = test(number) {
        let mut f = failure(format!("value:{input}"), span, what, help, message);
        f.subject = Some(input.to_string());
        f.origins = value.origins;
        out.push(f);
    }
}

fn string_check(
    inputs: &CallInputs,
    input: &str,
    message: &str,
    out: &mut Vec<Failure>,
    test: impl Fn(&str) -> Option<(String, String)>,
) {
    let (Some(value), Some(span)) = (inputs.value(input), inputs.span(input)) else {
        return;
    };
    let Some(text) = value.as_str() else { return };
    if let Some((what, help)) = test(text) {
        let mut f = failure(format!("value:{input}"), span, what, help, message);
        f.subject = Some(input.to_string());
        f.origins = value.origins.clone();
        out.push(f);
    }
}

/// Keys not in `allowed` of the objects at `path` (`*` for every list element), with the span
/// of the key where the object is written as a literal, else of its value.
fn extra_keys(
    value: &Value,
    expr: Option<&Expr>,
    path: &[&str],
    allowed: &[String],
    out: &mut Vec<(String, Span)>,
) {
    let expr = expr.map(|e| match &e.kind {
        ExprKind::Parenthesis(inner) => inner.as_ref(),
        _ => e,
    });
    match path.split_first() {
        None => {
            let ValueKind::Object(fields) = &value.kind else {
                return;
            };
            for (key, field) in fields {
                if allowed.iter().any(|k| k == key) {
                    continue;
                }
                let span = expr
                    .and_then(|e| e.object_item(key))
                    .map_or(field.span, |item| item.key_span);
                out.push((key.clone(), span));
            }
        }
        Some((&"*", rest)) => {
            let Some(items) = value.as_list() else { return };
            let exprs = match expr.map(|e| &e.kind) {
                Some(ExprKind::Array(exprs)) if exprs.len() == items.len() => Some(exprs),
                _ => None,
            };
            for (i, item) in items.iter().enumerate() {
                extra_keys(item, exprs.map(|e| &e[i]), rest, allowed, out);
            }
        }
        Some((segment, rest)) => {
            let Some(inner) = value.get(segment) else { return };
            let inner_expr = expr.and_then(|e| e.object_item(segment)).map(|i| &i.value);
            extra_keys(inner, inner_expr, rest, allowed, out);
        }
    }
}

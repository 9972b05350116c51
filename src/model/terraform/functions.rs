//! The pure Terraform functions meshlint evaluates. Any other function yields unknown.

use crate::model::terraform::value::{format_number, Value, ValueKind};
use crate::source::Span;

pub fn call(name: &str, args: Vec<Value>, span: Span) -> Value {
    // An unknown argument makes the result unknown, with the argument's reason.
    if let Some(reason) = args.iter().find_map(|a| a.unknown_reason()) {
        return Value::unknown(reason.to_string(), span);
    }
    let result = match name {
        "jsonencode" => one(&args).and_then(jsonencode),
        "jsondecode" => one(&args).and_then(|a| jsondecode(a, span)),
        "lower" => one(&args).and_then(|a| string_of(a).map(|s| ValueKind::String(s.to_lowercase()))),
        "upper" => one(&args).and_then(|a| string_of(a).map(|s| ValueKind::String(s.to_uppercase()))),
        "trimspace" => one(&args).and_then(|a| string_of(a).map(|s| ValueKind::String(s.trim().to_string()))),
        "tostring" => one(&args).and_then(|a| a.to_template_string().map(ValueKind::String)),
        "tonumber" => one(&args).and_then(tonumber),
        "format" => format(&args),
        "join" => join(&args),
        "concat" => concat(&args),
        "merge" => merge(&args),
        "tolist" | "toset" => one(&args).and_then(|a| a.as_list().map(|l| ValueKind::List(l.to_vec()))),
        "coalesce" => args.iter().find(|a| !a.is_known_empty()).map(|a| a.kind.clone()),
        _ => return Value::unknown(format!("function `{name}` is not evaluated"), span),
    };
    match result {
        Some(kind) => Value::new(kind, span),
        None => Value::unknown(
            format!("`{name}` was called with arguments it does not accept"),
            span,
        ),
    }
}

fn one(args: &[Value]) -> Option<&Value> {
    match args {
        [only] => Some(only),
        _ => None,
    }
}

fn string_of(value: &Value) -> Option<String> {
    value.to_template_string()
}

fn jsonencode(value: &Value) -> Option<ValueKind> {
    let json = value.to_json()?;
    serde_json::to_string(&json).ok().map(ValueKind::String)
}

fn jsondecode(value: &Value, span: Span) -> Option<ValueKind> {
    let text = value.as_str()?;
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(Value::from_json(&json, span).kind)
}

fn tonumber(value: &Value) -> Option<ValueKind> {
    match &value.kind {
        ValueKind::Number(n) => Some(ValueKind::Number(*n)),
        ValueKind::String(s) => s.trim().parse().ok().map(ValueKind::Number),
        _ => None,
    }
}

/// `format` with the verbs configurations use for names and addresses: `%s`, `%d`, `%v`, `%%`.
fn format(args: &[Value]) -> Option<ValueKind> {
    let (spec, rest) = args.split_first()?;
    let spec = spec.as_str()?;
    let mut rest = rest.iter();
    let mut out = String::new();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'v' => out.push_str(&rest.next()?.to_template_string()?),
            'd' => out.push_str(&format_number(rest.next()?.as_number()?.trunc())),
            _ => return None,
        }
    }
    Some(ValueKind::String(out))
}

fn join(args: &[Value]) -> Option<ValueKind> {
    let (sep, lists) = args.split_first()?;
    let sep = sep.as_str()?;
    let mut parts = Vec::new();
    for list in lists {
        for item in list.as_list()? {
            parts.push(item.to_template_string()?);
        }
    }
    Some(ValueKind::String(parts.join(sep)))
}

fn concat(args: &[Value]) -> Option<ValueKind> {
    let mut out = Vec::new();
    for list in args {
        out.extend(list.as_list()?.iter().cloned());
    }
    Some(ValueKind::List(out))
}

fn merge(args: &[Value]) -> Option<ValueKind> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for map in args {
        match &map.kind {
            ValueKind::Object(fields) => {
                for (k, v) in fields {
                    match out.iter_mut().find(|(existing, _)| existing == k) {
                        Some(slot) => slot.1 = v.clone(),
                        None => out.push((k.clone(), v.clone())),
                    }
                }
            }
            ValueKind::Null => {}
            _ => return None,
        }
    }
    Some(ValueKind::Object(out))
}

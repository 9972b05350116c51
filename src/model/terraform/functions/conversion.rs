//! `tolist`, `toset`, `tomap`, `tostring`, `tonumber`, `tobool`, and how parameters of a
//! declared type receive their arguments.

use super::types::{self, convert, Ty};
use super::{number, rejected, Cx, Result};
use crate::model::terraform::value::{Value, ValueKind};

pub(super) fn tolist(args: &[Value], cx: &Cx) -> Result<Value> {
    match &args[0].kind {
        ValueKind::Null => Ok(args[0].clone()),
        ValueKind::List(items) => Ok(cx.list(types::to_list(items)?)),
        _ => rejected(format!("cannot convert {} to list", types::describe(&args[0]))),
    }
}

pub(super) fn toset(args: &[Value], cx: &Cx) -> Result<Value> {
    match &args[0].kind {
        ValueKind::Null => Ok(args[0].clone()),
        ValueKind::List(items) => Ok(cx.list(types::to_set(items)?)),
        _ => rejected(format!("cannot convert {} to set", types::describe(&args[0]))),
    }
}

pub(super) fn tomap(args: &[Value], cx: &Cx) -> Result<Value> {
    match &args[0].kind {
        ValueKind::Null => Ok(args[0].clone()),
        ValueKind::Object(fields) => {
            let values: Vec<&Value> = fields.iter().map(|(_, v)| v).collect();
            let element = types::unify(&values).map_err(|e| match e {
                super::Fail::Rejected(_) => {
                    super::Fail::Rejected("cannot convert object to map of any single type".into())
                }
                other => other,
            })?;
            let map = convert(&args[0], &Ty::Map(Box::new(element)))?;
            Ok(cx.value(map.kind))
        }
        _ => rejected(format!("cannot convert {} to map", types::describe(&args[0]))),
    }
}

pub(super) fn tostring(args: &[Value], cx: &Cx) -> Result<Value> {
    to_primitive(&args[0], &Ty::String, cx)
}

pub(super) fn tonumber(args: &[Value], cx: &Cx) -> Result<Value> {
    to_primitive(&args[0], &Ty::Number, cx)
}

pub(super) fn tobool(args: &[Value], cx: &Cx) -> Result<Value> {
    to_primitive(&args[0], &Ty::Bool, cx)
}

fn to_primitive(value: &Value, ty: &Ty, cx: &Cx) -> Result<Value> {
    if matches!(value.kind, ValueKind::List(_) | ValueKind::Object(_)) {
        return rejected(format!(
            "cannot convert {} to a primitive",
            types::describe(value)
        ));
    }
    Ok(cx.value(convert(value, ty)?.kind))
}

/// A parameter that must not be null.
fn present(value: &Value) -> Result<&Value> {
    match value.kind {
        ValueKind::Null => rejected("argument must not be null"),
        _ => Ok(value),
    }
}

/// A `string` parameter: numbers and bools convert, as Terraform converts them.
pub(super) fn string_param(value: &Value) -> Result<String> {
    match &present(value)?.kind {
        ValueKind::String(s) => Ok(s.clone()),
        ValueKind::Number(n) => number::text(*n),
        ValueKind::Bool(b) => Ok(b.to_string()),
        _ => rejected(format!("string required, got {}", types::describe(value))),
    }
}

/// A `number` parameter: strings holding a decimal convert.
pub(super) fn number_param(value: &Value) -> Result<f64> {
    match &present(value)?.kind {
        ValueKind::Number(n) => number::trusted(*n),
        ValueKind::String(s) => number::parse(s),
        _ => rejected(format!("number required, got {}", types::describe(value))),
    }
}

/// A number parameter that must be whole.
pub(super) fn integer_param(value: &Value) -> Result<i64> {
    let n = number_param(value)?;
    if n.fract() != 0.0 {
        return rejected("value must be a whole number");
    }
    // Trusted numbers are below 2^53, well inside i64.
    Ok(n as i64)
}

/// A `bool` parameter: `"true"` and `"false"` convert.
pub(super) fn bool_param(value: &Value) -> Result<bool> {
    match convert(present(value)?, &Ty::Bool)?.kind {
        ValueKind::Bool(b) => Ok(b),
        _ => rejected("bool required"),
    }
}

/// A list, set or tuple parameter.
pub(super) fn sequence(value: &Value) -> Result<&[Value]> {
    match &present(value)?.kind {
        ValueKind::List(items) => Ok(items),
        _ => rejected(format!(
            "a list, set or tuple is required, got {}",
            types::describe(value)
        )),
    }
}

/// A `list(string)` parameter: each element converted; `None` for null elements.
pub(super) fn strings_param(value: &Value) -> Result<Vec<Option<String>>> {
    sequence(value)?
        .iter()
        .map(|item| match item.kind {
            ValueKind::Null => Ok(None),
            _ => string_param(item).map(Some),
        })
        .collect()
}

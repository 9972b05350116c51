//! Terraform's type conversions and unification, over values that do not record their type.
//!
//! A meshlint `List` may be a tuple (what `[1, "a"]` makes) or a list or set (what `tolist`
//! and typed variables make), an `Object` an object or a map, a `null` a typed null. Where
//! Terraform's answer depends on which, [`unify`] works out each reading and gives an answer
//! only when they agree; conversions then follow the unified type.

use super::number;
use super::{not_evaluated, rejected, Fail, Result};
use crate::model::terraform::value::{Value, ValueKind};
use std::cmp::Ordering;

/// A Terraform type, as far as conversions need one.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ty {
    /// Any type: values are taken as they are (`null`, or elements of nothing).
    Any,
    Bool,
    Number,
    String,
    List(Box<Ty>),
    Map(Box<Ty>),
    Tuple(Vec<Ty>),
    Object(Vec<(String, Ty)>),
}

fn unknown_type() -> Fail {
    Fail::NotEvaluated(
        "the result depends on the type of a null or an empty collection, which meshlint does \
         not track"
            .into(),
    )
}

fn ambiguous() -> Fail {
    Fail::NotEvaluated(
        "the result depends on whether a value is a list or a tuple (a map or an object), \
         which meshlint does not track"
            .into(),
    )
}

/// The type Terraform converts all of `values` to when it needs one type for them
/// (`tolist`, `concat` of lists, `coalesce`, …).
pub(super) fn unify(values: &[&Value]) -> Result<Ty> {
    unify_elements(values, false)
}

/// As [`unify`]; `hidden` says an element of unknown type (an empty list's or map's) takes
/// part.
pub(super) fn unify_elements(values: &[&Value], hidden: bool) -> Result<Ty> {
    let visible: Vec<&Value> = values
        .iter()
        .copied()
        .filter(|v| !matches!(v.kind, ValueKind::Null))
        .collect();
    if let Some(reason) = visible.iter().find_map(|v| v.unknown_reason()) {
        return not_evaluated(reason.to_string());
    }
    if visible.is_empty() {
        return Ok(Ty::Any);
    }
    let ty = unify_visible(&visible)?;
    // A typed null (`tostring(null)`, a variable's) or an empty typed list takes part in the
    // unification, and only a string result is the same whatever its type was.
    if (hidden || visible.len() < values.len()) && ty != Ty::String {
        return Err(unknown_type());
    }
    Ok(ty)
}

fn unify_visible(values: &[&Value]) -> Result<Ty> {
    if values.iter().all(|v| is_primitive(v)) {
        let tys: Vec<Ty> = values.iter().map(|v| primitive_ty(v)).collect();
        if tys.iter().all(|t| *t == tys[0]) {
            return Ok(tys[0].clone());
        }
        // Numbers and bools convert to strings; strings do not safely convert back.
        if tys.contains(&Ty::String) {
            return Ok(Ty::String);
        }
        return rejected("the values have no common type");
    }
    if values.iter().all(|v| matches!(v.kind, ValueKind::List(_))) {
        return unify_sequences(values);
    }
    if values.iter().all(|v| matches!(v.kind, ValueKind::Object(_))) {
        return unify_objects(values);
    }
    rejected("the values have no common type")
}

fn is_primitive(v: &Value) -> bool {
    matches!(
        v.kind,
        ValueKind::Bool(_) | ValueKind::Number(_) | ValueKind::String(_)
    )
}

fn primitive_ty(v: &Value) -> Ty {
    match v.kind {
        ValueKind::Bool(_) => Ty::Bool,
        ValueKind::Number(_) => Ty::Number,
        _ => Ty::String,
    }
}

fn items(v: &Value) -> &[Value] {
    v.as_list().unwrap_or(&[])
}

fn fields(v: &Value) -> &[(String, Value)] {
    match &v.kind {
        ValueKind::Object(fields) => fields,
        _ => &[],
    }
}

/// Lists, sets and tuples: tuples of one length unify element by element, anything else
/// (or a list among them) into one list of the elements' common type.
fn unify_sequences(values: &[&Value]) -> Result<Ty> {
    let len = items(values[0]).len();
    let as_list = || {
        let all: Vec<&Value> = values.iter().flat_map(|v| items(v)).collect();
        let hidden = values.iter().any(|v| items(v).is_empty());
        unify_elements(&all, hidden).map(|t| Ty::List(Box::new(t)))
    };
    if values.iter().any(|v| items(v).len() != len) {
        return as_list();
    }
    let as_tuple = (0..len)
        .map(|i| {
            let column: Vec<&Value> = values.iter().map(|v| &items(v)[i]).collect();
            unify(&column)
        })
        .collect::<Result<Vec<Ty>>>()
        .map(Ty::Tuple);
    if !values.iter().any(|v| could_be_collection(items(v).iter())) {
        return as_tuple;
    }
    settle(values, as_tuple, as_list())
}

/// Maps and objects: objects with one set of attributes unify attribute by attribute,
/// anything else into one map of the attributes' common type.
fn unify_objects(values: &[&Value]) -> Result<Ty> {
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = fields(v).iter().map(|(k, _)| k.clone()).collect();
        k.sort();
        k.dedup();
        k
    };
    let first_keys = keys(values[0]);
    let as_map = || {
        let all: Vec<&Value> = values
            .iter()
            .flat_map(|v| fields(v).iter().map(|(_, x)| x))
            .collect();
        let hidden = values.iter().any(|v| fields(v).is_empty());
        unify_elements(&all, hidden).map(|t| Ty::Map(Box::new(t)))
    };
    if values.iter().any(|v| keys(v) != first_keys) {
        return as_map();
    }
    let as_object = first_keys
        .iter()
        .map(|k| {
            let column: Vec<&Value> = values.iter().filter_map(|v| v.get(k)).collect();
            unify(&column).map(|t| (k.clone(), t))
        })
        .collect::<Result<Vec<_>>>()
        .map(Ty::Object);
    if !values
        .iter()
        .any(|v| could_be_collection(fields(v).iter().map(|(_, x)| x)))
    {
        return as_object;
    }
    settle(values, as_object, as_map())
}

/// Picks between two readings of the same values: their common answer, or unknown.
fn settle(values: &[&Value], a: Result<Ty>, b: Result<Ty>) -> Result<Ty> {
    match (a, b) {
        (Ok(a), Ok(b)) => {
            let same = values.iter().all(|v| match (convert(v, &a), convert(v, &b)) {
                (Ok(x), Ok(y)) => same_value(&x, &y),
                (Err(_), Err(_)) => true,
                _ => false,
            });
            if same {
                Ok(a)
            } else {
                Err(ambiguous())
            }
        }
        (Err(Fail::Rejected(why)), Err(Fail::Rejected(_))) => Err(Fail::Rejected(why)),
        _ => Err(ambiguous()),
    }
}

/// Whether elements could all have one type, so that their holder could be a list or map
/// rather than a tuple or object. Only clearly different kinds rule it out.
pub(super) fn could_be_collection<'v>(elements: impl Iterator<Item = &'v Value>) -> bool {
    let mut kind = None;
    for e in elements {
        let k = match e.kind {
            ValueKind::Null | ValueKind::Unknown(_) | ValueKind::Error(_) => continue,
            ValueKind::Bool(_) => 0,
            ValueKind::Number(_) => 1,
            ValueKind::String(_) => 2,
            ValueKind::List(_) => 3,
            ValueKind::Object(_) => 4,
        };
        match kind {
            None => kind = Some(k),
            Some(seen) if seen != k => return false,
            Some(_) => {}
        }
    }
    true
}

/// `value` converted to `ty` as Terraform converts it (where strings become numbers too).
pub(super) fn convert(value: &Value, ty: &Ty) -> Result<Value> {
    let kind = match (&value.kind, ty) {
        (ValueKind::Unknown(reason) | ValueKind::Error(reason), _) => return not_evaluated(reason.clone()),
        (_, Ty::Any) | (ValueKind::Null, _) => return Ok(value.clone()),
        (ValueKind::String(_), Ty::String) | (ValueKind::Bool(_), Ty::Bool) => return Ok(value.clone()),
        (ValueKind::Number(n), Ty::Number) => {
            number::trusted(*n)?;
            return Ok(value.clone());
        }
        (ValueKind::Number(n), Ty::String) => ValueKind::String(number::text(*n)?),
        (ValueKind::Bool(b), Ty::String) => ValueKind::String(b.to_string()),
        (ValueKind::String(s), Ty::Number) => ValueKind::Number(number::parse(s)?),
        (ValueKind::String(s), Ty::Bool) => ValueKind::Bool(match s.as_str() {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => return rejected(format!("cannot convert {s:?} to bool")),
        }),
        (ValueKind::List(items), Ty::List(element)) => {
            ValueKind::List(items.iter().map(|i| convert(i, element)).collect::<Result<_>>()?)
        }
        (ValueKind::List(items), Ty::Tuple(elements)) if items.len() == elements.len() => ValueKind::List(
            items
                .iter()
                .zip(elements)
                .map(|(i, t)| convert(i, t))
                .collect::<Result<_>>()?,
        ),
        (ValueKind::Object(_), Ty::Map(element)) => ValueKind::Object(
            super::json::sorted_fields(value)
                .into_iter()
                .map(|(k, v)| Ok((k.to_string(), convert(v, element)?)))
                .collect::<Result<_>>()?,
        ),
        (ValueKind::Object(_), Ty::Object(attrs)) => {
            let fields = super::json::sorted_fields(value);
            if fields.len() != attrs.len() || fields.iter().zip(attrs).any(|((k, _), (a, _))| k != a) {
                return rejected("the object's attributes do not match");
            }
            ValueKind::Object(
                fields
                    .into_iter()
                    .zip(attrs)
                    .map(|((k, v), (_, t))| Ok((k.to_string(), convert(v, t)?)))
                    .collect::<Result<_>>()?,
            )
        }
        (_, ty) => return rejected(format!("cannot convert {} to {}", describe(value), ty_name(ty))),
    };
    Ok(Value {
        kind,
        span: value.span,
        origins: value.origins.clone(),
    })
}

/// Converts every element of a sequence to one type, as a list parameter does.
pub(super) fn to_list(items: &[Value]) -> Result<Vec<Value>> {
    let refs: Vec<&Value> = items.iter().collect();
    let ty = unify(&refs).map_err(|e| match e {
        Fail::Rejected(_) => Fail::Rejected("cannot convert tuple to list of any single type".into()),
        other => other,
    })?;
    items.iter().map(|i| convert(i, &ty)).collect()
}

/// The elements as a Terraform set holds them: converted to one type, without duplicates,
/// in the set's order (strings lexically, numbers by value, `false` first, nulls last).
pub(super) fn to_set(items: &[Value]) -> Result<Vec<Value>> {
    let mut converted = to_list(items)?;
    let mut out: Vec<Value> = Vec::with_capacity(converted.len());
    for item in converted.drain(..) {
        if let ValueKind::Number(n) = item.kind {
            if n == 0.0 && n.is_sign_negative() {
                return not_evaluated("a set holds -0 and 0 apart, and meshlint does not order them");
            }
        }
        if !out.iter().any(|seen| same_value(seen, &item)) {
            out.push(item);
        }
    }
    let non_null = out.iter().filter(|v| !matches!(v.kind, ValueKind::Null)).count();
    if non_null > 1
        && out
            .iter()
            .any(|v| matches!(v.kind, ValueKind::List(_) | ValueKind::Object(_)))
    {
        return not_evaluated("meshlint does not know the order of a set of collections");
    }
    out.sort_by(set_order);
    Ok(out)
}

fn set_order(a: &Value, b: &Value) -> Ordering {
    match (&a.kind, &b.kind) {
        (ValueKind::Null, ValueKind::Null) => Ordering::Equal,
        (ValueKind::Null, _) => Ordering::Greater,
        (_, ValueKind::Null) => Ordering::Less,
        (ValueKind::String(x), ValueKind::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (ValueKind::Number(x), ValueKind::Number(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (ValueKind::Bool(x), ValueKind::Bool(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

/// Structural equality; numbers by value. Values of different Terraform types may compare
/// equal here (a list and a tuple), so callers use it only where the types agree.
pub(super) fn same_value(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (ValueKind::Null, ValueKind::Null) => true,
        (ValueKind::Bool(x), ValueKind::Bool(y)) => x == y,
        (ValueKind::Number(x), ValueKind::Number(y)) => x == y,
        (ValueKind::String(x), ValueKind::String(y)) => x == y,
        (ValueKind::List(x), ValueKind::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (ValueKind::Object(_), ValueKind::Object(_)) => {
            let (x, y) = (super::json::sorted_fields(a), super::json::sorted_fields(b));
            x.len() == y.len()
                && x.iter()
                    .zip(&y)
                    .all(|((k, p), (l, q))| k == l && same_value(p, q))
        }
        _ => false,
    }
}

/// How Terraform names a value's type in messages, as far as meshlint can tell.
pub(super) fn describe(value: &Value) -> &'static str {
    match value.kind {
        ValueKind::Null => "null",
        ValueKind::Bool(_) => "bool",
        ValueKind::Number(_) => "number",
        ValueKind::String(_) => "string",
        ValueKind::List(_) => "list",
        ValueKind::Object(_) => "object",
        ValueKind::Unknown(_) | ValueKind::Error(_) => "unknown",
    }
}

fn ty_name(ty: &Ty) -> &'static str {
    match ty {
        Ty::Any => "any",
        Ty::Bool => "bool",
        Ty::Number => "number",
        Ty::String => "string",
        Ty::List(_) | Ty::Tuple(_) => "list",
        Ty::Map(_) | Ty::Object(_) => "map",
    }
}

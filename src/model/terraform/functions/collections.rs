//! Functions over lists, sets, tuples, maps and objects.

use super::conversion::{bool_param, integer_param, sequence, string_param, strings_param};
use super::text::clusters;
use super::types::{self, could_be_collection, same_value};
use super::{json, not_evaluated, rejected, Cx, Fail, Result};
use crate::model::terraform::value::{Value, ValueKind};
use std::collections::BTreeMap;

/// Nesting `flatten` follows before giving up.
const MAX_FLATTEN_DEPTH: usize = 64;

fn object(value: &Value) -> Result<Vec<(&str, &Value)>> {
    match value.kind {
        ValueKind::Object(_) => Ok(json::sorted_fields(value)),
        ValueKind::Null => rejected("argument must not be null"),
        _ => rejected("must have map or object type"),
    }
}

fn object_value(fields: Vec<(String, Value)>, cx: &Cx) -> Value {
    cx.value(ValueKind::Object(fields))
}

/// `concat(seq…)`: lists of one element type stay a list (elements converted to the common
/// type); otherwise a tuple of the elements as they are.
pub(super) fn concat(args: &[Value], cx: &Cx) -> Result<Value> {
    let mut seqs = Vec::with_capacity(args.len());
    for arg in args {
        match &arg.kind {
            ValueKind::List(items) => seqs.push(items.as_slice()),
            ValueKind::Null => return rejected("argument must not be null"),
            _ => return rejected("all arguments must be lists or tuples"),
        }
    }
    let joined: Vec<Value> = seqs.iter().flat_map(|s| s.iter().cloned()).collect();
    // Some argument is surely a tuple: Terraform concatenates as a tuple.
    if seqs.iter().any(|s| !could_be_collection(s.iter())) {
        return Ok(cx.list(joined));
    }
    let elements: Vec<&Value> = joined.iter().collect();
    let hidden = seqs.iter().any(|s| s.is_empty());
    match types::unify_elements(&elements, hidden) {
        Ok(ty) => {
            let as_list = joined
                .iter()
                .map(|v| types::convert(v, &ty))
                .collect::<Result<Vec<_>>>();
            match as_list {
                Ok(converted) if converted.iter().zip(&joined).all(|(a, b)| same_value(a, b)) => {
                    Ok(cx.list(joined))
                }
                _ => not_evaluated(
                    "the result depends on whether the arguments are lists or tuples, which \
                     meshlint does not track",
                ),
            }
        }
        // No common type: Terraform concatenates as a tuple either way.
        Err(Fail::Rejected(_)) => Ok(cx.list(joined)),
        Err(e) => Err(e),
    }
}

/// `merge(map…)`: later keys win; `null` arguments are skipped.
pub(super) fn merge(args: &[Value], cx: &Cx) -> Result<Value> {
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    for arg in args {
        match arg.kind {
            ValueKind::Object(_) => {
                for (k, v) in json::sorted_fields(arg) {
                    out.insert(k.to_string(), v.clone());
                }
            }
            ValueKind::Null => {}
            _ => return rejected("arguments must be maps or objects"),
        }
    }
    Ok(object_value(out.into_iter().collect(), cx))
}

pub(super) fn flatten(args: &[Value], cx: &Cx) -> Result<Value> {
    fn walk(items: &[Value], depth: usize, out: &mut Vec<Value>) -> Result<()> {
        if depth > MAX_FLATTEN_DEPTH {
            return not_evaluated("lists nested too deeply");
        }
        for item in items {
            match &item.kind {
                ValueKind::List(inner) => walk(inner, depth + 1, out)?,
                _ => out.push(item.clone()),
            }
        }
        Ok(())
    }
    let items = match &args[0].kind {
        ValueKind::List(items) => items,
        _ => return rejected("can only flatten lists, sets and tuples"),
    };
    let mut out = Vec::new();
    walk(items, 0, &mut out)?;
    Ok(cx.list(out))
}

/// `lookup(map, key[, default])`. For a map the default must convert to the element type
/// (and does); for an object it is taken as it is, so both readings are checked.
pub(super) fn lookup(args: &[Value], _cx: &Cx) -> Result<Value> {
    let fields = object(&args[0])?;
    let key = string_param(&args[1])?;
    let found = fields.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).clone());
    let default = args.get(2);
    let as_object = match (&found, default) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(d)) => Ok(d.clone()),
        (None, None) => rejected(format!("the given object has no attribute {key:?}")),
    };
    let Some(default) = default else {
        // Without a default, a map and an object answer alike.
        return as_object;
    };
    if let Some(reason) = super::deep_unknown_reason(default) {
        return not_evaluated(reason.to_string());
    }
    let values: Vec<&Value> = fields.iter().map(|(_, v)| *v).collect();
    if !could_be_collection(values.iter().copied()) {
        return as_object;
    }
    let as_map = match types::unify_elements(&values, values.is_empty()) {
        Ok(element) => match types::convert(default, &element) {
            Ok(d) => Ok(found.clone().unwrap_or(d)),
            Err(Fail::Rejected(_)) => {
                rejected("the default value must have the same type as the map elements")
            }
            Err(e) => Err(e),
        },
        Err(Fail::Rejected(_)) => return as_object,
        Err(e) => Err(e),
    };
    match (as_object, as_map) {
        (Ok(a), Ok(b)) if same_value(&a, &b) => Ok(a),
        (Err(Fail::Rejected(why)), Err(Fail::Rejected(_))) => rejected(why),
        (_, Err(Fail::NotEvaluated(why))) => not_evaluated(why),
        _ => not_evaluated("the result depends on whether the argument is a map or an object"),
    }
}

pub(super) fn element(args: &[Value], _cx: &Cx) -> Result<Value> {
    let items = match &args[0].kind {
        ValueKind::List(items) => items,
        ValueKind::Null => return rejected("argument must not be null"),
        _ => return rejected("cannot read elements from this value"),
    };
    let index = integer_param(&args[1])?;
    if items.is_empty() {
        return rejected("cannot use element function with an empty list");
    }
    if index < 0 {
        return rejected("a negative index");
    }
    // Indexes past the end wrap around.
    Ok(items[(index as usize) % items.len()].clone())
}

/// Terraform's equality between an element and a searched value, where meshlint can tell:
/// values of different types are never equal, so equal-looking collections (which may be a
/// list and a tuple) are left unknown.
fn equals(element: &Value, value: &Value) -> Result<bool> {
    if !same_value(element, value) {
        return Ok(false);
    }
    match value.kind {
        ValueKind::List(_) | ValueKind::Object(_) => {
            not_evaluated("collections compare equal only when their types match")
        }
        // Terraform keeps -0 and 0 apart in places; meshlint's parser does not.
        ValueKind::Number(0.0) => not_evaluated("comparing zeros"),
        _ => Ok(true),
    }
}

fn search(args: &[Value]) -> Result<Option<usize>> {
    let items = sequence(&args[0])?;
    let value = &args[1];
    if matches!(value.kind, ValueKind::Null) {
        return rejected("argument must not be null");
    }
    for (i, item) in items.iter().enumerate() {
        if equals(item, value)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

pub(super) fn index(args: &[Value], cx: &Cx) -> Result<Value> {
    match search(args)? {
        Some(i) => Ok(cx.number(i as f64)),
        None => rejected("item not found"),
    }
}

pub(super) fn contains(args: &[Value], cx: &Cx) -> Result<Value> {
    if !matches!(args[0].kind, ValueKind::List(_)) {
        return rejected("argument must be list, tuple, or set");
    }
    Ok(cx.bool(search(args)?.is_some()))
}

pub(super) fn keys(args: &[Value], cx: &Cx) -> Result<Value> {
    let fields = object(&args[0])?;
    Ok(cx.list(fields.iter().map(|(k, _)| cx.string(*k)).collect()))
}

pub(super) fn values(args: &[Value], cx: &Cx) -> Result<Value> {
    let fields = object(&args[0])?;
    Ok(cx.list(fields.iter().map(|(_, v)| (*v).clone()).collect()))
}

/// Characters (grapheme clusters) of a string, elements of a collection.
pub(super) fn length(args: &[Value], cx: &Cx) -> Result<Value> {
    let n = match &args[0].kind {
        ValueKind::String(s) => clusters(s)?.len(),
        ValueKind::List(items) => items.len(),
        ValueKind::Object(_) => json::sorted_fields(&args[0]).len(),
        ValueKind::Null => return rejected("argument must not be null"),
        _ => return rejected("argument must be a string, a collection type, or a structural type"),
    };
    Ok(cx.number(n as f64))
}

pub(super) fn distinct(args: &[Value], cx: &Cx) -> Result<Value> {
    let items = types::to_list(sequence(&args[0])?)?;
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !out.iter().any(|seen| same_value(seen, &item)) {
            out.push(item);
        }
    }
    Ok(cx.list(out))
}

pub(super) fn compact(args: &[Value], cx: &Cx) -> Result<Value> {
    let kept = strings_param(&args[0])?
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .map(|s| cx.string(s))
        .collect();
    Ok(cx.list(kept))
}

/// `coalesce(v…)`: the first argument that is neither null nor an empty string, converted to
/// the arguments' common type.
pub(super) fn coalesce(args: &[Value], cx: &Cx) -> Result<Value> {
    if args
        .iter()
        .any(|a| matches!(a.kind, ValueKind::List(_) | ValueKind::Object(_)))
    {
        return not_evaluated("coalesce of collections");
    }
    let all: Vec<&Value> = args.iter().collect();
    let ty = types::unify(&all).map_err(|e| match e {
        Fail::Rejected(_) => Fail::Rejected("all arguments must have the same type".into()),
        other => other,
    })?;
    for arg in args {
        if matches!(arg.kind, ValueKind::Null) {
            continue;
        }
        let converted = types::convert(arg, &ty)?;
        if converted.as_str() == Some("") {
            continue;
        }
        return Ok(cx.value(converted.kind));
    }
    rejected("no non-null, non-empty-string arguments")
}

/// `coalescelist(seq…)`: the first non-empty list or tuple, as it is.
pub(super) fn coalescelist(args: &[Value], _cx: &Cx) -> Result<Value> {
    for arg in args {
        match &arg.kind {
            ValueKind::List(_) => {}
            ValueKind::Null => return rejected("argument must not be null"),
            _ => return rejected("all arguments must be lists or tuples"),
        }
    }
    args.iter()
        .find(|a| a.as_list().is_some_and(|items| !items.is_empty()))
        .cloned()
        .map_or_else(|| rejected("no non-null arguments"), Ok)
}

pub(super) fn zipmap(args: &[Value], cx: &Cx) -> Result<Value> {
    let keys = strings_param(&args[0])?;
    let values = sequence(&args[1])?;
    if keys.len() != values.len() {
        return rejected(format!(
            "number of keys ({}) does not match number of values ({})",
            keys.len(),
            values.len()
        ));
    }
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    for (key, value) in keys.into_iter().zip(values) {
        let Some(key) = key else {
            return rejected("keys must not be null");
        };
        out.insert(key, value.clone());
    }
    Ok(object_value(out.into_iter().collect(), cx))
}

pub(super) fn one(args: &[Value], cx: &Cx) -> Result<Value> {
    match &args[0].kind {
        ValueKind::List(items) if items.is_empty() => Ok(cx.value(ValueKind::Null)),
        ValueKind::List(items) if items.len() == 1 => Ok(items[0].clone()),
        ValueKind::Null => rejected("argument must not be null"),
        _ => rejected("must be a list, set, or tuple value with either zero or one elements"),
    }
}

fn bools(value: &Value) -> Result<Vec<Option<bool>>> {
    sequence(value)?
        .iter()
        .map(|item| match item.kind {
            ValueKind::Null => Ok(None),
            _ => bool_param(item).map(Some),
        })
        .collect()
}

pub(super) fn alltrue(args: &[Value], cx: &Cx) -> Result<Value> {
    Ok(cx.bool(bools(&args[0])?.iter().all(|b| *b == Some(true))))
}

pub(super) fn anytrue(args: &[Value], cx: &Cx) -> Result<Value> {
    Ok(cx.bool(bools(&args[0])?.contains(&Some(true))))
}

pub(super) fn reverse(args: &[Value], cx: &Cx) -> Result<Value> {
    match &args[0].kind {
        ValueKind::List(items) => Ok(cx.list(items.iter().rev().cloned().collect())),
        ValueKind::Null => rejected("argument must not be null"),
        _ => rejected("can only reverse list or tuple values"),
    }
}

pub(super) fn slice(args: &[Value], cx: &Cx) -> Result<Value> {
    let items = sequence(&args[0])?;
    let start = integer_param(&args[1])?;
    let end = integer_param(&args[2])?;
    if start < 0 {
        return rejected("start index must not be less than zero");
    }
    if end > items.len() as i64 {
        return rejected("end index must not be greater than the length of the list");
    }
    if start > end {
        return rejected("start index must not be greater than end index");
    }
    Ok(cx.list(items[start as usize..end as usize].to_vec()))
}

pub(super) fn setunion(args: &[Value], cx: &Cx) -> Result<Value> {
    let mut all = Vec::new();
    for arg in args {
        all.extend(sequence(arg)?.iter().cloned());
    }
    Ok(cx.list(types::to_set(&all)?))
}

pub(super) fn chunklist(args: &[Value], cx: &Cx) -> Result<Value> {
    let items = types::to_list(sequence(&args[0])?)?;
    let size = integer_param(&args[1])?;
    if size < 0 {
        return rejected("the size argument must be positive");
    }
    if items.is_empty() {
        return Ok(cx.list(Vec::new()));
    }
    let size = if size == 0 { items.len() } else { size as usize };
    Ok(cx.list(items.chunks(size).map(|c| cx.list(c.to_vec())).collect()))
}

pub(super) fn sort(args: &[Value], cx: &Cx) -> Result<Value> {
    let mut strings = Vec::new();
    for item in strings_param(&args[0])? {
        match item {
            Some(s) => strings.push(s),
            None => return rejected("a null string cannot be sorted"),
        }
    }
    strings.sort();
    Ok(cx.list(strings.into_iter().map(|s| cx.string(s)).collect()))
}

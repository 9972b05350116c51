//! One shape for both ways of writing an entry: the typed resources' blocks become objects,
//! and fields are looked up the way Consul decodes them (case and `_` do not matter, so
//! `PathExact`, `pathExact` and `path_exact` are one field).

use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::value::{Value, ValueKind};
use crate::syntax::{Block, Body};

/// `PathExact`, `path_exact` → `pathexact`.
fn canonical(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The field of an object, by Consul's decoding rules.
pub fn field<'v>(object: &'v Value, key: &str) -> Option<&'v Value> {
    let wanted = canonical(key);
    match &object.kind {
        ValueKind::Object(fields) => fields
            .iter()
            .find(|(k, _)| canonical(k) == wanted)
            .map(|(_, v)| v),
        _ => None,
    }
}

/// A block's body as an object: each attribute evaluated, each nested block a list element
/// under its name (a `dynamic "x"` block adds its instances, or an unknown element when its
/// collection is not known).
pub fn block_object(block: &Block, eval: &Evaluator) -> Value {
    Value::new(ValueKind::Object(body_fields(&block.body, eval)), block.span)
}

fn body_fields(body: &Body, eval: &Evaluator) -> Vec<(String, Value)> {
    let mut fields: Vec<(String, Value)> = body
        .attributes
        .iter()
        .map(|a| (a.key.to_string(), eval.eval(&a.value)))
        .collect();
    let mut lists: Vec<(String, Vec<Value>, crate::source::Span)> = Vec::new();
    let mut push = |name: &str, item: Value| match lists.iter_mut().find(|(n, _, _)| n == name) {
        Some((_, items, _)) => items.push(item),
        None => lists.push((name.to_string(), vec![item.clone()], item.span)),
    };
    for block in &body.blocks {
        if block.ident == "dynamic" {
            let Some(name) = block.label(0) else { continue };
            for item in dynamic_instances(block, name, eval) {
                push(name, item);
            }
        } else {
            push(&block.ident, block_object(block, eval));
        }
    }
    fields.extend(
        lists
            .into_iter()
            .map(|(name, items, span)| (name, Value::new(ValueKind::List(items), span))),
    );
    fields
}

/// The objects a `dynamic` block generates; one unknown element when its collection (or its
/// `content`) is not known.
fn dynamic_instances(block: &Block, name: &str, eval: &Evaluator) -> Vec<Value> {
    let unknown = |why: &str| vec![Value::unknown(why, block.span)];
    let Some(for_each) = block.body.attr("for_each") else {
        return unknown("a `dynamic` block without `for_each`");
    };
    let Some(content) = block.body.blocks_named("content").next() else {
        return unknown("a `dynamic` block without `content`");
    };
    let collection = eval.eval(&for_each.value);
    let Some(pairs) = eval.iterate(&collection) else {
        return unknown("the `for_each` of a `dynamic` block is not known");
    };
    let iterator = block
        .body
        .attr("iterator")
        .and_then(|a| a.value.reference().and_then(|r| r.first().map(|s| s.to_string())))
        .unwrap_or_else(|| name.to_string());
    pairs
        .into_iter()
        .map(|(key, value)| {
            eval.with_iterator(&iterator, key, value, |e| {
                Value::new(ValueKind::Object(body_fields(&content.body, e)), content.span)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_whatever_their_case_and_underscores() {
        let span = crate::source::Span::new(crate::source::FileId(0), 0, 0);
        let object = Value::new(
            ValueKind::Object(vec![(
                "PathExact".into(),
                Value::new(ValueKind::String("/".into()), span),
            )]),
            span,
        );
        for key in ["path_exact", "pathExact", "PATHEXACT"] {
            assert_eq!(field(&object, key).and_then(Value::as_str), Some("/"));
        }
        assert!(field(&object, "path_prefix").is_none());
    }
}

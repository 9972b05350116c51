//! `count` and `for_each`: the instances of a module call or resource, as Terraform expands
//! them when the collection is known at plan time.

use crate::model::terraform::eval::{inherit, Evaluator};
use crate::model::terraform::value::{Value, ValueKind};
use crate::source::Span;
use crate::syntax::Body;
use std::fmt;

/// More instances than this are not expanded (the call stays one task of unknown values):
/// no mesh has that many, and a typo'd `count = 100000` must not stall a run.
const MAX_INSTANCES: usize = 1000;

/// The key of one instance: `[0]` under `count`, `["api"]` under `for_each`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceKey {
    Index(usize),
    Key(String),
}

impl fmt::Display for InstanceKey {
    /// As Terraform writes it in an address: `[0]`, `["product-api"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::Index(i) => write!(f, "[{i}]"),
            InstanceKey::Key(k) => write!(f, "[{}]", serde_json::Value::String(k.clone())),
        }
    }
}

impl InstanceKey {
    /// A known index value as the key it selects: a string, or a whole number.
    pub fn of_value(value: &Value) -> Option<InstanceKey> {
        match &value.kind {
            ValueKind::String(s) => Some(InstanceKey::Key(s.clone())),
            ValueKind::Number(n) if *n >= 0.0 && n.fract() == 0.0 => Some(InstanceKey::Index(*n as usize)),
            _ => None,
        }
    }
}

/// What `each` or `count` is bound to while one instance is evaluated.
#[derive(Debug, Clone)]
pub struct Instance {
    pub key: InstanceKey,
    /// `each.value`; `None` under `count`.
    pub value: Option<Value>,
}

impl Instance {
    /// The `each` or `count` object the evaluator binds.
    pub fn binding(&self, span: Span) -> (&'static str, Value) {
        match &self.key {
            InstanceKey::Index(i) => (
                "count",
                Value::new(
                    ValueKind::Object(vec![(
                        "index".into(),
                        Value::new(ValueKind::Number(*i as f64), span),
                    )]),
                    span,
                ),
            ),
            InstanceKey::Key(k) => (
                "each",
                Value::new(
                    ValueKind::Object(vec![
                        ("key".into(), Value::new(ValueKind::String(k.clone()), span)),
                        (
                            "value".into(),
                            self.value
                                .clone()
                                .unwrap_or_else(|| Value::new(ValueKind::Null, span)),
                        ),
                    ]),
                    span,
                ),
            ),
        }
    }
}

/// How a block repeats.
#[derive(Debug, Clone)]
pub enum Repetition {
    /// No `count` or `for_each`: one object, addressed without a key.
    Single,
    /// The known instances, in Terraform's order (indexes, or keys sorted).
    Instances(Vec<Instance>),
    /// `count` or `for_each` whose collection is not known: instances exist, but not which.
    /// `each` / `count` are bound to an unknown with this reason.
    Unknown { meta: &'static str, reason: String },
}

impl Repetition {
    /// Expands the block's `count` / `for_each`, evaluated in its module.
    pub fn of(body: &Body, eval: &Evaluator) -> Repetition {
        if let Some(count) = body.attr("count") {
            return count_instances(eval.eval(&count.value));
        }
        if let Some(for_each) = body.attr("for_each") {
            return for_each_instances(eval.eval(&for_each.value));
        }
        Repetition::Single
    }
}

fn count_instances(value: Value) -> Repetition {
    let unknown = |reason: String| Repetition::Unknown {
        meta: "count",
        reason,
    };
    match &value.kind {
        ValueKind::Number(n) if *n >= 0.0 && n.fract() == 0.0 && (*n as usize) <= MAX_INSTANCES => {
            Repetition::Instances(
                (0..*n as usize)
                    .map(|i| Instance {
                        key: InstanceKey::Index(i),
                        value: None,
                    })
                    .collect(),
            )
        }
        ValueKind::Number(n) => unknown(format!("`count` is {n}, which meshlint does not expand")),
        _ => unknown(
            value
                .unknown_reason()
                .map_or("`count` is not a whole number".into(), |r| {
                    format!("`count` is not known: {r}")
                }),
        ),
    }
}

fn for_each_instances(value: Value) -> Repetition {
    let unknown = |reason: String| Repetition::Unknown {
        meta: "for_each",
        reason,
    };
    let mut instances: Vec<Instance> = match &value.kind {
        ValueKind::Object(fields) => fields
            .iter()
            .map(|(k, v)| Instance {
                key: InstanceKey::Key(k.clone()),
                value: Some(inherit(&value.origins, v.clone())),
            })
            .collect(),
        // A set of strings: each.key and each.value are the element.
        ValueKind::List(items) => {
            let mut instances = Vec::with_capacity(items.len());
            for item in items {
                match &item.kind {
                    ValueKind::String(s) => instances.push(Instance {
                        key: InstanceKey::Key(s.clone()),
                        value: Some(inherit(&value.origins, item.clone())),
                    }),
                    _ => {
                        return unknown(match item.unknown_reason() {
                            Some(r) => format!("an element of `for_each` is not known: {r}"),
                            None => "`for_each` over a list needs a set of strings".into(),
                        })
                    }
                }
            }
            instances
        }
        _ => {
            return unknown(
                value
                    .unknown_reason()
                    .map_or("`for_each` is not a map or a set".into(), |r| {
                        format!("`for_each` is not known: {r}")
                    }),
            )
        }
    };
    if instances.len() > MAX_INSTANCES {
        return unknown(format!("`for_each` has {} elements", instances.len()));
    }
    // Terraform orders instances by key; a set has each key once.
    instances.sort_by(|a, b| a.key.cmp(&b.key));
    instances.dedup_by(|a, b| a.key == b.key);
    Repetition::Instances(instances)
}

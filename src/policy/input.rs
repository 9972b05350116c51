//! The model document as regorus reads it, made straight from each part's JSON.
//!
//! regorus keeps every object as a B-tree of values and every string as its own allocation;
//! the model repeats the same keys (`span`, `file`, `start`, `line`, …) and file names
//! hundreds of thousands of times. Converting here, with the strings of each part shared,
//! instead of through serde, costs a fraction of the time and memory.

use regorus::{Rc, Value};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};

/// Strings shorter than this are shared within a part: keys, file names, enumerations.
const SHARED_MAX: usize = 96;

#[derive(Default)]
struct Strings {
    seen: HashMap<String, Rc<str>>,
}

impl Strings {
    fn get(&mut self, text: String) -> Value {
        if text.len() >= SHARED_MAX {
            return Value::from(text);
        }
        if let Some(shared) = self.seen.get(&text) {
            return Value::String(shared.clone());
        }
        let shared: Rc<str> = Rc::from(text.as_str());
        self.seen.insert(text, shared.clone());
        Value::String(shared)
    }
}

/// The model document (`crate::export`) as a regorus value, its parts converted in parallel.
pub fn document(project: &crate::model::Project) -> Value {
    let (head, modules, apps) = crate::export::parts(project, |part| convert(part, &mut Strings::default()));
    let mut object = BTreeMap::new();
    if let Json::Object(head) = head {
        let mut strings = Strings::default();
        for (key, value) in head {
            object.insert(strings.get(key), convert(value, &mut strings));
        }
    }
    object.insert(Value::from("modules"), Value::from(modules));
    object.insert(Value::from("apps"), Value::from(apps));
    Value::from(object)
}

fn convert(json: Json, strings: &mut Strings) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::from(b),
        Json::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Value::from(u),
            (None, Some(i), _) => Value::from(i),
            (None, None, Some(f)) => Value::from(f),
            _ => Value::Null,
        },
        Json::String(s) => strings.get(s),
        Json::Array(items) => Value::from(items.into_iter().map(|i| convert(i, strings)).collect::<Vec<_>>()),
        Json::Object(map) => {
            let object: BTreeMap<Value, Value> = map
                .into_iter()
                .map(|(key, value)| (strings.get(key), convert(value, strings)))
                .collect();
            Value::from(object)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_like_regorus_reads_json() {
        let json = serde_json::json!({
            "a": [1, -2, 2.5, "x", null, true],
            "b": {"span": {"file": "main.tf"}, "again": {"span": {"file": "main.tf"}}},
            "long": "y".repeat(200),
        });
        let expected = Value::from_json_str(&json.to_string()).unwrap();
        assert_eq!(convert(json, &mut Strings::default()), expected);
    }
}

//! Values as meshlint knows them: known (with where they were written and where they came
//! from), or unknown with a reason. An absent value is an `Option::None` at the lookup.

use crate::source::Span;

#[derive(Debug, Clone)]
pub struct Value {
    pub kind: ValueKind,
    /// Where the expression that produced this value is written.
    pub span: Span,
    /// The references followed to reach it, outermost first: e.g. the local that named a
    /// variable, then the variable's default. Rules turn these into secondary labels.
    pub origins: Vec<Origin>,
}

#[derive(Debug, Clone)]
pub enum ValueKind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(Vec<(String, Value)>),
    /// Not knowable before apply, or not evaluated by meshlint. Never a finding by itself.
    Unknown(String),
    /// Terraform would reject the expression (a missing attribute of a known object, an
    /// operator on the wrong type). Unknown to every rule; `try` and `can` tell it apart.
    Error(String),
}

/// One step of a value's provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub span: Span,
    /// What that place is, e.g. "default of variable `port`".
    pub what: String,
    pub kind: OriginKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginKind {
    /// A variable's default or tfvars value: `-var` can still change it at apply time.
    Variable,
    Local,
    ResourceAttribute,
    /// A variable of a local child module set by its caller; the origin spans the child's
    /// use of the variable (the value's own span is the caller's literal).
    CallerArgument,
}

impl Value {
    pub fn new(kind: ValueKind, span: Span) -> Value {
        Value {
            kind,
            span,
            origins: Vec::new(),
        }
    }

    pub fn unknown(reason: impl Into<String>, span: Span) -> Value {
        Value::new(ValueKind::Unknown(reason.into()), span)
    }

    /// A value Terraform would reject (see [`ValueKind::Error`]).
    pub fn error(reason: impl Into<String>, span: Span) -> Value {
        Value::new(ValueKind::Error(reason.into()), span)
    }

    pub fn is_known(&self) -> bool {
        !matches!(self.kind, ValueKind::Unknown(_) | ValueKind::Error(_))
    }

    pub fn is_error(&self) -> bool {
        matches!(self.kind, ValueKind::Error(_))
    }

    /// True when this value and everything inside it is known.
    pub fn is_wholly_known(&self) -> bool {
        match &self.kind {
            ValueKind::Unknown(_) | ValueKind::Error(_) => false,
            ValueKind::List(items) => items.iter().all(Value::is_wholly_known),
            ValueKind::Object(fields) => fields.iter().all(|(_, v)| v.is_wholly_known()),
            _ => true,
        }
    }

    pub fn unknown_reason(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Unknown(reason) | ValueKind::Error(reason) => Some(reason),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match &self.kind {
            ValueKind::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            ValueKind::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.kind {
            ValueKind::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Known and empty: `""`, `[]`, `{}` or `null`. Unknown values are never empty.
    pub fn is_known_empty(&self) -> bool {
        match &self.kind {
            ValueKind::Null => true,
            ValueKind::String(s) => s.is_empty(),
            ValueKind::List(items) => items.is_empty(),
            ValueKind::Object(fields) => fields.is_empty(),
            _ => false,
        }
    }

    /// Adds a provenance step in front of the existing ones.
    pub fn via(mut self, origin: Origin) -> Value {
        self.origins.insert(0, origin);
        self
    }

    /// True when a variable decided this value, so the deployed value may differ.
    pub fn depends_on_variable(&self) -> bool {
        self.origins.iter().any(|o| o.kind == OriginKind::Variable)
    }

    /// The value as Terraform would print it inside a template, for primitives.
    pub fn to_template_string(&self) -> Option<String> {
        match &self.kind {
            ValueKind::String(s) => Some(s.clone()),
            ValueKind::Number(n) => Some(format_number(*n)),
            ValueKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// JSON as Terraform's `jsonencode` writes it; `None` if anything inside is unknown.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match &self.kind {
            ValueKind::Null => serde_json::Value::Null,
            ValueKind::Bool(b) => serde_json::Value::Bool(*b),
            ValueKind::Number(n) => number_to_json(*n),
            ValueKind::String(s) => serde_json::Value::String(s.clone()),
            ValueKind::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect::<Option<_>>()?)
            }
            ValueKind::Object(fields) => {
                let mut map = serde_json::Map::new();
                for (k, v) in fields {
                    map.insert(k.clone(), v.to_json()?);
                }
                serde_json::Value::Object(map)
            }
            ValueKind::Unknown(_) | ValueKind::Error(_) => return None,
        })
    }

    /// A value from parsed JSON; every part gets `span` (JSON text has no finer spans here).
    pub fn from_json(json: &serde_json::Value, span: Span) -> Value {
        let kind = match json {
            serde_json::Value::Null => ValueKind::Null,
            serde_json::Value::Bool(b) => ValueKind::Bool(*b),
            serde_json::Value::Number(n) => match n.as_f64() {
                Some(f) => ValueKind::Number(f),
                None => ValueKind::Unknown("number out of range".into()),
            },
            serde_json::Value::String(s) => ValueKind::String(s.clone()),
            serde_json::Value::Array(items) => {
                ValueKind::List(items.iter().map(|i| Value::from_json(i, span)).collect())
            }
            serde_json::Value::Object(map) => ValueKind::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v, span)))
                    .collect(),
            ),
        };
        Value::new(kind, span)
    }
}

/// Whole numbers print without a fractional part, as Terraform shows them.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

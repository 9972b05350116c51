//! The plan-time checks a consul-ecs module makes, in the small vocabulary of the schema data
//! (`[[schema.checks]]` in `rules/modules/*.toml`). Evaluating them is `validation`'s job.

use serde::Deserialize;

/// How the module enforces a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Mechanism {
    /// A `validation` block on the variable.
    #[serde(rename = "validation")]
    Validation,
    /// The `file("ERROR: ...")` trick in `validation.tf`.
    #[serde(rename = "validation.tf")]
    ValidationFile,
    /// A `lifecycle { precondition { ... } }`.
    #[serde(rename = "precondition")]
    Precondition,
}

/// One of the module's plan-time checks. `message` is the module's own error text.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// `input` must be non-zero unless the bool input `unless` is true.
    RequiresNonzeroUnless {
        input: String,
        unless: String,
        message: String,
        mechanism: Mechanism,
    },
    /// `input` must be set (non-empty) when the bool input `if` is true.
    RequiresSetIf {
        input: String,
        #[serde(rename = "if")]
        when: String,
        message: String,
        mechanism: Mechanism,
    },
    /// The bool `input` must be true when the bool input `if` is true.
    RequiresTrueIf {
        input: String,
        #[serde(rename = "if")]
        when: String,
        message: String,
        mechanism: Mechanism,
    },
    /// `input` must be empty when the bool input `if` equals `if_value`.
    ForbiddenIf {
        input: String,
        #[serde(rename = "if")]
        when: String,
        if_value: bool,
        message: String,
        mechanism: Mechanism,
    },
    /// At most one of `inputs` may be set (non-empty, or true).
    MutuallyExclusive {
        inputs: Vec<String>,
        message: String,
        mechanism: Mechanism,
    },
    /// A number within `min..=max`.
    Range {
        input: String,
        min: i64,
        max: i64,
        message: String,
        mechanism: Mechanism,
    },
    /// A number not among `values`.
    NotIn {
        input: String,
        values: Vec<i64>,
        message: String,
        mechanism: Mechanism,
    },
    /// A string among `values`.
    OneOf {
        input: String,
        values: Vec<String>,
        message: String,
        mechanism: Mechanism,
    },
    /// A string matching `pattern` (or empty, when `allow_empty`).
    Regex {
        input: String,
        pattern: String,
        allow_empty: bool,
        message: String,
        mechanism: Mechanism,
    },
    /// A string beginning with `prefix` and ending with `suffix` (either may be empty).
    StartsAndEndsWith {
        input: String,
        prefix: String,
        suffix: String,
        message: String,
        mechanism: Mechanism,
    },
    /// The object at `path` inside `input` has only `keys`. `path` is dotted; `""` is the
    /// value itself and `*` stands for every element of a list.
    KeysAllowed {
        input: String,
        path: String,
        keys: Vec<String>,
        message: String,
        mechanism: Mechanism,
    },
    /// The object at `path` inside `input` has every one of `keys`.
    KeysRequired {
        input: String,
        path: String,
        keys: Vec<String>,
        message: String,
        mechanism: Mechanism,
    },
    /// Transparent proxy on requires `requires_compatibilities` to be exactly `["EC2"]`.
    TproxyRequiresEc2Only {
        input: String,
        message: String,
        mechanism: Mechanism,
    },
    /// Anything else: the module's condition as text, not evaluated by meshlint.
    Other {
        condition: String,
        message: String,
        mechanism: Mechanism,
    },
}

impl Check {
    pub fn message(&self) -> &str {
        match self {
            Check::RequiresNonzeroUnless { message, .. }
            | Check::RequiresSetIf { message, .. }
            | Check::RequiresTrueIf { message, .. }
            | Check::ForbiddenIf { message, .. }
            | Check::MutuallyExclusive { message, .. }
            | Check::Range { message, .. }
            | Check::NotIn { message, .. }
            | Check::OneOf { message, .. }
            | Check::Regex { message, .. }
            | Check::StartsAndEndsWith { message, .. }
            | Check::KeysAllowed { message, .. }
            | Check::KeysRequired { message, .. }
            | Check::TproxyRequiresEc2Only { message, .. }
            | Check::Other { message, .. } => message,
        }
    }
}

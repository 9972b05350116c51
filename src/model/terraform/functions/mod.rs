//! Terraform's pure functions over meshlint's values, giving what Terraform 1.11 gives.
//!
//! A call yields a value only when it is the value Terraform computes. An unknown argument,
//! a call Terraform rejects, and anything these files do not reproduce exactly yield unknown
//! with a reason: unknown is never a finding, a wrong value can be one.
//!
//! meshlint's values carry no Terraform type: a `List` may be a list, a set or a tuple, an
//! `Object` a map or an object, and a `null` may be a typed null. Where Terraform's answer
//! depends on that difference, [`types`] works it out under each reading and gives unknown
//! when they disagree.
//!
//! By family: [`strings`], [`format`], [`regex`], [`collections`], [`numbers`],
//! [`conversion`], [`encoding`] (JSON and base64), [`yaml`], [`network`]. What they share:
//! [`types`] (conversion and unification), [`number`] (which `f64`s are exact),
//! [`decimal`] (rounding to digits), [`text`] (characters and case), [`json`], [`re2`]
//! (Go's pattern syntax).

mod collections;
mod conversion;
mod decimal;
mod encoding;
mod format;
mod json;
mod network;
mod number;
mod numbers;
mod re2;
mod regex;
mod strings;
mod text;
mod types;
mod yaml;

#[cfg(test)]
mod tests;

use crate::model::terraform::value::{Value, ValueKind};
use crate::source::Span;

/// Evaluates the call `name(args…)` written at `span`.
pub fn call(name: &str, args: Vec<Value>, span: Span) -> Value {
    let Some(function) = lookup(name) else {
        return Value::unknown(format!("function `{name}` is not evaluated"), span);
    };
    // An unknown argument makes the result unknown, with the argument's reason; a few
    // functions that never look inside their arguments' elements accept partly known ones.
    let first_unknown = if function.partial {
        args.iter().find_map(Value::unknown_reason)
    } else {
        args.iter().find_map(deep_unknown_reason)
    };
    if let Some(reason) = first_unknown {
        return Value::unknown(reason.to_string(), span);
    }
    if !function.arity.accepts(args.len()) {
        return Value::unknown(format!("`{name}` does not take {} argument(s)", args.len()), span);
    }
    let cx = Cx { span };
    match (function.run)(&args, &cx) {
        Ok(value) => with_origins_of(&args, value),
        Err(Fail::Rejected(why)) => {
            Value::unknown(format!("Terraform rejects this `{name}` call: {why}"), span)
        }
        Err(Fail::NotEvaluated(why)) => {
            Value::unknown(format!("`{name}` is not evaluated here: {why}"), span)
        }
    }
}

/// Why a call gives no value. Both become unknown; the difference is in the reason.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Fail {
    /// Terraform itself reports an error for these arguments.
    Rejected(String),
    /// Terraform computes a value that meshlint does not reproduce exactly.
    NotEvaluated(String),
}

pub(super) type Result<T> = std::result::Result<T, Fail>;

pub(super) fn rejected<T>(why: impl Into<String>) -> Result<T> {
    Err(Fail::Rejected(why.into()))
}

pub(super) fn not_evaluated<T>(why: impl Into<String>) -> Result<T> {
    Err(Fail::NotEvaluated(why.into()))
}

/// What a function needs besides its arguments: where the call is, for the values it makes.
pub(super) struct Cx {
    pub span: Span,
}

impl Cx {
    pub fn value(&self, kind: ValueKind) -> Value {
        Value::new(kind, self.span)
    }

    pub fn string(&self, s: impl Into<String>) -> Value {
        self.value(ValueKind::String(s.into()))
    }

    pub fn number(&self, n: f64) -> Value {
        self.value(ValueKind::Number(n))
    }

    pub fn bool(&self, b: bool) -> Value {
        self.value(ValueKind::Bool(b))
    }

    pub fn list(&self, items: Vec<Value>) -> Value {
        self.value(ValueKind::List(items))
    }
}

#[derive(Clone, Copy)]
enum Arity {
    Exactly(usize),
    Between(usize, usize),
    AtLeast(usize),
}

impl Arity {
    fn accepts(self, n: usize) -> bool {
        match self {
            Arity::Exactly(k) => n == k,
            Arity::Between(lo, hi) => (lo..=hi).contains(&n),
            Arity::AtLeast(lo) => n >= lo,
        }
    }
}

type Run = fn(&[Value], &Cx) -> Result<Value>;

struct Function {
    arity: Arity,
    /// Accepts arguments with unknown elements (never an unknown argument as a whole).
    partial: bool,
    run: Run,
}

const fn f(arity: Arity, run: Run) -> Function {
    Function {
        arity,
        partial: false,
        run,
    }
}

const fn partial(arity: Arity, run: Run) -> Function {
    Function {
        arity,
        partial: true,
        run,
    }
}

fn lookup(name: &str) -> Option<Function> {
    use Arity::*;
    Some(match name {
        // strings
        "lower" => f(Exactly(1), strings::lower),
        "upper" => f(Exactly(1), strings::upper),
        "title" => f(Exactly(1), strings::title),
        "trim" => f(Exactly(2), strings::trim),
        "trimspace" => f(Exactly(1), strings::trimspace),
        "trimprefix" => f(Exactly(2), strings::trimprefix),
        "trimsuffix" => f(Exactly(2), strings::trimsuffix),
        "startswith" => f(Exactly(2), strings::startswith),
        "endswith" => f(Exactly(2), strings::endswith),
        "substr" => f(Exactly(3), strings::substr),
        "strrev" => f(Exactly(1), strings::strrev),
        "split" => f(Exactly(2), strings::split),
        "join" => f(AtLeast(1), strings::join),
        "replace" => f(Exactly(3), strings::replace),
        "format" => f(AtLeast(1), format::format),
        "formatlist" => f(AtLeast(1), format::formatlist),
        "regex" => f(Exactly(2), regex::regex),
        "regexall" => f(Exactly(2), regex::regexall),
        // collections
        "concat" => f(AtLeast(1), collections::concat),
        "merge" => partial(AtLeast(0), collections::merge),
        "flatten" => f(Exactly(1), collections::flatten),
        "lookup" => partial(Between(2, 3), collections::lookup),
        "element" => partial(Exactly(2), collections::element),
        "index" => f(Exactly(2), collections::index),
        "contains" => f(Exactly(2), collections::contains),
        "keys" => partial(Exactly(1), collections::keys),
        "values" => partial(Exactly(1), collections::values),
        "length" => partial(Exactly(1), collections::length),
        "distinct" => f(Exactly(1), collections::distinct),
        "compact" => f(Exactly(1), collections::compact),
        "coalesce" => f(AtLeast(1), collections::coalesce),
        "coalescelist" => f(AtLeast(1), collections::coalescelist),
        "zipmap" => f(Exactly(2), collections::zipmap),
        "range" => f(Between(1, 3), numbers::range),
        "one" => partial(Exactly(1), collections::one),
        "alltrue" => f(Exactly(1), collections::alltrue),
        "anytrue" => f(Exactly(1), collections::anytrue),
        "reverse" => partial(Exactly(1), collections::reverse),
        "slice" => partial(Exactly(3), collections::slice),
        "setunion" => f(AtLeast(1), collections::setunion),
        "chunklist" => f(Exactly(2), collections::chunklist),
        "sort" => f(Exactly(1), collections::sort),
        // conversion
        "tolist" => f(Exactly(1), conversion::tolist),
        "toset" => f(Exactly(1), conversion::toset),
        "tomap" => f(Exactly(1), conversion::tomap),
        "tostring" => f(Exactly(1), conversion::tostring),
        "tonumber" => f(Exactly(1), conversion::tonumber),
        "tobool" => f(Exactly(1), conversion::tobool),
        // encoding
        "jsonencode" => f(Exactly(1), encoding::jsonencode),
        "jsondecode" => f(Exactly(1), encoding::jsondecode),
        "yamlencode" => f(Exactly(1), yaml::yamlencode),
        "base64encode" => f(Exactly(1), encoding::base64encode),
        "base64decode" => f(Exactly(1), encoding::base64decode),
        // numbers
        "sum" => f(Exactly(1), numbers::sum),
        "min" => f(AtLeast(0), numbers::min),
        "max" => f(AtLeast(0), numbers::max),
        "abs" => f(Exactly(1), numbers::abs),
        "ceil" => f(Exactly(1), numbers::ceil),
        "floor" => f(Exactly(1), numbers::floor),
        "signum" => f(Exactly(1), numbers::signum),
        "pow" => f(Exactly(2), numbers::pow),
        "parseint" => f(Exactly(2), numbers::parseint),
        // network
        "cidrhost" => f(Exactly(2), network::cidrhost),
        "cidrsubnet" => f(Exactly(3), network::cidrsubnet),
        "cidrnetmask" => f(Exactly(1), network::cidrnetmask),
        "cidrsubnets" => f(AtLeast(1), network::cidrsubnets),
        _ => return None,
    })
}

/// A result depends on its arguments: `lower(var.name)` comes from the variable as much as
/// `var.name` does, so the arguments' provenance goes in front of the result's own.
fn with_origins_of(args: &[Value], mut value: Value) -> Value {
    let mut origins = Vec::new();
    for origin in args.iter().flat_map(|a| &a.origins).chain(&value.origins) {
        if !origins.contains(origin) {
            origins.push(origin.clone());
        }
    }
    value.origins = origins;
    value
}

/// The reason of the first unknown value in `value` or inside it.
fn deep_unknown_reason(value: &Value) -> Option<&str> {
    match &value.kind {
        ValueKind::Unknown(reason) | ValueKind::Error(reason) => Some(reason),
        ValueKind::List(items) => items.iter().find_map(deep_unknown_reason),
        ValueKind::Object(fields) => fields.iter().find_map(|(_, v)| deep_unknown_reason(v)),
        _ => None,
    }
}

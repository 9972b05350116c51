//! Terraform's operators over known values, with Terraform's conversions: arithmetic and
//! ordering convert strings to numbers, `&&`/`||`/`!` convert `"true"`/`"false"` to bools,
//! `==` across types is false. A wrong operand is an error (as Terraform reports it); an
//! unknown operand makes the result unknown.
//!
//! Terraform computes with arbitrary-precision decimals, meshlint with `f64`: a result is
//! claimed only where the two agree (see [`exact_number`]), otherwise it is unknown.

use crate::model::terraform::types;
use crate::model::terraform::value::{Value, ValueKind};
use crate::source::Span;
use crate::syntax::{BinaryOp, UnaryOp};

/// The largest integer `f64` holds exactly; beyond it Terraform's decimals and ours part.
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

pub fn unary(op: UnaryOp, operand: Value, span: Span) -> Value {
    if !operand.is_known() {
        return Value::new(operand.kind, span);
    }
    match op {
        UnaryOp::Neg => match to_number(&operand) {
            Ok(n) => number(-n, span),
            Err(reason) => Value::error(reason, span),
        },
        UnaryOp::Not => match to_bool(&operand) {
            Ok(b) => Value::new(ValueKind::Bool(!b), span),
            Err(reason) => Value::error(reason, span),
        },
    }
}

pub fn binary(op: BinaryOp, lhs: Value, rhs: Value, span: Span) -> Value {
    // An error on either side is the error Terraform reports first; then unknowns.
    for side in [&lhs, &rhs] {
        if side.is_error() {
            return Value::new(side.kind.clone(), span);
        }
    }
    for side in [&lhs, &rhs] {
        if !side.is_known() {
            return Value::new(side.kind.clone(), span);
        }
    }
    match op {
        BinaryOp::Eq | BinaryOp::NotEq => match equal(&lhs, &rhs) {
            Some(same) => Value::new(ValueKind::Bool(same == (op == BinaryOp::Eq)), span),
            None => Value::unknown("comparing collections is not evaluated", span),
        },
        BinaryOp::And | BinaryOp::Or => match (to_bool(&lhs), to_bool(&rhs)) {
            (Ok(a), Ok(b)) => Value::new(
                ValueKind::Bool(if op == BinaryOp::And { a && b } else { a || b }),
                span,
            ),
            (Err(reason), _) | (_, Err(reason)) => Value::error(reason, span),
        },
        _ => {
            let (a, b) = match (to_number(&lhs), to_number(&rhs)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(reason), _) | (_, Err(reason)) => return Value::error(reason, span),
            };
            let compared = |result: bool| Value::new(ValueKind::Bool(result), span);
            match op {
                BinaryOp::Less => compared(a < b),
                BinaryOp::LessEq => compared(a <= b),
                BinaryOp::Greater => compared(a > b),
                BinaryOp::GreaterEq => compared(a >= b),
                BinaryOp::Add => number(a + b, span),
                BinaryOp::Sub => number(a - b, span),
                BinaryOp::Mul => number(a * b, span),
                // Terraform divides by zero to infinity and takes `x % 0` as `x`: no
                // configuration means either, so neither is claimed.
                BinaryOp::Div | BinaryOp::Mod if b == 0.0 => {
                    Value::unknown("division by zero is not evaluated", span)
                }
                BinaryOp::Div => number(a / b, span),
                BinaryOp::Mod => number(a % b, span),
                BinaryOp::Eq | BinaryOp::NotEq | BinaryOp::And | BinaryOp::Or => unreachable!(),
            }
        }
    }
}

/// `==` as Terraform decides it for primitives and null; `None` for collections, whose
/// equality depends on list/tuple and map/object types meshlint does not track.
fn equal(a: &Value, b: &Value) -> Option<bool> {
    Some(match (&a.kind, &b.kind) {
        (ValueKind::Null, ValueKind::Null) => true,
        (ValueKind::Bool(x), ValueKind::Bool(y)) => x == y,
        (ValueKind::Number(x), ValueKind::Number(y)) => x == y,
        (ValueKind::String(x), ValueKind::String(y)) => x == y,
        (ValueKind::List(_) | ValueKind::Object(_), _) | (_, ValueKind::List(_) | ValueKind::Object(_)) => {
            return None
        }
        // Different primitive types, or null against a value: never equal.
        _ => false,
    })
}

/// A number as Terraform converts an operand: numbers, and strings that spell one.
pub fn to_number(value: &Value) -> Result<f64, String> {
    match &value.kind {
        ValueKind::Number(n) => Ok(*n),
        ValueKind::String(s) => types::parse_number(s).ok_or_else(|| format!("\"{s}\" is not a number")),
        ValueKind::Null => Err("a null value cannot be used in arithmetic or comparison".into()),
        ValueKind::Bool(_) => Err("a bool cannot be used as a number".into()),
        _ => Err("a collection cannot be used as a number".into()),
    }
}

/// A bool as Terraform converts an operand: bools, and the strings `"true"` / `"false"`.
pub fn to_bool(value: &Value) -> Result<bool, String> {
    match &value.kind {
        ValueKind::Bool(b) => Ok(*b),
        ValueKind::String(s) if s == "true" => Ok(true),
        ValueKind::String(s) if s == "false" => Ok(false),
        ValueKind::Null => Err("a null value cannot be used as a bool".into()),
        _ => Err("the value is not a bool".into()),
    }
}

fn number(n: f64, span: Span) -> Value {
    match exact_number(n) {
        Some(n) => Value::new(ValueKind::Number(n), span),
        None => Value::unknown(
            "the result needs more precision than meshlint computes with",
            span,
        ),
    }
}

/// `n` when Terraform's exact decimal result is certainly the same number: whole numbers
/// `f64` holds exactly, and fractions whose shortest decimal form is short (a result such as
/// `0.30000000000000004` is `f64` rounding, which Terraform does not have).
pub fn exact_number(n: f64) -> Option<f64> {
    if !n.is_finite() {
        return None;
    }
    if n.fract() == 0.0 {
        // 2^53 itself may be 2^53 + 1 rounded: only what lies below it is certainly exact.
        return (n.abs() < EXACT_INTEGER_LIMIT).then_some(if n == 0.0 { 0.0 } else { n });
    }
    let shortest = format!("{n:e}");
    let digits = shortest
        .split('e')
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    (digits <= 12).then_some(n)
}

//! Numeric functions. Results are given only when exact (see [`super::number`]): Terraform's
//! `sum([0.1, 0.2])` is computed in 512-bit floats, which an `f64` does not reproduce.

use super::conversion::{integer_param, number_param};
use super::number::Dyadic;
use super::{not_evaluated, rejected, Cx, Result};
use crate::model::terraform::value::{Value, ValueKind};

/// Terraform refuses a `range` with more elements than this.
const MAX_RANGE: usize = 1024;

fn inexact<T>() -> Result<T> {
    not_evaluated("the exact result needs more precision than meshlint keeps")
}

fn dyadic(n: f64) -> Result<Dyadic> {
    if n == 0.0 && n.is_sign_negative() {
        return not_evaluated("arithmetic on -0");
    }
    Dyadic::of(n).map_or_else(inexact, Ok)
}

fn to_number(d: Dyadic, cx: &Cx) -> Result<Value> {
    d.to_f64().map_or_else(inexact, |n| Ok(cx.number(n)))
}

pub(super) fn sum(args: &[Value], cx: &Cx) -> Result<Value> {
    let items = match &args[0].kind {
        ValueKind::List(items) => items,
        ValueKind::Null => return rejected("argument must not be null"),
        _ => return rejected("cannot sum noniterable"),
    };
    if items.is_empty() {
        return rejected("cannot sum an empty list");
    }
    let mut total = Dyadic { num: 0, shift: 0 };
    for item in items {
        if !matches!(item.kind, ValueKind::Number(_) | ValueKind::String(_)) {
            return rejected("argument must be list, set, or tuple of number values");
        }
        let n = dyadic(number_param(item)?)?;
        total = total.add(n).map_or_else(inexact, Ok)?;
    }
    to_number(total, cx)
}

fn numbers(args: &[Value]) -> Result<Vec<f64>> {
    if args.is_empty() {
        return rejected("must pass at least one number");
    }
    args.iter().map(number_param).collect()
}

/// The first of the smallest (`min(-0, 0)` is `-0`, `min(0, -0)` is `0`, as in Terraform).
pub(super) fn min(args: &[Value], cx: &Cx) -> Result<Value> {
    let ns = numbers(args)?;
    let best = ns
        .iter()
        .copied()
        .fold(ns[0], |best, n| if n < best { n } else { best });
    Ok(cx.number(best))
}

pub(super) fn max(args: &[Value], cx: &Cx) -> Result<Value> {
    let ns = numbers(args)?;
    let best = ns
        .iter()
        .copied()
        .fold(ns[0], |best, n| if n > best { n } else { best });
    Ok(cx.number(best))
}

/// Terraform's whole-number results are never negative zero.
fn positive_zero(n: f64) -> f64 {
    if n == 0.0 {
        0.0
    } else {
        n
    }
}

pub(super) fn abs(args: &[Value], cx: &Cx) -> Result<Value> {
    Ok(cx.number(number_param(&args[0])?.abs()))
}

pub(super) fn ceil(args: &[Value], cx: &Cx) -> Result<Value> {
    Ok(cx.number(positive_zero(number_param(&args[0])?.ceil())))
}

pub(super) fn floor(args: &[Value], cx: &Cx) -> Result<Value> {
    Ok(cx.number(positive_zero(number_param(&args[0])?.floor())))
}

/// `signum` takes whole numbers only.
pub(super) fn signum(args: &[Value], cx: &Cx) -> Result<Value> {
    let n = integer_param(&args[0])? as f64;
    Ok(cx.number(if n > 0.0 {
        1.0
    } else if n < 0.0 {
        -1.0
    } else {
        0.0
    }))
}

/// `pow(x, y)` for whole `y` when the power is exact; Terraform uses Go's `math.Pow`, which
/// is exact there too. Other powers are left unknown rather than risk a last-digit difference.
pub(super) fn pow(args: &[Value], cx: &Cx) -> Result<Value> {
    let x = number_param(&args[0])?;
    let y = number_param(&args[1])?;
    if y.fract() != 0.0 || y.abs() > 1100.0 {
        return not_evaluated("a power with a fractional or large exponent");
    }
    let base = dyadic(x)?;
    let mut result = Dyadic { num: 1, shift: 0 };
    let mut square = base;
    let mut e = y.abs() as u32;
    while e > 0 {
        if e & 1 == 1 {
            result = result.mul(square).map_or_else(inexact, Ok)?;
        }
        e >>= 1;
        if e > 0 {
            square = square.mul(square).map_or_else(inexact, Ok)?;
        }
    }
    if y < 0.0 {
        // 1 / (num / 2^shift) is exact only when num is ± a power of two.
        if result.num == 0 {
            return not_evaluated("a division by zero (Terraform gives infinity)");
        }
        let magnitude = result.num.unsigned_abs();
        if !magnitude.is_power_of_two() {
            return inexact();
        }
        let sign = result.num.signum();
        let j = magnitude.trailing_zeros();
        result = if result.shift >= j {
            let up = result.shift - j;
            if up > 100 {
                return inexact();
            }
            Dyadic {
                num: sign * (1i128 << up),
                shift: 0,
            }
        } else {
            Dyadic {
                num: sign,
                shift: j - result.shift,
            }
        };
    }
    to_number(result, cx)
}

/// `parseint(string, base)`: base 2 to 62; beyond 36, lower-case letters come before upper.
pub(super) fn parseint(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = match &args[0].kind {
        ValueKind::String(s) => s.as_str(),
        ValueKind::Null => return rejected("argument must not be null"),
        _ => return rejected("first argument must be a string"),
    };
    let base = integer_param(&args[1]).map_err(|_| {
        super::Fail::Rejected("base must be a whole number between 2 and 62 inclusive".into())
    })?;
    if !(2..=62).contains(&base) {
        return rejected("base must be a whole number between 2 and 62 inclusive");
    }
    let cannot = || rejected(format!("cannot parse {s:?} as a base {base} integer"));
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return cannot();
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => return cannot(),
        };
        if d >= base {
            return cannot();
        }
        value = match value
            .checked_mul(base as i128)
            .and_then(|v| v.checked_add(d as i128))
        {
            Some(v) if v < 1 << 53 => v,
            _ => return inexact(),
        };
    }
    let n = if negative { -value } else { value };
    Ok(cx.number(n as f64))
}

/// `range([start,] limit[, step])`: from start towards limit, not reaching it.
pub(super) fn range(args: &[Value], cx: &Cx) -> Result<Value> {
    let ns = args.iter().map(number_param).collect::<Result<Vec<f64>>>()?;
    let (start, limit) = match ns.as_slice() {
        [limit] => (0.0, *limit),
        [start, limit, ..] => (*start, *limit),
        [] => return rejected("missing limit"),
    };
    let step = ns
        .get(2)
        .copied()
        .unwrap_or(if start <= limit { 1.0 } else { -1.0 });
    let (start, limit, step) = (dyadic(start)?, dyadic(limit)?, dyadic(step)?);
    let Some(direction) = step.cmp(Dyadic { num: 0, shift: 0 }) else {
        return inexact();
    };
    match (direction, start.cmp(limit)) {
        (std::cmp::Ordering::Greater, Some(std::cmp::Ordering::Greater)) => {
            return rejected("end must be greater than start when step is positive")
        }
        (std::cmp::Ordering::Less, Some(std::cmp::Ordering::Less)) => {
            return rejected("end must be less than start when step is negative")
        }
        _ => {}
    }
    let mut out = Vec::new();
    let mut v = start;
    loop {
        let ahead = match v.cmp(limit) {
            Some(order) => order,
            None => return inexact(),
        };
        let more = match direction {
            std::cmp::Ordering::Greater => ahead.is_lt(),
            std::cmp::Ordering::Less => ahead.is_gt(),
            std::cmp::Ordering::Equal if ahead.is_lt() => {
                return rejected("more than 1024 values were generated")
            }
            std::cmp::Ordering::Equal => return not_evaluated("a range with step 0"),
        };
        if !more {
            break;
        }
        if out.len() == MAX_RANGE {
            return rejected("more than 1024 values were generated");
        }
        out.push(to_number(v, cx)?);
        v = v.add(step).map_or_else(inexact, Ok)?;
    }
    Ok(cx.list(out))
}

//! `format` and `formatlist`: Terraform's printf, for the verbs and flags meshlint reproduces
//! exactly (`%s %v %#v %q %t %d %x %X %o %b %f %e %E %%` with widths, precisions and the
//! `- + 0 space #` flags); any other spelling gives unknown.

use super::conversion::{number_param, string_param};
use super::decimal::{fixed, scientific};
use super::number::Decimal;
use super::text::clusters;
use super::types::{convert, Ty};
use super::{json, not_evaluated, rejected, Cx, Result};
use crate::model::terraform::value::{Value, ValueKind};

/// Precisions beyond this are not evaluated (Terraform's own floats hold about 150 digits).
const MAX_PRECISION: usize = 100;
/// Widths beyond this are not evaluated, so a call cannot ask for a huge string.
const MAX_WIDTH: usize = 10_000;

pub(super) fn format(args: &[Value], cx: &Cx) -> Result<Value> {
    let spec = string_param(&args[0])?;
    let rest: Vec<&Value> = args[1..].iter().collect();
    Ok(cx.string(render(&spec, &rest)?))
}

/// `formatlist(spec, args…)`: `format` once per element of the list arguments (all of one
/// length), other arguments repeated.
pub(super) fn formatlist(args: &[Value], cx: &Cx) -> Result<Value> {
    let spec = string_param(&args[0])?;
    let mut length: Option<usize> = None;
    for arg in &args[1..] {
        if let ValueKind::List(items) = &arg.kind {
            match length {
                Some(n) if n != items.len() => {
                    return rejected("list arguments have inconsistent lengths");
                }
                _ => length = Some(items.len()),
            }
        }
    }
    let out = (0..length.unwrap_or(1))
        .map(|i| {
            let row: Vec<&Value> = args[1..]
                .iter()
                .map(|a| match &a.kind {
                    ValueKind::List(items) => &items[i],
                    _ => a,
                })
                .collect();
            render(&spec, &row).map(|s| cx.string(s))
        })
        .collect::<Result<Vec<Value>>>()?;
    Ok(cx.list(out))
}

#[derive(Default)]
struct Flags {
    minus: bool,
    plus: bool,
    sharp: bool,
    zero: bool,
    space: bool,
}

impl Flags {
    fn any(&self) -> bool {
        self.minus || self.plus || self.sharp || self.zero || self.space
    }
}

struct Verb {
    flags: Flags,
    width: Option<usize>,
    precision: Option<usize>,
    verb: char,
}

fn render(spec: &str, args: &[&Value]) -> Result<String> {
    let chars: Vec<char> = spec.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut next_arg = 0;
    let mut used = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = Flags::default();
        while let Some(&f) = chars.get(i) {
            match f {
                '-' => flags.minus = true,
                '+' => flags.plus = true,
                '#' => flags.sharp = true,
                '0' => flags.zero = true,
                ' ' => flags.space = true,
                _ => break,
            }
            i += 1;
        }
        if chars.get(i) == Some(&'[') {
            let close = chars[i..].iter().position(|&c| c == ']').map(|p| i + p);
            let digits: String = close.map_or(String::new(), |e| chars[i + 1..e].iter().collect());
            let Some(index) = digits.parse::<usize>().ok().filter(|&n| n >= 1) else {
                return not_evaluated("an argument index meshlint does not read");
            };
            if flags.any() {
                return not_evaluated("flags with an argument index");
            }
            next_arg = index - 1;
            i = close.unwrap_or(i) + 1;
        }
        let width = digits(&chars, &mut i);
        let precision = if chars.get(i) == Some(&'.') {
            i += 1;
            Some(digits(&chars, &mut i).unwrap_or(0))
        } else {
            None
        };
        if width.is_some_and(|w| w > MAX_WIDTH) || precision.is_some_and(|p| p > MAX_PRECISION) {
            return not_evaluated("a very large width or precision");
        }
        let Some(&verb) = chars.get(i) else {
            return rejected(format!("invalid format string starting at offset {i}"));
        };
        i += 1;
        if !verb.is_ascii_alphabetic() {
            return if verb == '[' {
                not_evaluated("an argument index after a width")
            } else {
                rejected(format!("unrecognized format character {verb:?}"))
            };
        }
        let Some(arg) = args.get(next_arg) else {
            return rejected(format!(
                "not enough arguments for \"%{verb}\": need index {} but have {} total",
                next_arg + 1,
                args.len()
            ));
        };
        next_arg += 1;
        used = used.max(next_arg);
        let verb = Verb {
            flags,
            width,
            precision,
            verb,
        };
        out.push_str(&one(&verb, arg)?);
    }
    if args.len() > used {
        return rejected(format!("too many arguments; only {used} used by format string"));
    }
    Ok(out)
}

fn digits(chars: &[char], i: &mut usize) -> Option<usize> {
    let start = *i;
    while chars.get(*i).is_some_and(char::is_ascii_digit) {
        *i += 1;
    }
    (start != *i).then(|| {
        chars[start..*i]
            .iter()
            .collect::<String>()
            .parse()
            .unwrap_or(usize::MAX)
    })
}

fn one(v: &Verb, arg: &Value) -> Result<String> {
    if matches!(arg.kind, ValueKind::Null) {
        // Terraform's result is unknown (not an error) for a null argument.
        return not_evaluated("Terraform leaves the result unknown for a null argument");
    }
    let plain = || !v.flags.any() && v.width.is_none() && v.precision.is_none();
    match v.verb {
        's' => {
            let s = primitive_text(arg)?;
            let s = match v.precision {
                Some(p) => clusters(&s)?.into_iter().take(p).collect(),
                None => s,
            };
            pad(s, v, v.flags.zero)
        }
        'v' if v.flags.sharp => {
            if v.width.is_some() || v.precision.is_some() || v.flags.zero || v.flags.plus || v.flags.space {
                return not_evaluated("flags with %#v");
            }
            let mut out = String::new();
            json::encode(arg, &mut out)?;
            Ok(out)
        }
        'v' => {
            if v.precision.is_some() || v.flags.zero || v.flags.plus || v.flags.space {
                return not_evaluated("flags or a precision with %v");
            }
            let s = match arg.kind {
                ValueKind::List(_) | ValueKind::Object(_) => {
                    let mut out = String::new();
                    json::encode(arg, &mut out)?;
                    out
                }
                _ => primitive_text(arg)?,
            };
            pad(s, v, false)
        }
        'q' => {
            let s = primitive_text(arg)?;
            if !plain() {
                return not_evaluated("flags with %q");
            }
            let mut out = String::new();
            json::quote(&s, &mut out);
            Ok(out)
        }
        't' => {
            let b = match convert(arg, &Ty::Bool) {
                Ok(Value {
                    kind: ValueKind::Bool(b),
                    ..
                }) => b,
                _ => return rejected("bool required"),
            };
            if !plain() {
                return not_evaluated("flags with %t");
            }
            Ok(b.to_string())
        }
        'd' | 'x' | 'X' | 'o' | 'b' => integer(v, arg),
        'f' | 'e' | 'E' => float(v, arg),
        'g' | 'G' | 'F' => not_evaluated(format!("the verb %{}", v.verb)),
        other => rejected(format!("unsupported format verb {other:?}")),
    }
}

/// A string, number or bool as `%s` prints it.
fn primitive_text(arg: &Value) -> Result<String> {
    match arg.kind {
        ValueKind::List(_) | ValueKind::Object(_) => rejected("string required"),
        _ => string_param(arg),
    }
}

/// Pads to the width in grapheme clusters: spaces on the left, or on the right with `-`,
/// or zeros on the left when `zeros`.
fn pad(s: String, v: &Verb, zeros: bool) -> Result<String> {
    let Some(width) = v.width else {
        return Ok(s);
    };
    let len = clusters(&s)?.len();
    if len >= width {
        return Ok(s);
    }
    let fill = width - len;
    Ok(if v.flags.minus {
        s + &" ".repeat(fill)
    } else if zeros {
        "0".repeat(fill) + &s
    } else {
        " ".repeat(fill) + &s
    })
}

fn number_arg(arg: &Value) -> Result<f64> {
    match arg.kind {
        ValueKind::Number(_) | ValueKind::String(_) => {}
        _ => return rejected("number required"),
    }
    let n = number_param(arg).map_err(|e| match e {
        super::Fail::Rejected(_) => super::Fail::Rejected("a number is required".into()),
        other => other,
    })?;
    if n == 0.0 && n.is_sign_negative() {
        return not_evaluated("-0");
    }
    Ok(n)
}

/// Sign, then the digits, padded as Go pads numbers: zeros go between sign and digits.
fn signed(negative: bool, body: String, v: &Verb, zero_pad: bool) -> Result<String> {
    let sign = if negative {
        "-"
    } else if v.flags.plus {
        "+"
    } else if v.flags.space {
        " "
    } else {
        ""
    };
    let width = v.width.unwrap_or(0);
    let len = sign.len() + body.len();
    if len >= width {
        return Ok(format!("{sign}{body}"));
    }
    let fill = width - len;
    Ok(if v.flags.minus {
        format!("{sign}{body}{}", " ".repeat(fill))
    } else if zero_pad {
        format!("{sign}{}{body}", "0".repeat(fill))
    } else {
        format!("{}{sign}{body}", " ".repeat(fill))
    })
}

fn integer(v: &Verb, arg: &Value) -> Result<String> {
    let n = number_arg(arg)?;
    if n.fract() != 0.0 {
        return rejected("an integer is required");
    }
    let magnitude = n.abs() as u64;
    let mut body = match v.verb {
        'd' => magnitude.to_string(),
        'x' => format!("{magnitude:x}"),
        'X' => format!("{magnitude:X}"),
        'o' => format!("{magnitude:o}"),
        _ => format!("{magnitude:b}"),
    };
    if let Some(p) = v.precision {
        if body.len() < p {
            body = "0".repeat(p - body.len()) + &body;
        }
    }
    if v.flags.sharp {
        if v.verb == 'd' || v.verb == 'b' || v.width.is_some() || v.flags.zero || v.precision.is_some() {
            return not_evaluated("# with this verb or with a width");
        }
        body = match v.verb {
            'x' => format!("0x{body}"),
            'X' => format!("0X{body}"),
            _ => format!("0{body}"),
        };
    }
    // A precision turns zero padding off, as in Go.
    signed(n < 0.0, body, v, v.flags.zero && v.precision.is_none())
}

fn float(v: &Verb, arg: &Value) -> Result<String> {
    let n = number_arg(arg)?;
    if v.flags.sharp {
        return not_evaluated("# with a float verb");
    }
    let places = v.precision.unwrap_or(6);
    let decimal = Decimal::of(n);
    let body = if v.verb == 'f' {
        fixed(&decimal, places, n)?
    } else {
        scientific(&decimal, places, n, v.verb == 'E')?
    };
    signed(n < 0.0, body, v, v.flags.zero)
}

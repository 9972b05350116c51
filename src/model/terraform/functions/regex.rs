//! `regex`, `regexall` and `replace` with a `/pattern/`: Go's RE2 patterns (read by
//! [`super::re2`]) matched with the `regex` crate, whose leftmost-first matching and handling
//! of empty matches are Go's.

use super::conversion::string_param;
use super::re2::translate;
use super::{not_evaluated, rejected, Cx, Result};
use crate::model::terraform::value::{Value, ValueKind};
use regex::{Captures, Regex};

pub(super) fn regex(args: &[Value], cx: &Cx) -> Result<Value> {
    let pattern = string_param(&args[0])?;
    let s = string_param(&args[1])?;
    let (re, shape) = compile(&pattern)?;
    match re.captures(&s) {
        Some(captures) => Ok(shape.value(&re, &captures, cx)),
        None => rejected("pattern did not match any part of the given string"),
    }
}

pub(super) fn regexall(args: &[Value], cx: &Cx) -> Result<Value> {
    let pattern = string_param(&args[0])?;
    let s = string_param(&args[1])?;
    let (re, shape) = compile(&pattern)?;
    let matches = re.captures_iter(&s).map(|c| shape.value(&re, &c, cx)).collect();
    Ok(cx.list(matches))
}

/// Every match of `pattern` in `s` replaced by `template`, with Go's `$1` / `${name}` expansion.
/// The crate skips an empty match right after a match, as Go does.
pub(super) fn replace_all(s: &str, pattern: &str, template: &str) -> Result<String> {
    let re = Regex::new(&translate(pattern)?).or_else(|e| invalid(&e))?;
    let pieces = parse_template(template)?;
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for captures in re.captures_iter(s) {
        let whole = captures.get(0).map_or(0..0, |m| m.range());
        out.push_str(&s[last..whole.start]);
        for piece in &pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Group(i) => out.push_str(captures.get(*i).map_or("", |m| m.as_str())),
                Piece::Name(n) => out.push_str(captures.name(n).map_or("", |m| m.as_str())),
            }
        }
        last = whole.end;
    }
    out.push_str(&s[last..]);
    Ok(out)
}

fn invalid<T>(error: &regex::Error) -> Result<T> {
    match error {
        // Patterns Go accepts may still exceed the crate's size limits.
        regex::Error::CompiledTooBig(_) => not_evaluated("the pattern is too large for meshlint"),
        // Mostly patterns Go refuses too, but the two parsers may differ on some.
        _ => not_evaluated(format!("the pattern does not compile: {error}")),
    }
}

/// What one match becomes: the matched text, a list of groups, or an object of named groups.
enum Shape {
    Whole,
    Groups,
    Named,
}

fn compile(pattern: &str) -> Result<(Regex, Shape)> {
    let re = Regex::new(&translate(pattern)?).or_else(|e| invalid(&e))?;
    let groups = re.captures_len() - 1;
    let named = re.capture_names().flatten().count();
    let shape = match (groups, named) {
        (0, _) => Shape::Whole,
        (g, 0) if g > 0 => Shape::Groups,
        (g, n) if g == n => Shape::Named,
        _ => return rejected("cannot mix both named and unnamed capture groups"),
    };
    Ok((re, shape))
}

impl Shape {
    fn value(&self, re: &Regex, captures: &Captures, cx: &Cx) -> Value {
        let group = |i: usize| match captures.get(i) {
            Some(m) => cx.string(m.as_str()),
            None => cx.value(ValueKind::Null),
        };
        match self {
            Shape::Whole => group(0),
            Shape::Groups => cx.list((1..captures.len()).map(group).collect()),
            Shape::Named => {
                let mut fields: Vec<(String, Value)> = re
                    .capture_names()
                    .enumerate()
                    .filter_map(|(i, name)| name.map(|n| (n.to_string(), group(i))))
                    .collect();
                fields.sort_by(|a, b| a.0.cmp(&b.0));
                cx.value(ValueKind::Object(fields))
            }
        }
    }
}

enum Piece {
    Text(String),
    Group(usize),
    Name(String),
}

pub(super) fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Go's replacement template: `$$` is `$`, `$name` takes the longest run of word characters,
/// `${name}` is braced; a `$` that starts neither stays as written.
fn parse_template(template: &str) -> Result<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        text.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            text.push('$');
            rest = after;
            continue;
        }
        let (name, after) = if let Some(inner) = rest.strip_prefix('{') {
            match inner.find('}') {
                Some(end) if !inner[..end].is_empty() && inner[..end].chars().all(is_word) => {
                    (&inner[..end], &inner[end + 1..])
                }
                _ => ("", rest),
            }
        } else {
            let end = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        };
        if name.is_empty() {
            text.push('$');
            continue;
        }
        pieces.push(Piece::Text(std::mem::take(&mut text)));
        if name.bytes().all(|b| b.is_ascii_digit()) {
            if name.len() > 8 || (name.len() > 1 && name.starts_with('0')) {
                return not_evaluated("a group number with leading zeros or many digits");
            }
            pieces.push(Piece::Group(name.parse().unwrap_or(usize::MAX)));
        } else {
            pieces.push(Piece::Name(name.to_string()));
        }
        rest = after;
    }
    text.push_str(rest);
    pieces.push(Piece::Text(text));
    Ok(pieces)
}

//! `yamlencode`, as Terraform's YAML emitter lays it out: block style, keys sorted and
//! double-quoted, every string double-quoted except multi-line ones (literal blocks),
//! sequences inside mappings not indented, a lone non-string scalar ended by `...`.
//!
//! Left unknown: strings the emitter would fold at its 80-column width, keys it would write
//! in the long `? key` form, and characters whose escaping meshlint is not sure of.

use super::{json, not_evaluated, number, Cx, Result};
use crate::model::terraform::value::{Value, ValueKind};

/// The emitter folds double-quoted strings at spaces past this column; stay clear of it.
const SAFE_WIDTH: usize = 76;
/// Longer keys are written in the `? key` form.
const MAX_SIMPLE_KEY: usize = 100;
/// Nesting deeper than this is not evaluated.
const MAX_DEPTH: usize = 64;

pub(super) fn yamlencode(args: &[Value], cx: &Cx) -> Result<Value> {
    let value = &args[0];
    let mut out = String::new();
    match &value.kind {
        ValueKind::List(items) if !items.is_empty() => sequence(items, 0, 0, &mut out)?,
        ValueKind::Object(fields) if !fields.is_empty() => mapping(value, 0, 0, &mut out)?,
        ValueKind::String(s) => {
            out.push_str(&string(s, 0, 0)?);
            out.push('\n');
        }
        _ => {
            out.push_str(&scalar(value, 0, 0)?);
            out.push('\n');
            if !matches!(value.kind, ValueKind::List(_) | ValueKind::Object(_)) {
                out.push_str("...\n");
            }
        }
    }
    Ok(cx.string(out))
}

fn too_deep<T>() -> Result<T> {
    not_evaluated("values nested too deeply")
}

/// A mapping whose keys start at column `indent`.
fn mapping(value: &Value, indent: usize, depth: usize, out: &mut String) -> Result<()> {
    if depth > MAX_DEPTH {
        return too_deep();
    }
    for (key, item) in json::sorted_fields(value) {
        if key.contains('\n') || key.chars().count() > MAX_SIMPLE_KEY {
            return not_evaluated("a long or multi-line key");
        }
        let quoted = double_quoted(key, indent)?;
        out.push_str(&" ".repeat(indent));
        out.push_str(&quoted);
        out.push(':');
        match &item.kind {
            ValueKind::Object(fields) if !fields.is_empty() => {
                out.push('\n');
                mapping(item, indent + 2, depth + 1, out)?;
            }
            ValueKind::List(items) if !items.is_empty() => {
                out.push('\n');
                sequence(items, indent, depth + 1, out)?;
            }
            _ => {
                out.push(' ');
                out.push_str(&scalar(item, indent, indent + quoted.chars().count() + 2)?);
                out.push('\n');
            }
        }
    }
    Ok(())
}

/// A sequence whose dashes start at column `indent`.
fn sequence(items: &[Value], indent: usize, depth: usize, out: &mut String) -> Result<()> {
    if depth > MAX_DEPTH {
        return too_deep();
    }
    for item in items {
        match &item.kind {
            ValueKind::Object(fields) if !fields.is_empty() => {
                let mut inner = String::new();
                mapping(item, indent + 2, depth + 1, &mut inner)?;
                dash_first_line(&inner, indent, out);
            }
            ValueKind::List(inner_items) if !inner_items.is_empty() => {
                let mut inner = String::new();
                sequence(inner_items, indent + 2, depth + 1, &mut inner)?;
                dash_first_line(&inner, indent, out);
            }
            _ => {
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                out.push_str(&scalar(item, indent, indent + 2)?);
                out.push('\n');
            }
        }
    }
    Ok(())
}

/// A nested block written one level in, its first line taking the dash: `- "a": 1`.
fn dash_first_line(inner: &str, indent: usize, out: &mut String) {
    out.push_str(&" ".repeat(indent));
    out.push_str("- ");
    out.push_str(&inner[indent + 2..]);
}

/// A value written after a key or a dash at `column`, inside a block at `indent`.
fn scalar(value: &Value, indent: usize, column: usize) -> Result<String> {
    Ok(match &value.kind {
        ValueKind::Null => "null".into(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Number(n) => number::text(*n)?,
        ValueKind::String(s) => string(s, indent, column)?,
        ValueKind::List(_) => "[]".into(),
        ValueKind::Object(_) => "{}".into(),
        ValueKind::Unknown(reason) | ValueKind::Error(reason) => return not_evaluated(reason.clone()),
    })
}

/// Characters written as they are, inside quotes or literal blocks.
fn plain_char(c: char) -> bool {
    matches!(c, ' '..='~') || (!c.is_ascii() && c.is_alphanumeric())
}

fn string(s: &str, indent: usize, column: usize) -> Result<String> {
    if s.contains('\n') {
        if s.trim_matches('\n').is_empty() {
            return not_evaluated("a string of line breaks only");
        }
        if let Some(block) = literal(s, indent) {
            return Ok(block);
        }
    }
    double_quoted(s, column)
}

/// A literal block (`|`), when the emitter would choose one: printable text, no space
/// before a line break or at the end.
fn literal(s: &str, indent: usize) -> Option<String> {
    let printable = s.chars().all(|c| c == '\n' || plain_char(c));
    if !printable || s.contains(" \n") || s.ends_with(' ') {
        return None;
    }
    let mut header = String::from("|");
    if s.starts_with(' ') || s.starts_with('\n') {
        header.push('2');
    }
    let body = s.strip_suffix('\n');
    match body {
        None => header.push('-'),
        Some(b) if b.ends_with('\n') => header.push('+'),
        Some(_) => {}
    }
    let content = body.unwrap_or(s);
    let pad = " ".repeat(indent + 2);
    let mut out = header;
    for line in content.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

/// A double-quoted string starting at `column`.
fn double_quoted(s: &str, column: usize) -> Result<String> {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{1}'..='\u{1f}' => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if plain_char(c) => out.push(c),
            _ => {
                return not_evaluated(format!(
                    "meshlint is not sure how the YAML emitter writes {:?} (U+{:04X})",
                    c, c as u32
                ))
            }
        }
    }
    out.push('"');
    if s.contains(' ') && column + out.chars().count() > SAFE_WIDTH {
        return not_evaluated("a string the YAML emitter may fold across lines");
    }
    Ok(out)
}

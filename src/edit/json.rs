//! Fixes in Terraform's JSON syntax (`*.tf.json`, `*.tfvars.json`).
//!
//! Rules write their edits in native syntax. In a JSON file an expression is either a JSON
//! value or native syntax inside a string (`"${module.web.arn}"`), so [`adapt`] escapes an
//! edit that lands inside a string, writes an expression that replaces a whole value as
//! `"${...}"`, and refuses a fix whose result Terraform could not read. [`value`] writes an
//! expression as the JSON that Terraform reads as the same value.

use crate::diagnostic::Edit;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::{Expr, ExprKind, ObjectKey, TemplatePart};
use std::ops::Range;

/// Whether a file is written in Terraform's JSON syntax.
pub fn is_json_file(sources: &SourceMap, file: FileId) -> bool {
    crate::discover::classify(&sources.get(file).path).is_some_and(|kind| kind.is_json())
}

/// Makes `edits`, written for native syntax, right for the JSON file `text`; false when the
/// fix cannot be right there (the result would not be JSON, or a string it changed would not
/// be a template Terraform reads).
pub fn adapt(text: &str, edits: &mut [Edit]) -> bool {
    let before = strings(text);
    for edit in edits.iter_mut() {
        let range = edit.span.start()..edit.span.end();
        if before.iter().any(|s| s.start < range.start && range.end < s.end) {
            edit.replacement = string_content(&edit.replacement);
        } else if is_whole_value(text, &before, &range)
            && serde_json::from_str::<serde_json::Value>(&edit.replacement).is_err()
        {
            edit.replacement = quoted(&format!("${{{}}}", edit.replacement));
        }
    }
    let (after, changed) = apply(text, edits);
    if serde_json::from_str::<serde_json::Value>(&after).is_err() {
        return false;
    }
    strings(&after)
        .into_iter()
        .filter(|s| changed.iter().any(|c| s.start <= c.end && c.start <= s.end))
        .all(|s| serde_json::from_str::<String>(&after[s]).is_ok_and(|t| crate::parse::template_parses(&t)))
}

/// `expr`, written in native syntax inside a string of a JSON file, as the JSON value that
/// Terraform's JSON syntax reads as the same value; `indent` is the indentation of the line it
/// starts on. `None` for what JSON cannot say that way (a computed object key, a template
/// directive).
pub fn value(sources: &SourceMap, expr: &Expr, indent: &str) -> Option<String> {
    let text = &sources.get(expr.span.file).text;
    let mut out = String::new();
    write_value(sources, expr, indent, indent_unit(text), &mut out)?;
    Some(out)
}

/// The JSON string around `span` when its content is one interpolation of exactly `span`
/// (`"${jsonencode([...])}"` around the call).
pub fn sole_interpolation(sources: &SourceMap, span: Span) -> Option<Span> {
    let text = &sources.get(span.file).text;
    let string = strings(text)
        .into_iter()
        .find(|s| s.start < span.start() && span.end() < s.end)?;
    let before = text[string.start + 1..span.start()].trim_end_matches([' ', '\t']);
    let after = text[span.end()..string.end - 1].trim_start_matches([' ', '\t']);
    (before == "${" && after == "}").then(|| Span::new(span.file, string.start, string.end))
}

fn write_value(sources: &SourceMap, expr: &Expr, indent: &str, unit: &str, out: &mut String) -> Option<()> {
    let inner = format!("{indent}{unit}");
    match &expr.kind {
        ExprKind::Null => out.push_str("null"),
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Number(n) => {
            let written = source(sources, expr)?;
            match serde_json::from_str::<serde_json::Number>(&written) {
                Ok(_) => out.push_str(&written),
                Err(_) => out.push_str(&serde_json::Number::from_f64(*n)?.to_string()),
            }
        }
        ExprKind::String(s) => out.push_str(&quoted(&template_literal(s))),
        ExprKind::Template(template) => {
            let mut content = String::new();
            for part in &template.parts {
                match part {
                    TemplatePart::Literal(s) => content.push_str(&template_literal(s)),
                    TemplatePart::Interpolation(e) => {
                        content.push_str(&format!("${{{}}}", source(sources, e)?));
                    }
                    _ => return None,
                }
            }
            out.push_str(&quoted(&content));
        }
        ExprKind::Array(items) if items.is_empty() => out.push_str("[]"),
        ExprKind::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&inner);
                write_value(sources, item, &inner, unit, out)?;
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(indent);
            out.push(']');
        }
        ExprKind::Object(items) if items.is_empty() => out.push_str("{}"),
        ExprKind::Object(items) => {
            out.push_str("{\n");
            for (i, item) in items.iter().enumerate() {
                let ObjectKey::Name(name) = &item.key else {
                    return None;
                };
                if name.contains("${") || name.contains("%{") {
                    return None;
                }
                out.push_str(&format!("{inner}{}: ", quoted(name)));
                write_value(sources, &item.value, &inner, unit, out)?;
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(indent);
            out.push('}');
        }
        ExprKind::Parenthesis(inner_expr) => write_value(sources, inner_expr, indent, unit, out)?,
        ExprKind::Unsupported(_) => return None,
        _ => out.push_str(&quoted(&format!("${{{}}}", source(sources, expr)?))),
    }
    Some(())
}

/// The native-syntax text of an expression written inside a JSON string.
fn source(sources: &SourceMap, expr: &Expr) -> Option<String> {
    let raw = sources.slice(expr.span);
    let text: String = serde_json::from_str(&format!("\"{raw}\"")).ok()?;
    crate::parse::expression(expr.span.file, &text)
        .is_some()
        .then_some(text)
}

/// A literal string as template text: JSON strings are templates, so `${` and `%{` escape.
fn template_literal(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `s` as the inside of a JSON string.
fn string_content(s: &str) -> String {
    let quoted = quoted(s);
    quoted[1..quoted.len() - 1].to_string()
}

/// The indentation step of a file: its smallest indentation, two spaces when it has none.
fn indent_unit(text: &str) -> &str {
    text.lines()
        .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
        .filter(|i| !i.is_empty())
        .min_by_key(|i| i.len())
        .unwrap_or("  ")
}

/// Whether `range` is exactly one string, number, `true`, `false` or `null` of the file.
fn is_whole_value(text: &str, strings: &[Range<usize>], range: &Range<usize>) -> bool {
    if strings.iter().any(|s| s == range) {
        return true;
    }
    let Some(slice) = text.get(range.clone()) else {
        return false;
    };
    let bounded = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || ",:[]{}".contains(c));
    !slice.is_empty()
        && !slice.starts_with(['"', '[', '{'])
        && serde_json::from_str::<serde_json::Value>(slice).is_ok()
        && bounded(text[..range.start].chars().next_back())
        && bounded(text[range.end..].chars().next())
}

/// The strings of a JSON text, quotes included.
fn strings(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'"' {
            at += 1;
            continue;
        }
        let start = at;
        at += 1;
        while at < bytes.len() && bytes[at] != b'"' {
            at += if bytes[at] == b'\\' { 2 } else { 1 };
        }
        at = (at + 1).min(bytes.len());
        out.push(start..at);
    }
    out
}

/// Applies non-overlapping edits; the new text and where each replacement landed in it.
fn apply(text: &str, edits: &[Edit]) -> (String, Vec<Range<usize>>) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start(), e.span.end()));
    let mut out = String::new();
    let mut changed = Vec::new();
    let mut last = 0;
    for edit in sorted {
        let (start, end) = (edit.span.start().max(last), edit.span.end().max(last));
        let (Some(kept), true) = (text.get(last..start), text.is_char_boundary(end.min(text.len()))) else {
            continue;
        };
        out.push_str(kept);
        changed.push(out.len()..out.len() + edit.replacement.len());
        out.push_str(&edit.replacement);
        last = end.min(text.len());
    }
    out.push_str(&text[last..]);
    (out, changed)
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;

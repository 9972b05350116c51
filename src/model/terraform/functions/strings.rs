//! String functions: case, trimming, prefixes, cutting by character, splitting and joining,
//! replacing.

use super::conversion::{integer_param, string_param, strings_param};
use super::text::{self, clusters};
use super::{rejected, Cx, Result};
use crate::model::terraform::value::Value;

fn map_chars(args: &[Value], cx: &Cx, f: fn(char) -> Result<char>) -> Result<Value> {
    let s = string_param(&args[0])?;
    Ok(cx.string(s.chars().map(f).collect::<Result<String>>()?))
}

pub(super) fn upper(args: &[Value], cx: &Cx) -> Result<Value> {
    map_chars(args, cx, text::upper)
}

pub(super) fn lower(args: &[Value], cx: &Cx) -> Result<Value> {
    map_chars(args, cx, text::lower)
}

/// The first letter of each word in title case; the rest as written (`wORLD` → `WORLD`).
pub(super) fn title(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let mut out = String::with_capacity(s.len());
    let mut previous = ' ';
    for c in s.chars() {
        out.push(if text::separates_words(previous) {
            text::title(c)?
        } else {
            c
        });
        previous = c;
    }
    Ok(cx.string(out))
}

pub(super) fn trim(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let cutset = string_param(&args[1])?;
    Ok(cx.string(s.trim_matches(|c| cutset.contains(c))))
}

/// Go's white space and Rust's are the same set: Unicode's White_Space property.
pub(super) fn trimspace(args: &[Value], cx: &Cx) -> Result<Value> {
    Ok(cx.string(string_param(&args[0])?.trim()))
}

pub(super) fn trimprefix(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let prefix = string_param(&args[1])?;
    Ok(cx.string(s.strip_prefix(prefix.as_str()).unwrap_or(&s)))
}

pub(super) fn trimsuffix(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let suffix = string_param(&args[1])?;
    Ok(cx.string(s.strip_suffix(suffix.as_str()).unwrap_or(&s)))
}

pub(super) fn startswith(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let prefix = string_param(&args[1])?;
    Ok(cx.bool(s.starts_with(prefix.as_str())))
}

pub(super) fn endswith(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let suffix = string_param(&args[1])?;
    Ok(cx.bool(s.ends_with(suffix.as_str())))
}

/// `substr(s, offset, length)` by grapheme cluster: a negative offset counts from the end,
/// a negative length runs to the end, and both are clamped to the string.
pub(super) fn substr(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let offset = integer_param(&args[1])?;
    let length = integer_param(&args[2])?;
    let parts = clusters(&s)?;
    let n = parts.len() as i64;
    let start = if offset < 0 { (offset + n).max(0) } else { offset };
    if start >= n {
        return Ok(cx.string(""));
    }
    let end = if length < 0 {
        n
    } else {
        start.saturating_add(length).min(n)
    };
    Ok(cx.string(parts[start as usize..end as usize].concat()))
}

pub(super) fn strrev(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let parts = clusters(&s)?;
    Ok(cx.string(parts.into_iter().rev().collect::<String>()))
}

/// `split(separator, s)`; an empty separator splits into characters.
pub(super) fn split(args: &[Value], cx: &Cx) -> Result<Value> {
    let separator = string_param(&args[0])?;
    let s = string_param(&args[1])?;
    let parts: Vec<Value> = if separator.is_empty() {
        s.chars().map(|c| cx.string(c.to_string())).collect()
    } else {
        s.split(separator.as_str()).map(|p| cx.string(p)).collect()
    };
    Ok(cx.list(parts))
}

/// `join(separator, list…)`: the elements of every list, in order.
pub(super) fn join(args: &[Value], cx: &Cx) -> Result<Value> {
    let separator = string_param(&args[0])?;
    if args.len() < 2 {
        return rejected("at least one list is required");
    }
    let mut parts = Vec::new();
    for list in &args[1..] {
        for item in strings_param(list)? {
            match item {
                Some(s) => parts.push(s),
                None => return rejected("cannot concatenate null values"),
            }
        }
    }
    Ok(cx.string(parts.join(&separator)))
}

/// `replace(s, search, replacement)`: every occurrence, or every match when `search` is
/// written `/regex/`.
pub(super) fn replace(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let search = string_param(&args[1])?;
    let replacement = string_param(&args[2])?;
    if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
        let pattern = &search[1..search.len() - 1];
        return Ok(cx.string(super::regex::replace_all(&s, pattern, &replacement)?));
    }
    Ok(cx.string(s.replace(search.as_str(), &replacement)))
}

//! Byte spans of the analysed text, and scanning them with placeholders
//! (`${...}`, `%{...}`, `{{...}}`, `$(...)`, `$NAME`) kept opaque.

use std::ops::Range;

/// `&text[r]`, or `""` when `r` does not slice `text`.
pub(super) fn slice<'t>(text: &'t str, r: &Range<usize>) -> &'t str {
    text.get(r.clone()).unwrap_or("")
}

/// `r` without leading and trailing whitespace.
pub(super) fn trim_span(text: &str, r: Range<usize>) -> Range<usize> {
    let s = slice(text, &r);
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return r.start..r.start;
    }
    let lead = s.len() - s.trim_start().len();
    r.start + lead..r.start + lead + trimmed.len()
}

/// End (exclusive) of a placeholder starting at byte `i`, or `None`.
/// An unterminated `${`, `%{`, `{{` or `$(` runs to the end of the text: an
/// unfinished template is unknown, not literal.
pub(super) fn placeholder_end(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let first = *bytes.get(i)?;
    let second = bytes.get(i + 1).copied();
    match (first, second) {
        (b'$' | b'%', Some(b'{')) => Some(closing(bytes, i + 2, b'{', b'}')),
        (b'$', Some(b'(')) => Some(closing(bytes, i + 2, b'(', b')')),
        (b'{', Some(b'{')) => Some(
            bytes[i + 2..]
                .windows(2)
                .position(|w| w == b"}}")
                .map_or(bytes.len(), |p| i + 2 + p + 2),
        ),
        (b'$', Some(c)) if c.is_ascii_alphabetic() || c == b'_' => Some(
            bytes[i + 1..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                .map_or(bytes.len(), |p| i + 1 + p),
        ),
        _ => None,
    }
}

/// Index after the `close` that balances an already opened `open`.
fn closing(bytes: &[u8], from: usize, open: u8, close: u8) -> usize {
    let mut depth = 1usize;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        if b == open {
            depth += 1;
        } else if b == close {
            depth -= 1;
            if depth == 0 {
                return k + 1;
            }
        }
    }
    bytes.len()
}

/// Calls `visit` with every byte index in `r` that is outside placeholders;
/// stops when `visit` returns `true` and returns that index.
fn scan_outside(text: &str, r: Range<usize>, mut visit: impl FnMut(usize, u8) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let end = r.end.min(bytes.len());
    let mut i = r.start;
    while i < end {
        if let Some(after) = placeholder_end(text, i) {
            i = after;
        } else if visit(i, bytes[i]) {
            return Some(i);
        } else {
            i += 1;
        }
    }
    None
}

/// First byte index in `r`, outside placeholders, whose byte matches `pred`.
/// Only ASCII bytes are ever matched, so the index is a char boundary.
pub(super) fn find_outside(text: &str, r: Range<usize>, pred: impl Fn(u8) -> bool) -> Option<usize> {
    scan_outside(text, r, |_, b| b.is_ascii() && pred(b))
}

/// Every index of the ASCII byte `needle` in `r`, outside placeholders.
pub(super) fn positions_outside(text: &str, r: Range<usize>, needle: u8) -> Vec<usize> {
    let mut found = Vec::new();
    scan_outside(text, r, |i, b| {
        if b == needle {
            found.push(i);
        }
        false
    });
    found
}

pub(super) fn contains_placeholder(text: &str, r: Range<usize>) -> bool {
    let end = r.end.min(text.len());
    (r.start..end).any(|i| placeholder_end(text, i).is_some())
}

/// Ranges of the items of `text` between separators, placeholders kept whole (a `${…}` may
/// hold a separator); empty items are left out.
pub(super) fn split_outside(text: &str, is_separator: impl Fn(char) -> bool) -> Vec<Range<usize>> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < text.len() {
        if let Some(end) = placeholder_end(text, i) {
            i = end;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if is_separator(c) {
            if start < i {
                items.push(start..i);
            }
            start = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    if start < text.len() {
        items.push(start..text.len());
    }
    items
}

//! Spring Boot configuration: `server.address` in `*.properties` and `application*.yml`, and
//! URL-like values.
//!
//! Purpose-built line readers, because only flat keys and plain scalars matter here: a
//! properties line is `key = value` (`:` or whitespace also separate); YAML nests keys by
//! indentation. Without `server.address` Spring binds every interface, but a file that does
//! not mention it is not a listen: the app may set it elsewhere (environment, arguments).

use super::found::{mentions_any, Found};
use crate::parse::app::facts::{AppFacts, ListenAddress};
use crate::source::FileId;
use std::ops::Range;

const NEEDLES: &[&str] = &["address", "://", ".consul"];
const SERVER_ADDRESS: &str = "server.address";

pub(super) fn read_properties(file: FileId, text: &str) -> AppFacts {
    let mut found = Found::new(file);
    if !mentions_any(text, NEEDLES) {
        return found.finish();
    }
    let mut continued = false;
    for (start, line) in lines(text) {
        let is_continuation = continued;
        continued = ends_with_odd_backslashes(line);
        let trimmed = line.trim_start();
        if is_continuation || trimmed.is_empty() || trimmed.starts_with(['#', '!']) {
            continue;
        }
        let key_len = key_length(trimmed);
        let key = &trimmed[..key_len];
        let after_key = &trimmed[key_len..];
        let separator = after_key.len() - after_key.trim_start_matches([' ', '\t']).len();
        let rest = &after_key[separator..];
        let rest = rest.strip_prefix(['=', ':']).unwrap_or(rest);
        let value_text = rest.trim_start_matches([' ', '\t']);
        let value_start = start + line.len() - value_text.len();
        let value = value_start..value_start + value_text.trim_end().len();
        let decoded = unescape_properties(&text[value.clone()]);
        record(
            &mut found,
            &key.replace('\\', ""),
            value,
            decoded,
            line_range(start, line),
        );
    }
    found.finish()
}

pub(super) fn read_yaml(file: FileId, text: &str) -> AppFacts {
    let mut found = Found::new(file);
    if !mentions_any(text, NEEDLES) {
        return found.finish();
    }
    // Keys of the mappings that enclose the current line, with their indentation.
    let mut parents: Vec<(usize, String)> = Vec::new();
    let mut block_scalar_indent: Option<usize> = None;
    for (start, line) in lines(text) {
        let content = strip_comment(line);
        let body = content.trim_start();
        let indent = content.len() - body.len();
        if body.is_empty() {
            continue;
        }
        if let Some(block) = block_scalar_indent {
            if indent > block {
                continue;
            }
            block_scalar_indent = None;
        }
        if indent == 0 && (body.starts_with("---") || body.starts_with("...")) {
            parents.clear();
            continue;
        }
        // `- key: value` in a list: the key sits after the dash.
        let (indent, body) = match body.strip_prefix("- ") {
            Some(rest) => (
                indent + 2 + (rest.len() - rest.trim_start().len()),
                rest.trim_start(),
            ),
            None => (indent, body),
        };
        let body_start = start + (content.len() - body.len());
        parents.retain(|(parent_indent, _)| *parent_indent < indent);
        let Some((key, value_offset)) = mapping_key(body) else {
            let value = scalar(body, body_start);
            found.string(value.0, value.1);
            continue;
        };
        let value_text = body[value_offset..].trim();
        if value_text.is_empty() {
            parents.push((indent, key));
            continue;
        }
        if value_text.starts_with(['|', '>']) {
            block_scalar_indent = Some(indent);
            continue;
        }
        let path = parents
            .iter()
            .map(|(_, k)| k.as_str())
            .chain([key.as_str()])
            .collect::<Vec<_>>()
            .join(".");
        let value_start = body_start
            + value_offset
            + (body[value_offset..].len() - body[value_offset..].trim_start().len());
        let (range, decoded) = scalar(value_text, value_start);
        record(&mut found, &path, range, decoded, line_range(start, line));
    }
    found.finish()
}

/// A `server.address` value is a listen; any value with a URL or Consul name is a string.
fn record(found: &mut Found, key: &str, value: Range<usize>, decoded: String, line: Range<usize>) {
    if key == SERVER_ADDRESS && !decoded.is_empty() {
        let address = if decoded.starts_with("${") && decoded.ends_with('}') {
            // `${BIND_ADDRESS:0.0.0.0}` comes from the environment.
            ListenAddress::Unknown
        } else {
            found.host(&decoded, value.clone())
        };
        found.listen(line, SERVER_ADDRESS, address);
    }
    found.string(value, decoded);
}

/// Each line with the offset where it starts, without its line break.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |raw| {
        let at = start;
        start += raw.len();
        (at, raw.trim_end_matches(['\n', '\r']))
    })
}

fn line_range(start: usize, line: &str) -> Range<usize> {
    start..start + line.trim_end().len()
}

fn ends_with_odd_backslashes(line: &str) -> bool {
    (line.len() - line.trim_end_matches('\\').len()) % 2 == 1
}

/// A properties key ends at an unescaped `=`, `:` or whitespace.
fn key_length(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'=' | b':' | b' ' | b'\t' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `http\://x` is how properties files often write a colon.
fn unescape_properties(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            other => out.push(other),
        }
    }
    out
}

/// The line without a `# comment` (a `#` at the start or after whitespace, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') if previous == ' ' || previous == '\t' => return &line[..i],
            _ => {}
        }
        previous = c;
    }
    line
}

/// `key: value` or `"key": value`: the key and where the value starts in `body`.
fn mapping_key(body: &str) -> Option<(String, usize)> {
    let (key, rest_at) = match body.chars().next()? {
        q @ ('"' | '\'') => {
            let close = body[1..].find(q)? + 1;
            (body[1..close].to_string(), close + 1)
        }
        _ => {
            let colon = body
                .find(": ")
                .or_else(|| body.ends_with(':').then(|| body.len() - 1))?;
            (body[..colon].trim_end().to_string(), colon)
        }
    };
    body[rest_at..].starts_with(':').then_some((key, rest_at + 1))
}

/// A plain or quoted scalar: where its value is written and the value.
fn scalar(value: &str, start: usize) -> (Range<usize>, String) {
    let quoted = value.len() >= 2
        && ((value.starts_with('"') && value.ends_with('"'))
            || (value.starts_with('\'') && value.ends_with('\'')));
    if quoted {
        (
            start + 1..start + value.len() - 1,
            value[1..value.len() - 1].to_string(),
        )
    } else {
        (start..start + value.len(), value.to_string())
    }
}

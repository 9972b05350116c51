//! String literal contents shared by every reader: which strings are worth keeping, their
//! decoded value, and the host part of a `"host:" + port` concatenation.

use std::ops::Range;

/// Strings the URL rules look at: anything with a scheme separator or a Consul DNS name, and
/// connection strings that name a port by keyword (`host=localhost port=5432 …`).
pub(super) fn is_interesting(contents: &str) -> bool {
    contents.contains("://") || contents.contains(".consul") || names_port_by_keyword(contents)
}

/// `port=` in any ASCII case (`port=`, `Port=`, `PORT=`).
pub(super) fn names_port_by_keyword(contents: &str) -> bool {
    contents
        .as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"port="))
}

/// Decodes the backslash escapes that C-like languages share (`\"`, `\\`, `\n`, …). Escapes
/// it does not know are kept as written: a URL never depends on them, and keeping them means
/// the value still lines up with the source text around them.
pub(super) fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(q @ ('"' | '\'' | '\\' | '/' | '`' | '$')) => out.push(q),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The range of `contents` before the last `:` when the contents look like the host half of
/// an address that code completes with a port (`"0.0.0.0:" + port`, `":" + port`): the host
/// is written, the port is not. `None` without a colon or with a format verb in the host.
pub(super) fn host_before_port(contents: &str) -> Option<Range<usize>> {
    let colon = contents.rfind(':')?;
    let tail = &contents[colon + 1..];
    let host = &contents[..colon];
    let tail_is_port_start = tail.is_empty() || tail.starts_with('%') || tail.starts_with('{');
    (tail_is_port_start && !host.contains('%') && !host.contains('{')).then_some(0..colon)
}

/// Byte range of a delimited literal's contents: `node` minus `open` bytes at the start and
/// `close` bytes at the end, when the closing delimiter is really there (a half-typed literal
/// at the end of a file has none).
pub(super) fn inner_range(text: &str, node: Range<usize>, open: usize, close: &str) -> Range<usize> {
    let start = (node.start + open).min(node.end);
    let raw = text.get(start..node.end).unwrap_or("");
    let end = if !close.is_empty() && raw.ends_with(close) {
        node.end - close.len()
    } else {
        node.end
    };
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_decodes_quotes_and_keeps_unknown_escapes() {
        assert_eq!(unescape(r#"a\"b\\c\d"#), "a\"b\\c\\d");
        assert_eq!(unescape("trailing\\"), "trailing\\");
    }

    #[test]
    fn host_before_port_needs_a_colon_at_the_end() {
        assert_eq!(host_before_port("0.0.0.0:"), Some(0..7));
        assert_eq!(host_before_port(":"), Some(0..0));
        assert_eq!(host_before_port("[::]:"), Some(0..4));
        assert_eq!(host_before_port("0.0.0.0:%d"), Some(0..7));
        assert_eq!(host_before_port("%s:%d"), None);
        assert_eq!(host_before_port("http"), None);
        assert_eq!(host_before_port("a:80"), None);
    }

    #[test]
    fn inner_range_survives_a_missing_closing_quote() {
        let text = "x = \"abc";
        assert_eq!(inner_range(text, 4..8, 1, "\""), 5..8);
        assert_eq!(inner_range("\"\"", 0..2, 1, "\""), 1..1);
        assert_eq!(inner_range("\"", 0..1, 1, "\""), 1..1);
    }
}

//! Finding comments lexically: never inside a string, a template or a heredoc. One scanner per
//! comment syntax; a file kind picks its syntax, so that Python or shell (`#`), Go, JS or Rust
//! (`//`, `/* */`) and Dockerfiles can get theirs without touching the suppression logic.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentSyntax {
    /// Terraform (`.tf`, `.tfvars`): `#`, `//` and `/* */`; skips quoted strings (with their
    /// `${ }` / `%{ }` templates, which may hold strings of their own) and heredocs.
    Hcl,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment with its markers; a line comment ends before the line break.
    pub span: Range<usize>,
    /// The text between the markers.
    pub body: Range<usize>,
    /// Nothing but whitespace and comments comes before it in the file.
    pub leading: bool,
}

pub fn comments(syntax: CommentSyntax, text: &str) -> Vec<Comment> {
    match syntax {
        CommentSyntax::Hcl => hcl(text),
    }
}

/// Where a line that starts at or after `from` ends: the offset of its `\n`, or the end of text.
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn line_comment(bytes: &[u8], start: usize, marker: usize, leading: bool) -> Comment {
    let mut end = line_end(bytes, start);
    if end > start && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    Comment {
        span: start..end,
        body: (start + marker).min(end)..end,
        leading,
    }
}

/// The end of a heredoc opened at `at` (`<<EOT` or `<<-EOT` followed by a line break): just
/// after its closing marker line, or the end of text. `None` when `at` opens no heredoc.
fn heredoc_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 2;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-') {
        i += 1;
    }
    let name = &bytes[name_start..i];
    if name.is_empty() || name[0].is_ascii_digit() {
        return None;
    }
    if bytes.get(i) == Some(&b'\r') {
        i += 1;
    }
    if bytes.get(i) != Some(&b'\n') {
        return None;
    }
    let mut line = i + 1;
    while line < bytes.len() {
        let end = line_end(bytes, line);
        let content = bytes[line..end].trim_ascii();
        if content == name {
            return Some(end);
        }
        line = end + 1;
    }
    Some(bytes.len())
}

fn hcl(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Brace depth of each open `${`/`%{` template, innermost last; closing one returns to the
    // string it is in.
    let mut templates: Vec<usize> = Vec::new();
    let mut in_string = false;
    let mut code_seen = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        if in_string {
            match (b, next) {
                (b'\\', _) => i += 2,
                (b'"', _) | (b'\n', _) => {
                    // A line break ends a broken string, so one typo does not hide the rest.
                    in_string = false;
                    i += 1;
                }
                (b'$' | b'%', Some(b'$' | b'%')) if bytes.get(i + 2) == Some(&b'{') && next == Some(b) => {
                    i += 3; // `$${` and `%%{` are literal text
                }
                (b'$' | b'%', Some(b'{')) => {
                    templates.push(0);
                    in_string = false;
                    i += 2;
                }
                _ => i += 1,
            }
            continue;
        }
        match (b, next) {
            (b'#', _) => {
                let comment = line_comment(bytes, i, 1, !code_seen);
                i = comment.span.end;
                out.push(comment);
            }
            (b'/', Some(b'/')) => {
                let comment = line_comment(bytes, i, 2, !code_seen);
                i = comment.span.end;
                out.push(comment);
            }
            (b'/', Some(b'*')) => {
                let close = text[i + 2..].find("*/").map(|p| i + 2 + p);
                let end = close.map_or(bytes.len(), |c| c + 2);
                out.push(Comment {
                    span: i..end,
                    body: i + 2..close.unwrap_or(end),
                    leading: !code_seen,
                });
                i = end;
            }
            (b'"', _) => {
                in_string = true;
                code_seen = true;
                i += 1;
            }
            (b'<', Some(b'<')) => {
                code_seen = true;
                i = heredoc_end(bytes, i).unwrap_or(i + 2);
            }
            (b'{', _) => {
                if let Some(depth) = templates.last_mut() {
                    *depth += 1;
                }
                code_seen = true;
                i += 1;
            }
            (b'}', _) => {
                match templates.last_mut() {
                    Some(0) => {
                        templates.pop();
                        in_string = true;
                    }
                    Some(depth) => *depth -= 1,
                    None => {}
                }
                code_seen = true;
                i += 1;
            }
            _ => {
                code_seen |= !b.is_ascii_whitespace();
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (comment text, body text, leading) of every comment.
    fn found(text: &str) -> Vec<(&str, &str, bool)> {
        comments(CommentSyntax::Hcl, text)
            .into_iter()
            .map(|c| (&text[c.span], &text[c.body], c.leading))
            .collect()
    }

    #[test]
    fn finds_the_three_comment_forms() {
        let text = "# top\n// also top\n/* block\n top */\na = 1 # after\nb = 2 // slash\nc = /* in */ 3\n";
        assert_eq!(
            found(text),
            [
                ("# top", " top", true),
                ("// also top", " also top", true),
                ("/* block\n top */", " block\n top ", true),
                ("# after", " after", false),
                ("// slash", " slash", false),
                ("/* in */", " in ", false),
            ]
        );
    }

    #[test]
    fn skips_strings_and_templates() {
        let text = r##"url = "http://x.y/#frag" # real
t = "${"#"}/* no */${ {a = "}"}.a }" // yes
lit = "$${ # not a template" # also
esc = "a \" # still string" # last
"##;
        let bodies: Vec<&str> = found(text).into_iter().map(|c| c.1).collect();
        assert_eq!(bodies, [" real", " yes", " also", " last"]);
    }

    #[test]
    fn skips_heredocs_including_indented_ones() {
        let text = "a = <<EOT\n# not a comment\n// nor this\nEOT\n# one\nb = <<-EOF\n    /* no */\n    EOF\n// two\nc = 1 << 2 # three\n";
        let bodies: Vec<&str> = found(text).into_iter().map(|c| c.1).collect();
        assert_eq!(bodies, [" one", " two", " three"]);
    }

    #[test]
    fn handles_crlf_unterminated_and_unicode_text() {
        let text = "é = \"ü\" # ça\r\n/* open";
        assert_eq!(found(text), [("# ça", " ça", false), ("/* open", " open", false)]);
        let unterminated_heredoc = "a = <<EOT\n# inside\n";
        assert!(found(unterminated_heredoc).is_empty());
        let broken_string = "a = \"open\n# b\n";
        assert_eq!(found(broken_string).len(), 1, "a line break ends a broken string");
    }

    #[test]
    fn leading_ends_at_the_first_code() {
        let text = "\n  # one\n\n/* two */ # three\nlocals {}\n# four\n";
        let leading: Vec<bool> = found(text).into_iter().map(|c| c.2).collect();
        assert_eq!(leading, [true, true, true, false]);
    }
}

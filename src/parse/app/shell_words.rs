//! Splits shell text into simple commands and words, keeping where each word's value was
//! written. Shared by shell scripts, `Procfile` lines, Dockerfile shell-form `CMD` and command
//! strings inside programs.
//!
//! Enough of POSIX sh for command lines: quotes, backslashes, line continuations, comments,
//! `;` `&&` `||` `|` `&` and newlines between commands, `$(…)`, `${…}` and backticks kept as
//! written inside a word. Not a shell: no functions, heredocs or control flow, whose keywords
//! simply become words of a command no reader recognises.

use std::ops::Range;

/// One word of a command.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Word {
    /// The value after quote removal, expansions kept as written (`$PORT`).
    pub text: String,
    /// The word as written, quotes included.
    pub raw: Range<usize>,
    /// Where the value is written: inside the quotes when the whole word is one quoted
    /// string, else the raw word (then `text` equals the source there unless it had escapes).
    pub value: Range<usize>,
}

impl Word {
    /// A word whose value is a list element written as a quoted string (exec form,
    /// `["gunicorn", …]`): `raw` includes the quotes, `value` does not.
    pub fn quoted(text: String, raw: Range<usize>, value: Range<usize>) -> Word {
        Word { text, raw, value }
    }

    /// The whole value is one expansion or placeholder (`$BIND`, `"${ADDR}"`, `$(cmd)`, an
    /// f-string's `{addr}`): nothing is known about it until run time.
    pub fn is_dynamic(&self) -> bool {
        let t = self.text.as_str();
        let simple_variable = t.len() > 1
            && t.starts_with('$')
            && t[1..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        let braced = |open: &str, close: char| {
            t.starts_with(open) && t.ends_with(close) && t[open.len()..t.len() - 1].find(close).is_none()
        };
        simple_variable
            || braced("${", '}')
            || braced("$(", ')')
            || braced("{", '}')
            || (t.len() > 1 && t.starts_with('`') && t.ends_with('`'))
            || t == "%s"
    }

    /// The value after `prefix` (`--bind=` in `--bind=0.0.0.0:80`), with its own location.
    /// The prefix must be written unquoted for the location to be exact; otherwise the
    /// location is the whole word.
    pub fn after(&self, prefix: &str, source: &str) -> Word {
        let text = self.text.get(prefix.len()..).unwrap_or("").to_string();
        let raw = source.get(self.raw.clone()).unwrap_or("");
        if !raw.starts_with(prefix) {
            return Word {
                text,
                raw: self.raw.clone(),
                value: self.value.clone(),
            };
        }
        let rest = self.raw.start + prefix.len()..self.raw.end;
        let rest_text = source.get(rest.clone()).unwrap_or("");
        let value = match rest_text.as_bytes() {
            [q @ (b'"' | b'\''), .., last] if last == q && rest_text.len() >= 2 => {
                rest.start + 1..rest.end - 1
            }
            _ => rest.clone(),
        };
        Word {
            text,
            raw: rest,
            value,
        }
    }
}

/// The simple commands in `source[range]`, each a list of words with file offsets.
pub(super) fn commands(source: &str, range: Range<usize>) -> Vec<Vec<Word>> {
    let bytes = source.as_bytes();
    let end = range.end.min(bytes.len());
    let mut commands = Vec::new();
    let mut current = Vec::new();
    let mut i = range.start.min(end);
    while i < end {
        match bytes[i] {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\\' if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') => i += 3,
            b'\n' | b';' | b'&' | b'|' | b'(' | b')' => {
                if !current.is_empty() {
                    commands.push(std::mem::take(&mut current));
                }
                i += 1;
            }
            b'#' => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {
                let word = read_word(source, i, end);
                i = word.raw.end.max(i + 1);
                current.push(word);
            }
        }
    }
    if !current.is_empty() {
        commands.push(current);
    }
    commands
}

/// Reads one word starting at `start`. Every branch advances, and only by whole UTF-8
/// characters, so offsets stay on character boundaries.
fn read_word(source: &str, start: usize, end: usize) -> Word {
    let bytes = source.as_bytes();
    let mut text = String::new();
    let mut i = start;
    let mut quoted_parts = 0usize;
    let mut unquoted_bytes = 0usize;
    while i < end {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' => break,
            b'\'' => {
                let close = find_byte(bytes, i + 1, end, b'\'');
                text.push_str(&source[i + 1..close]);
                i = (close + 1).min(end);
                quoted_parts += 1;
            }
            b'"' => {
                i = read_double_quoted(source, i + 1, end, &mut text);
                quoted_parts += 1;
            }
            b'\\' => {
                if let Some(c) = source[i + 1..end].chars().next() {
                    if c != '\n' {
                        text.push(c);
                    }
                    i += 1 + c.len_utf8();
                } else {
                    text.push('\\');
                    i += 1;
                }
                unquoted_bytes += 1;
            }
            b'$' if matches!(bytes.get(i + 1), Some(b'(' | b'{')) => {
                let (open, close) = if bytes[i + 1] == b'(' {
                    (b'(', b')')
                } else {
                    (b'{', b'}')
                };
                let after = balanced_end(bytes, i + 2, end, open, close);
                text.push_str(&source[i..after]);
                unquoted_bytes += after - i;
                i = after;
            }
            b'`' => {
                let after = (find_byte(bytes, i + 1, end, b'`') + 1).min(end);
                text.push_str(&source[i..after]);
                unquoted_bytes += after - i;
                i = after;
            }
            _ => {
                let c = source[i..end].chars().next().unwrap_or(' ');
                text.push(c);
                i += c.len_utf8();
                unquoted_bytes += 1;
            }
        }
    }
    let raw = start..i;
    // An unterminated quote runs to the end of the text: then there is no closing quote to drop.
    let closed = i >= start + 2 && matches!(bytes[start], b'"' | b'\'') && bytes[i - 1] == bytes[start];
    let one_quoted_string = quoted_parts == 1 && unquoted_bytes == 0 && closed;
    let value = if one_quoted_string {
        start + 1..i - 1
    } else {
        raw.clone()
    };
    Word { text, raw, value }
}

/// Reads the inside of `"…"` from `from`, returning the index after the closing quote.
fn read_double_quoted(source: &str, from: usize, end: usize, text: &mut String) -> usize {
    let bytes = source.as_bytes();
    let mut i = from;
    while i < end {
        match bytes[i] {
            b'"' => return i + 1,
            b'\\' => match bytes.get(i + 1) {
                Some(b'\n') => i += 2,
                Some(c @ (b'"' | b'\\' | b'$' | b'`')) if i + 1 < end => {
                    text.push(*c as char);
                    i += 2;
                }
                _ => {
                    text.push('\\');
                    i += 1;
                }
            },
            _ => {
                let c = source[i..end].chars().next().unwrap_or(' ');
                text.push(c);
                i += c.len_utf8();
            }
        }
    }
    end
}

/// Index of the next `needle` at or after `from`, or `end`.
fn find_byte(bytes: &[u8], from: usize, end: usize, needle: u8) -> usize {
    bytes[from.min(end)..end]
        .iter()
        .position(|b| *b == needle)
        .map_or(end, |p| from + p)
}

/// Index after the `close` that balances an already opened `open`, or `end`.
fn balanced_end(bytes: &[u8], from: usize, end: usize, open: u8, close: u8) -> usize {
    let mut depth = 1usize;
    for (k, b) in bytes.iter().enumerate().take(end).skip(from) {
        if *b == open {
            depth += 1;
        } else if *b == close {
            depth -= 1;
            if depth == 0 {
                return k + 1;
            }
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Vec<String>> {
        commands(s, 0..s.len())
            .into_iter()
            .map(|c| c.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn splits_commands_and_removes_quotes() {
        assert_eq!(
            words("a 'b c' \"d\\\"e\" f\\ g && h; i | j # k\nl"),
            [
                vec!["a", "b c", "d\"e", "f g"],
                vec!["h"],
                vec!["i"],
                vec!["j"],
                vec!["l"]
            ]
        );
    }

    #[test]
    fn line_continuations_join_a_command() {
        assert_eq!(
            words("gunicorn \\\n  --bind x \\\r\n app"),
            [["gunicorn", "--bind", "x", "app"]]
        );
    }

    #[test]
    fn expansions_stay_whole() {
        assert_eq!(
            words("a $(b c) ${d:-e f} `g h`"),
            [["a", "$(b c)", "${d:-e f}", "`g h`"]]
        );
    }

    #[test]
    fn value_of_a_quoted_word_is_inside_the_quotes() {
        let s = "run \"127.0.0.1:8080\" x'y'";
        let c = &commands(s, 0..s.len())[0];
        assert_eq!(&s[c[1].value.clone()], "127.0.0.1:8080");
        assert_eq!(&s[c[2].value.clone()], "x'y'");
        assert_eq!(c[2].text, "xy");
    }

    #[test]
    fn after_a_prefix_the_value_has_its_own_location() {
        let s = "--bind=\"0.0.0.0:80\"";
        let w = &commands(s, 0..s.len())[0][0];
        let v = w.after("--bind=", s);
        assert_eq!(v.text, "0.0.0.0:80");
        assert_eq!(&s[v.value], "0.0.0.0:80");
    }

    #[test]
    fn dynamic_words() {
        for (t, dynamic) in [
            ("$A", true),
            ("${A:-x}", true),
            ("{addr}", true),
            ("0.0.0.0:$P", false),
        ] {
            let w = Word::quoted(t.into(), 0..0, 0..0);
            assert_eq!(w.is_dynamic(), dynamic, "{t}");
        }
    }

    #[test]
    fn unterminated_quotes_and_multibyte_text_do_not_panic() {
        for s in ["'abc", "\"abc\\", "a$(b", "é \"ü", "\\", "`x", "\"\\é\""] {
            let _ = commands(s, 0..s.len());
        }
    }
}

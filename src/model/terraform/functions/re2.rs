//! Go's RE2 pattern syntax rewritten into the `regex` crate's.
//!
//! The two agree on most of it. Where they mean the same thing spelled differently the
//! pattern is rewritten: Go's `\d`, `\w`, `\s` and `\b` are ASCII-only (the crate's are
//! Unicode), a `{` that starts no repetition is a literal in Go, `\<` is a plain `<`. Where
//! they differ or meshlint is unsure (Unicode classes, `\Q…\E`, octal escapes, repeated
//! assertions, class set operations) the pattern is refused and the call left unknown.

use super::regex::is_word;
use super::{not_evaluated, rejected, Result};

/// Go refuses repetition counts above this.
const MAX_REPEAT: u32 = 1000;

fn unsupported<T>(what: &str) -> Result<T> {
    not_evaluated(format!("meshlint does not evaluate {what} in a pattern"))
}

/// Go's RE2 pattern in the `regex` crate's syntax, or unknown where they may differ.
pub(super) fn translate(pattern: &str) -> Result<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    // Whether the last item can take a repetition, and whether it already has one.
    let mut repeatable = false;
    let mut repeated = false;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => {
                let Some(&e) = chars.get(i) else {
                    return rejected("trailing backslash at end of expression");
                };
                i += 1;
                out.push_str(&escape(e, &chars, &mut i, false)?);
                repeatable = true;
                repeated = false;
            }
            '[' => {
                i = class(&chars, i, &mut out)?;
                repeatable = true;
                repeated = false;
            }
            '(' => {
                if chars.get(i) == Some(&'?') {
                    i = group_start(&chars, i + 1, &mut out)?;
                } else {
                    out.push('(');
                }
                repeatable = false;
                repeated = false;
            }
            '*' | '+' | '?' => {
                if !repeatable {
                    return unsupported("a repetition of nothing");
                }
                if repeated {
                    return rejected("invalid nested repetition operator");
                }
                out.push(c);
                if chars.get(i) == Some(&'?') {
                    out.push('?');
                    i += 1;
                }
                repeated = true;
            }
            '{' => match repetition(&chars, i)? {
                Some((text, next)) => {
                    if !repeatable {
                        return unsupported("a repetition of nothing");
                    }
                    if repeated {
                        return rejected("invalid nested repetition operator");
                    }
                    out.push_str(&text);
                    i = next;
                    if chars.get(i) == Some(&'?') {
                        out.push('?');
                        i += 1;
                    }
                    repeated = true;
                }
                None => {
                    // Go reads a `{` that starts no repetition as itself.
                    out.push_str("\\{");
                    repeatable = true;
                    repeated = false;
                }
            },
            '|' => {
                out.push('|');
                repeatable = false;
                repeated = false;
            }
            ')' => {
                out.push(')');
                repeatable = true;
                repeated = false;
            }
            '^' | '$' => {
                // A repeated assertion is refused: the two parsers may not agree on it.
                out.push(c);
                repeatable = false;
                repeated = false;
            }
            _ => {
                push_literal(c, &mut out);
                repeatable = true;
                repeated = false;
            }
        }
    }
    Ok(out)
}

fn push_literal(c: char, out: &mut String) {
    if c.is_ascii_punctuation() && c != '.' {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// `{n}`, `{n,}` or `{n,m}` starting after the `{` at `i`: its text and where it ends.
fn repetition(chars: &[char], i: usize) -> Result<Option<(String, usize)>> {
    let Some(close) = chars[i..].iter().position(|&c| c == '}').map(|p| i + p) else {
        return Ok(None);
    };
    let inner: String = chars[i..close].iter().collect();
    let (low, high) = match inner.split_once(',') {
        Some((low, high)) => (low, Some(high)),
        None => (inner.as_str(), None),
    };
    let number = |s: &str| -> Option<u32> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(s.parse().unwrap_or(u32::MAX))
    };
    let Some(low_n) = number(low) else {
        return Ok(None);
    };
    let high_n = match high {
        None => Some(low_n),
        Some("") => None,
        Some(h) => match number(h) {
            Some(n) => Some(n),
            None => return Ok(None),
        },
    };
    if low_n > MAX_REPEAT || high_n.is_some_and(|h| h > MAX_REPEAT || h < low_n) {
        return rejected(format!("invalid repeat count in {{{inner}}}"));
    }
    Ok(Some((format!("{{{inner}}}"), close + 1)))
}

/// After `(?`: a named group, a non-capturing group or flags, as Go accepts them.
fn group_start(chars: &[char], mut i: usize, out: &mut String) -> Result<usize> {
    let rest: String = chars[i..].iter().take(4).collect();
    if rest.starts_with("P<") || (rest.starts_with('<') && !rest.starts_with("<=") && !rest.starts_with("<!"))
    {
        i += if chars[i] == 'P' { 2 } else { 1 };
        let Some(end) = chars[i..].iter().position(|&c| c == '>').map(|p| i + p) else {
            return rejected("invalid named capture");
        };
        let name: String = chars[i..end].iter().collect();
        if name.is_empty() || !name.chars().all(is_word) {
            return rejected(format!("invalid named capture: {name}"));
        }
        out.push_str(&format!("(?P<{name}>"));
        return Ok(end + 1);
    }
    let mut flags = String::new();
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            'i' | 'm' | 's' | 'U' | '-' => flags.push(c),
            ':' | ')' => {
                if flags.ends_with('-') || flags.matches('-').count() > 1 || (c == ')' && flags.is_empty()) {
                    return rejected("invalid or unsupported Perl syntax");
                }
                out.push_str("(?");
                out.push_str(&flags);
                out.push(c);
                return Ok(i);
            }
            _ => return rejected("invalid or unsupported Perl syntax"),
        }
    }
    rejected("missing closing )")
}

/// An escape after `\`; `in_class` when inside `[…]`.
fn escape(e: char, chars: &[char], i: &mut usize, in_class: bool) -> Result<String> {
    let class = |inner: &str, negated: bool| match (in_class, negated) {
        (false, false) => format!("[{inner}]"),
        (false, true) | (true, true) => format!("[^{inner}]"),
        (true, false) => inner.to_string(),
    };
    Ok(match e {
        'd' => class("0-9", false),
        'D' => class("0-9", true),
        'w' => class("0-9A-Za-z_", false),
        'W' => class("0-9A-Za-z_", true),
        's' => class("\\t\\n\\f\\r ", false),
        'S' => class("\\t\\n\\f\\r ", true),
        'b' if !in_class => "(?-u:\\b)".into(),
        'B' if !in_class => "(?-u:\\B)".into(),
        'A' | 'z' if !in_class => format!("\\{e}"),
        'a' | 'f' | 't' | 'n' | 'r' | 'v' => format!("\\{e}"),
        'x' => {
            let hex: String = if chars.get(*i) == Some(&'{') {
                let Some(end) = chars[*i..].iter().position(|&c| c == '}').map(|p| *i + p) else {
                    return rejected("invalid escape sequence");
                };
                let hex: String = chars[*i + 1..end].iter().collect();
                *i = end + 1;
                hex
            } else {
                let hex: String = chars.iter().skip(*i).take(2).collect();
                *i += 2;
                if hex.chars().count() != 2 {
                    return rejected("invalid escape sequence");
                }
                hex
            };
            match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                Some(c) if !hex.is_empty() && hex.len() <= 8 => format!("\\x{{{:X}}}", c as u32),
                _ => return rejected("invalid escape sequence"),
            }
        }
        c if c.is_ascii_punctuation() => format!("\\x{{{:X}}}", c as u32),
        _ => return unsupported(&format!("the escape \\{e}")),
    })
}

const POSIX_CLASSES: &[&str] = &[
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space",
    "upper", "word", "xdigit",
];

/// A bracketed class starting after its `[`; returns where it ends.
fn class(chars: &[char], mut i: usize, out: &mut String) -> Result<usize> {
    out.push('[');
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = chars.get(i) else {
            return rejected("missing closing ]");
        };
        i += 1;
        match c {
            ']' if !first => {
                out.push(']');
                return Ok(i);
            }
            '[' if chars.get(i) == Some(&':') => {
                let rest: String = chars[i + 1..].iter().collect();
                let Some(end) = rest.find(":]") else {
                    return unsupported("a `[` inside a class");
                };
                let name = rest[..end].trim_start_matches('^');
                if !POSIX_CLASSES.contains(&name) {
                    return rejected("invalid character class range");
                }
                out.push_str(&format!("[:{}:]", &rest[..end]));
                i += 1 + rest[..end].chars().count() + 2;
            }
            '\\' => {
                let Some(&e) = chars.get(i) else {
                    return rejected("missing closing ]");
                };
                i += 1;
                out.push_str(&escape(e, chars, &mut i, true)?);
            }
            '-' => {
                if chars.get(i) == Some(&'-') {
                    return unsupported("`--` in a class");
                }
                out.push('-');
            }
            _ => push_literal(c, out),
        }
        first = false;
    }
}

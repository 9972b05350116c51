//! Action and resource patterns as a policy writes them, with Terraform
//! interpolations kept apart as unknown segments.

use std::fmt;

/// A piece of a pattern; unknown pieces are kept apart so that `${...}` is
/// reasoned about instead of being matched as literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text as written; `*` and `?` keep their IAM wildcard meaning.
    Lit(String),
    /// A value not known at lint time (a Terraform interpolation).
    Unknown,
}

impl Segment {
    /// Shorthand so scopes built by hand stay readable.
    pub fn lit(text: impl Into<String>) -> Segment {
        Segment::Lit(text.into())
    }
}

/// An action or resource pattern, possibly with unknown parts. The original
/// text is kept so that reasons can quote what the user wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub(super) segments: Vec<Segment>,
    text: String,
}

impl Pattern {
    /// Reads a Terraform template string: every `${...}` or `%{...}` (braces
    /// balanced, quoted strings skipped) is unknown; `$${` and `%%{` are the
    /// template escapes for literal `${` and `%{`.
    pub fn parse(text: &str) -> Pattern {
        let chars: Vec<char> = text.chars().collect();
        let mut segments = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let sigil = c == '$' || c == '%';
            if sigil && chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&'{') {
                lit.push(c);
                lit.push('{');
                i += 3;
            } else if sigil && chars.get(i + 1) == Some(&'{') {
                segments.push(Segment::Lit(std::mem::take(&mut lit)));
                segments.push(Segment::Unknown);
                i = skip_template(&chars, i + 2);
            } else {
                lit.push(c);
                i += 1;
            }
        }
        segments.push(Segment::Lit(lit));
        Pattern {
            segments: tidy(segments),
            text: text.to_string(),
        }
    }

    /// For callers that already know which parts are unknown (for example a
    /// scope naming "the task's region").
    pub fn from_segments(segments: Vec<Segment>) -> Pattern {
        let segments = tidy(segments);
        let text = segments
            .iter()
            .map(|s| match s {
                Segment::Lit(t) => t.as_str(),
                Segment::Unknown => "${…}",
            })
            .collect();
        Pattern { segments, text }
    }

    /// The same pattern, quoted in messages as `text` (for instance with the values of the
    /// parts it leaves unknown, or the expressions they come from).
    pub fn shown_as(mut self, text: &str) -> Pattern {
        self.text = text.to_string();
        self
    }

    /// `*`: the scope of actions without resource-level permissions.
    pub fn any() -> Pattern {
        Pattern::parse("*")
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The text as written (or rendered, for patterns built from segments).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_fully_known(&self) -> bool {
        !self.segments.contains(&Segment::Unknown)
    }
}

impl From<&str> for Pattern {
    fn from(text: &str) -> Pattern {
        Pattern::parse(text)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Returns the index just past the `}` closing a template opened before `i`.
fn skip_template(chars: &[char], mut i: usize) -> usize {
    let mut depth = 1;
    while i < chars.len() {
        match chars[i] {
            '"' => {
                i = skip_string(chars, i + 1);
                continue;
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// Returns the index just past the `"` closing a string opened before `i`.
fn skip_string(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            '$' | '%' if chars.get(i + 1) == Some(&'{') => i = skip_template(chars, i + 2),
            _ => i += 1,
        }
    }
    chars.len()
}

/// Merges adjacent literals and unknowns so equal patterns compare equal.
fn tidy(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for seg in segments {
        match (out.last_mut(), seg) {
            (_, Segment::Lit(t)) if t.is_empty() => {}
            (Some(Segment::Lit(prev)), Segment::Lit(t)) => prev.push_str(&t),
            (Some(Segment::Unknown), Segment::Unknown) => {}
            (_, seg) => out.push(seg),
        }
    }
    out
}

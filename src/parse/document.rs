//! JSON-shaped documents (IAM policies) with a span on every node, whichever way they were
//! written: an HCL object inside `jsonencode(...)`, or JSON text in a heredoc, a string or a
//! file.

use crate::source::{FileId, Span};

/// Nesting deeper than this is treated as unknown (no real policy comes close).
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone)]
pub enum Node {
    String(String, Span),
    /// A string Terraform builds from a template, with the parts that are not known at lint
    /// time (or that a variable decides) written `${?}` in `pattern`, and as a message should
    /// show them in `shown`: the value where it is known, else the expression as written.
    Template {
        pattern: String,
        shown: String,
        span: Span,
    },
    List(Vec<Node>, Span),
    Object(Vec<(String, Node)>, Span),
    /// Numbers, booleans, null: IAM policies hold none that matter here.
    Scalar(Span),
    /// Not known before apply (or not evaluated), with the reason.
    Unknown(String, Span),
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::String(_, s)
            | Node::Template { span: s, .. }
            | Node::List(_, s)
            | Node::Object(_, s)
            | Node::Scalar(s)
            | Node::Unknown(_, s) => *s,
        }
    }

    /// An object's member, with keys compared case-insensitively as IAM does for element names.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(fields, _) => fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A list, or a single value standing for a one-element list (IAM allows both).
    pub fn items(&self) -> Vec<&Node> {
        match self {
            Node::List(items, _) => items.iter().collect(),
            other => vec![other],
        }
    }
}

/// Reads JSON text that starts at byte `base` of `file`. Template interpolations (`${...}`)
/// inside strings are kept as written, so policy patterns can treat them as unknown parts.
pub fn parse_json(text: &str, file: FileId, base: usize) -> Result<Node, String> {
    let mut reader = Reader {
        text: text.as_bytes(),
        pos: 0,
        file,
        base,
    };
    let node = reader.value(0)?;
    reader.skip_space();
    if reader.pos != reader.text.len() {
        return Err(format!(
            "unexpected text after the JSON value at byte {}",
            reader.pos
        ));
    }
    Ok(node)
}

struct Reader<'t> {
    text: &'t [u8],
    pos: usize,
    file: FileId,
    base: usize,
}

impl Reader<'_> {
    fn span(&self, start: usize) -> Span {
        Span::new(self.file, self.base + start, self.base + self.pos)
    }

    fn skip_space(&mut self) {
        while self.pos < self.text.len() && self.text[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        self.skip_space();
        if self.text.get(self.pos) == Some(&byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected `{}` at byte {}", byte as char, self.pos))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, String> {
        if depth > MAX_DEPTH {
            return Err("JSON nested too deeply".into());
        }
        self.skip_space();
        let start = self.pos;
        match self.text.get(self.pos) {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.list(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node::String(s, self.span(start)))
            }
            Some(b'$') if self.text.get(self.pos + 1) == Some(&b'{') => {
                // `${jsonencode(...)}` standing for a whole value: unknown to meshlint.
                self.skip_interpolation()?;
                Ok(Node::Unknown(
                    "an interpolated value is not evaluated".into(),
                    self.span(start),
                ))
            }
            Some(_) => {
                while self.pos < self.text.len() && !b",]} \t\r\n".contains(&self.text[self.pos]) {
                    self.pos += 1;
                }
                if self.pos == start {
                    return Err(format!("expected a value at byte {start}"));
                }
                Ok(Node::Scalar(self.span(start)))
            }
            None => Err("unexpected end of JSON".into()),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, String> {
        let start = self.pos;
        self.pos += 1;
        let mut fields = Vec::new();
        self.skip_space();
        if self.text.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Node::Object(fields, self.span(start)));
        }
        loop {
            self.skip_space();
            if self.text.get(self.pos) != Some(&b'"') {
                return Err(format!("expected a key at byte {}", self.pos));
            }
            let key = self.string()?;
            self.expect(b':')?;
            fields.push((key, self.value(depth + 1)?));
            self.skip_space();
            match self.text.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node::Object(fields, self.span(start)));
                }
                _ => return Err(format!("expected `,` or `}}` at byte {}", self.pos)),
            }
        }
    }

    fn list(&mut self, depth: usize) -> Result<Node, String> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.text.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Node::List(items, self.span(start)));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.text.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node::List(items, self.span(start)));
                }
                _ => return Err(format!("expected `,` or `]` at byte {}", self.pos)),
            }
        }
    }

    /// A JSON string; `\"` and friends are decoded, `${...}` is kept verbatim.
    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(&b) = self.text.get(self.pos) {
            match b {
                b'"' => {
                    self.pos += 1;
                    return String::from_utf8(out).map_err(|_| "invalid UTF-8 in a string".to_string());
                }
                b'\\' => {
                    let escaped = *self.text.get(self.pos + 1).ok_or("unterminated escape")?;
                    out.push(match escaped {
                        b'n' => b'\n',
                        b't' => b'\t',
                        b'r' => b'\r',
                        other => other,
                    });
                    self.pos += 2;
                }
                b'$' if self.text.get(self.pos + 1) == Some(&b'{') => {
                    let start = self.pos;
                    self.skip_interpolation()?;
                    out.extend_from_slice(&self.text[start..self.pos]);
                }
                _ => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
        Err("unterminated string".into())
    }

    /// Past a balanced `${ ... }`, which may itself contain quotes and braces.
    fn skip_interpolation(&mut self) -> Result<(), String> {
        let mut depth = 0usize;
        let mut in_string = false;
        while let Some(&b) = self.text.get(self.pos) {
            self.pos += 1;
            match (in_string, b) {
                (true, b'\\') => self.pos += 1,
                (true, b'"') => in_string = false,
                (false, b'"') => in_string = true,
                (false, b'{') => depth += 1,
                (false, b'}') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err("unterminated interpolation".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: FileId = FileId(0);

    #[test]
    fn spans_are_offsets_in_the_file() {
        let text = r#"{"Statement": [{"Action": "ecs:ListTasks"}]}"#;
        let node = parse_json(text, F, 100).unwrap();
        let action = &node.get("statement").unwrap().items()[0]
            .get("Action")
            .cloned()
            .unwrap();
        let span = action.span();
        assert_eq!(&text[span.start() - 100..span.end() - 100], "\"ecs:ListTasks\"");
    }

    #[test]
    fn interpolations_stay_in_strings() {
        let text = r#"{"Resource": "arn:aws:ecs:${var.region}:${data.x.y["a"]}:task/*"}"#;
        let node = parse_json(text, F, 0).unwrap();
        let Some(Node::String(s, _)) = node.get("Resource") else {
            panic!("a string")
        };
        assert_eq!(s, r#"arn:aws:ecs:${var.region}:${data.x.y["a"]}:task/*"#);
    }

    #[test]
    fn a_whole_value_interpolation_is_unknown() {
        let node = parse_json(r#"{"Action": ${jsonencode(var.actions)}}"#, F, 0).unwrap();
        assert!(matches!(node.get("Action"), Some(Node::Unknown(..))));
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        for bad in ["", "{", "[1,", r#"{"a" 1}"#, r#""abc"#, "{}}", r#"{"a": "${"}"#] {
            assert!(parse_json(bad, F, 0).is_err(), "{bad:?}");
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse_json(&deep, F, 0).is_err());
    }
}

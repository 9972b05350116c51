//! JSON as Terraform writes and reads it: Go's encoding, keys in lexical order, `<`, `>` and
//! `&` escaped; numbers read exactly or not at all.

use super::number::{self, Decimal};
use super::{not_evaluated, rejected, Cx, Result};
use crate::model::terraform::value::{Value, ValueKind};
use std::collections::BTreeMap;

/// Appends `value` as compact JSON.
pub(super) fn encode(value: &Value, out: &mut String) -> Result<()> {
    match &value.kind {
        ValueKind::Null => out.push_str("null"),
        ValueKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ValueKind::Number(n) => out.push_str(&number::text(*n)?),
        ValueKind::String(s) => quote(s, out),
        ValueKind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode(item, out)?;
            }
            out.push(']');
        }
        ValueKind::Object(_) => {
            out.push('{');
            for (i, (key, item)) in sorted_fields(value).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                quote(key, out);
                out.push(':');
                encode(item, out)?;
            }
            out.push('}');
        }
        ValueKind::Unknown(reason) | ValueKind::Error(reason) => return not_evaluated(reason.clone()),
    }
    Ok(())
}

/// An object's fields in Terraform's order, lexical by key; a repeated key keeps its last value.
pub(super) fn sorted_fields(value: &Value) -> Vec<(&str, &Value)> {
    let mut map: BTreeMap<&str, &Value> = BTreeMap::new();
    if let ValueKind::Object(fields) = &value.kind {
        for (k, v) in fields {
            map.insert(k, v);
        }
    }
    map.into_iter().collect()
}

/// Appends `s` as a JSON string, escaped as Go escapes it.
pub(super) fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\0'..='\u{1f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
}

/// Nesting deeper than this is left unknown rather than recursed into.
const MAX_DEPTH: usize = 256;

/// Reads JSON text as `jsondecode` does: objects and arrays become objects and tuples.
pub(super) fn decode(text: &str, cx: &Cx) -> Result<Value> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        cx,
    };
    reader.space();
    if reader.at == reader.bytes.len() {
        return rejected("EOF");
    }
    let value = reader.value(0)?;
    reader.space();
    if reader.at != reader.bytes.len() {
        return rejected("extraneous data after JSON object");
    }
    Ok(value)
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    cx: &'t Cx,
}

impl Reader<'_> {
    fn space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn invalid<T>(&self) -> Result<T> {
        match self.bytes.get(self.at) {
            None => rejected("unexpected EOF"),
            Some(_) => rejected(format!("invalid JSON at byte {}", self.at)),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value> {
        if depth > MAX_DEPTH {
            return not_evaluated("JSON nested too deeply");
        }
        self.space();
        let kind = match self.bytes.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                let mut fields: BTreeMap<String, Value> = BTreeMap::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.space();
                        if self.bytes.get(self.at) != Some(&b'"') {
                            return self.invalid();
                        }
                        let key = self.string()?;
                        self.space();
                        if self.bytes.get(self.at) != Some(&b':') {
                            return self.invalid();
                        }
                        self.at += 1;
                        let item = self.value(depth + 1)?;
                        fields.insert(key, item);
                        self.space();
                        match self.bytes.get(self.at) {
                            Some(b',') => self.at += 1,
                            Some(b'}') => {
                                self.at += 1;
                                break;
                            }
                            _ => return self.invalid(),
                        }
                    }
                }
                ValueKind::Object(fields.into_iter().collect())
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                } else {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.space();
                        match self.bytes.get(self.at) {
                            Some(b',') => self.at += 1,
                            Some(b']') => {
                                self.at += 1;
                                break;
                            }
                            _ => return self.invalid(),
                        }
                    }
                }
                ValueKind::List(items)
            }
            Some(b'"') => ValueKind::String(self.string()?),
            Some(b't') => self.word("true", ValueKind::Bool(true))?,
            Some(b'f') => self.word("false", ValueKind::Bool(false))?,
            Some(b'n') => self.word("null", ValueKind::Null)?,
            Some(b'-' | b'0'..=b'9') => ValueKind::Number(self.number()?),
            _ => return self.invalid(),
        };
        Ok(self.cx.value(kind))
    }

    fn word(&mut self, word: &str, kind: ValueKind) -> Result<ValueKind> {
        for expected in word.bytes() {
            if self.bytes.get(self.at) != Some(&expected) {
                return self.invalid();
            }
            self.at += 1;
        }
        Ok(kind)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<f64> {
        let start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.bytes.get(self.at) {
            // A leading zero ends the number: `01` is `0` followed by stray data.
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.invalid(),
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return self.invalid();
            }
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return self.invalid();
            }
        }
        let text = &self.text[start..self.at];
        let written = Decimal::parse(text).ok_or_else(|| super::Fail::Rejected("bad number".into()))?;
        let n: f64 = text.parse().unwrap_or(f64::INFINITY);
        if !n.is_finite() || Decimal::of(n) != written {
            return not_evaluated(format!("{text} has more precision than meshlint keeps"));
        }
        number::trusted(n)
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Result<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.at..];
            let Some(c) = rest.chars().next() else {
                return rejected("unexpected EOF");
            };
            self.at += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let escape = self.bytes.get(self.at).copied();
                    self.at += 1;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let unit = self.hex4()?;
                            out.push(self.code_point(unit)?);
                        }
                        _ => return rejected("invalid string escape in JSON"),
                    }
                }
                '\0'..='\u{1f}' => return rejected("control character in a JSON string"),
                _ => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.text.get(self.at..self.at + 4).unwrap_or("");
        match u32::from_str_radix(digits, 16) {
            Ok(unit) if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_hexdigit()) => {
                self.at += 4;
                Ok(unit)
            }
            _ => rejected("invalid \\u escape in JSON"),
        }
    }

    /// A `\u` escape's character; a lone surrogate becomes U+FFFD, as Go reads it.
    fn code_point(&mut self, unit: u32) -> Result<char> {
        if (0xD800..0xDC00).contains(&unit) && self.text[self.at..].starts_with("\\u") {
            let save = self.at;
            self.at += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.at = save;
        }
        Ok(char::from_u32(unit).unwrap_or('\u{FFFD}'))
    }
}

//! Reading `.meshlint.toml` into a small span-carrying tree, so that the configuration code
//! never names the TOML crate and can point at the exact key or value it rejects.

use std::ops::Range;
use toml::de::{DeTable, DeValue};

#[derive(Debug, Clone, PartialEq)]
pub struct TomlValue {
    pub kind: TomlKind,
    /// Byte range of the value in the file.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TomlKind {
    String(String),
    /// An integer that fits in 64 bits (`[app] upstreams` takes ports).
    Integer(i64),
    /// Floats, datetimes and integers too large for 64 bits: no setting takes one, so they
    /// are only ever named in an error.
    Other(&'static str),
    Boolean(bool),
    Array(Vec<TomlValue>),
    Table(Vec<TomlEntry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TomlEntry {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: TomlValue,
}

impl TomlKind {
    /// "a string", "an array", … for error messages.
    pub fn describe(&self) -> &'static str {
        match self {
            TomlKind::String(_) => "a string",
            TomlKind::Integer(_) => "an integer",
            TomlKind::Other(what) => what,
            TomlKind::Boolean(_) => "a boolean",
            TomlKind::Array(_) => "an array",
            TomlKind::Table(_) => "a table",
        }
    }
}

/// A syntax error: where and what.
#[derive(Debug, Clone, PartialEq)]
pub struct TomlError {
    pub span: Range<usize>,
    pub message: String,
}

/// Parses a whole document into its top-level table.
pub fn parse(text: &str) -> Result<TomlValue, TomlError> {
    let table = DeTable::parse(text).map_err(|e| TomlError {
        span: e.span().unwrap_or(0..0),
        message: e.message().trim().to_string(),
    })?;
    let span = table.span();
    Ok(TomlValue {
        kind: TomlKind::Table(entries(table.into_inner())),
        span,
    })
}

fn entries(table: DeTable<'_>) -> Vec<TomlEntry> {
    let mut out: Vec<TomlEntry> = table
        .into_iter()
        .map(|(key, value)| TomlEntry {
            key_span: key.span(),
            key: key.into_inner().into_owned(),
            value: convert(value.span(), value.into_inner()),
        })
        .collect();
    // In the order written, so that the first mistake in the file is the one reported.
    out.sort_by_key(|e| e.key_span.start);
    out
}

fn convert(span: Range<usize>, value: DeValue<'_>) -> TomlValue {
    let kind = match value {
        DeValue::String(s) => TomlKind::String(s.into_owned()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map_or(TomlKind::Other("an integer"), TomlKind::Integer),
        DeValue::Float(_) => TomlKind::Other("a float"),
        DeValue::Datetime(_) => TomlKind::Other("a datetime"),
        DeValue::Boolean(b) => TomlKind::Boolean(b),
        DeValue::Array(items) => TomlKind::Array(
            items
                .into_iter()
                .map(|item| convert(item.span(), item.into_inner()))
                .collect(),
        ),
        DeValue::Table(table) => TomlKind::Table(entries(table)),
    };
    TomlValue { kind, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_of_keys_and_values_in_written_order() {
        let text =
            "zeta = \"z\"\nalpha = [\"a\", true]\n[rules.x]\nk = 1\nh = 0x1F\nbig = 99999999999999999999\n";
        let TomlKind::Table(top) = parse(text).unwrap().kind else {
            panic!()
        };
        let keys: Vec<&str> = top.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["zeta", "alpha", "rules"]);
        assert_eq!(&text[top[0].key_span.clone()], "zeta");
        assert_eq!(&text[top[0].value.span.clone()], "\"z\"");
        let TomlKind::Array(items) = &top[1].value.kind else {
            panic!()
        };
        assert_eq!(items[1].kind, TomlKind::Boolean(true));
        let TomlKind::Table(rules) = &top[2].value.kind else {
            panic!()
        };
        let TomlKind::Table(x) = &rules[0].value.kind else {
            panic!()
        };
        assert_eq!(x[0].value.kind, TomlKind::Integer(1));
        assert_eq!(&text[x[0].key_span.clone()], "k");
        assert_eq!(x[1].value.kind, TomlKind::Integer(31));
        assert_eq!(x[2].value.kind, TomlKind::Other("an integer"));
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let error = parse("a = \nb = 2\n").unwrap_err();
        assert!(error.span.start >= 3, "{error:?}");
        assert!(!error.message.is_empty());
    }
}
